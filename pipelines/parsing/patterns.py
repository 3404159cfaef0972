"""The shapes of structure in plan documents, on normalised text (see pipelines.text.normalize)."""
import re

CN_NUM = "一二三四五六七八九十"
CHAPTER = re.compile(rf"^([{CN_NUM}]+)、(.+)")
SECTION = re.compile(rf"^（([{CN_NUM}]+)）(.*)")
# 1. / 1． / 1、 — but not a decimal such as "2.5微克" (a year may follow: "5.2021年5月起")
TASK = re.compile(r"^(\d{1,3})\s*[.．、]\s*(?=\D|\d{4}年)(.*)")
BARE_CHAPTER = re.compile(
    r"^(总体要求|指导思想|基本原则|主要目标|工作目标|行动目标|重点任务|主要任务|重点工作|"
    r"专项行动|攻坚行动|重大行动|保障措施|组织保障|保障措施和推进机制)$")
PLAN_TITLE = re.compile(r"^(?!《)(?!.*(?:通知|关于印发)).{4,60}(?:行动计划|实施方案|工作方案|攻坚方案)$")
ANNOUNCED_TITLE = re.compile(r"《([^《》]{4,80}?(?:行动计划|实施方案|工作方案|攻坚方案))》")
PREAMBLE = re.compile(r"^为.{0,400}制定本(?:行动)?(?:计划|方案)")
# The first line of a preamble, before wrapping has been undone.
PREAMBLE_LINE = re.compile(r"^为(?:了|进一步|深入|全面|持续|加快|切实|贯彻|推动|有效|坚决)")
INTERPRETATION = re.compile(r"^本(?:行动)?(?:计划|方案)由.{0,40}负责解读")
ANNEX = re.compile(r"^[-*]?\s*附件\s*\d*\s*[：:]?")
ISSUER = re.compile(r"^(.{2,20}?人民政府(?:办公室|办公厅)?)(?:文件)?$")
DOC_NUMBER = re.compile(r"[\u4e00-\u9fa5]{1,8}〔\d{4}〕\d{1,4}号")
DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
PUBLISHED_MARK = re.compile(r"^（此件公开发布）$")

SKIP_CHAPTER = re.compile(r"总体要求|指导思想|基本原则|保障措施|推进机制|组织实施|工作要求")
TARGET_CHAPTER = re.compile(r"目标")

DOMAINS = (  # order matters: 地下水 contains 水
    ("groundwater", re.compile(r"地下水")),
    ("soil", re.compile(r"土壤")),
    ("air", re.compile(r"空气|大气|蓝天")),
    ("water", re.compile(r"水")),
)


def is_structural(text: str) -> bool:
    """A line that always opens a new block."""
    return bool(CHAPTER.match(text) or SECTION.match(text) or TASK.match(text)
                or BARE_CHAPTER.match(text) or ANNEX.match(text) or PREAMBLE_LINE.match(text)
                or PLAN_TITLE.match(text))


def is_heading(text: str) -> bool:
    """A finished block after which a new block starts even without final punctuation."""
    if BARE_CHAPTER.match(text) or PLAN_TITLE.match(text) or ISSUER.match(text):
        return True
    if DOC_NUMBER.fullmatch(text) or DATE.fullmatch(text) or PUBLISHED_MARK.match(text):
        return True
    m = CHAPTER.match(text) or SECTION.match(text)
    return bool(m) and len(text) <= 40 and "。" not in text


def domain_of(title: str) -> str | None:
    for domain, pattern in DOMAINS:
        if pattern.search(title):
            return domain
    return None
