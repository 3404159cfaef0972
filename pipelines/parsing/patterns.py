"""The shapes of structure in plan documents, on normalised text (see pipelines.text.normalize)."""
import re

CN_NUM = "一二三四五六七八九十"
CHAPTER = re.compile(rf"^([{CN_NUM}]+)、(.+)")
SECTION = re.compile(rf"^（([{CN_NUM}]+)）(.*)")
# 1. / 1． / 1、 — but not a decimal such as "2.5微克" (a year may follow: "5.2021年5月起")
TASK = re.compile(r"^(\d{1,3})\s*[.．、]\s*(?=\D|\d{4}年)(.*)")
# Other task numberings: （1） / ① (a plan numbers its tasks in one style; another style inside a
# task is an enumeration of that task).
PAREN_TASK = re.compile(r"^（?(\d{1,3})）\s*(.*)")
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
CIRCLED_TASK = re.compile(rf"^([{CIRCLED}])\s*(.*)")


def task_number(text: str) -> tuple[int, str, int] | None:
    """(number, style, offset of the text after the number) of a numbered task line."""
    if (m := TASK.match(text)):
        return int(m.group(1)), "arabic", m.start(2)
    if (m := PAREN_TASK.match(text)):
        return int(m.group(1)), "paren", m.start(2)
    if (m := CIRCLED_TASK.match(text)):
        return CIRCLED.index(m.group(1)) + 1, "circled", m.start(2)
    return None


def cn_number(numeral: str) -> int:
    """一 -> 1, 十二 -> 12, 二十 -> 20 (section and chapter numbers)."""
    digits = [CN_NUM.index(ch) + 1 for ch in numeral]
    if len(digits) == 1:
        return digits[0]
    if digits[0] == 10:  # 十二
        return 10 + (digits[1] if len(digits) > 1 else 0)
    return digits[0] * 10 + (digits[2] if len(digits) > 2 else 0)


# 牵头单位：… / 配合部门：… / 责任单位（部门）：…, on a line of their own or after a task's sentence.
UNIT_LABEL_LINE = re.compile(r"^[【〔]?(?:主要)?(?:牵头|主责|责任|配合|协办|协助|参与|实施|落实)(?:单位|部门)"
                             r"(?:（[^）]{0,6}）)?(?:[】〕][：:]?|[：:])")
BARE_CHAPTER = re.compile(
    r"^(总体要求|指导思想|基本原则|主要目标|工作目标|行动目标|重点任务|主要任务|重点工作|"
    r"专项行动|攻坚行动|重大行动|保障措施|组织保障|保障措施和推进机制)$")
PLAN_KINDS = r"(?:行动计划|实施方案|工作方案|攻坚方案|行动方案|工作计划|实施计划|攻坚计划|整治方案|治理方案|作战方案|工作要点)"
# A period may follow the kind: …攻坚行动方案（2023—2025年）. Not a task that drafts a plan
# (（一）制定年度工作方案 / 1.编制…实施方案), not a line that cites one (《…》, 关于印发…的通知).
PLAN_TITLE = re.compile(
    r"^(?!《)(?![（(]?[一二三四五六七八九十\d]+[）)、.])(?!制定|编制|制订|出台|完善|落实|贯彻|根据|按照|印发)"
    rf"(?!.*(?:通知|关于印发|。|；)).{{4,60}}{PLAN_KINDS}(?:（\d{{4}}[-—–－~至]+\d{{4}}年(?:度)?）)?$")
ANNOUNCED_TITLE = re.compile(rf"《([^《》]{{4,80}}?{PLAN_KINDS}(?:（\d{{4}}[-—–－~至]+\d{{4}}年(?:度)?）)?)》")
# The title of the notice itself: …关于印发XX实施方案的通知 (plans announced without 《》).
NOTICE_TITLE = re.compile(rf"关于印发(.{{4,80}}?{PLAN_KINDS}(?:（\d{{4}}[-—–－~至]+\d{{4}}年(?:度)?）)?)(?:等)?的通知")
PREAMBLE = re.compile(r"^(?:为|根据|按照|依据).{0,400}?(?:制定|制订|编制)(?:本|如下)(?:行动|实施|工作)?(?:计划|方案|要点)?")
# A plan's 目标 section: （二）主要目标 / 二、工作目标 / 目标指标 (not （五）强化目标管理).
GOAL_HEADING = re.compile(r"^(?:(?:主要|工作|总体|行动|具体|预期|年度|攻坚|治理|发展|规划)?目标(?:指标|任务|要求)?|主要指标)(?:[。：:]|$)")
# The first line of a preamble, before wrapping has been undone.
PREAMBLE_LINE = re.compile(r"^为(?:了|进一步|深入|全面|持续|加快|切实|贯彻|推动|有效|坚决)")
INTERPRETATION = re.compile(r"^本(?:行动)?(?:计划|方案)由.{0,40}负责解读")
ANNEX = re.compile(r"^[-*]?\s*附件\s*\d*\s*[：:]?")
ISSUER = re.compile(r"^(.{2,20}?人民政府(?:办公室|办公厅)?)(?:文件)?$")
DOC_NUMBER = re.compile(r"[\u4e00-\u9fa5]{1,8}〔\d{4}〕\d{1,4}号")
DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
DATE_FIELD = re.compile(r"(?:成文日期|发文日期|印发日期|发布日期|发布时间)[：:]?\s*(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})")
PUBLISHED_MARK = re.compile(r"^（此件公开发布）$")

SKIP_CHAPTER = re.compile(r"总体要求|指导思想|基本原则|保障措施|推进机制|组织实施|工作要求|总则|总体思路|工作思路|编制依据|形势分析")
SKIP_SECTION = re.compile(r"^(?:指导思想|基本原则|工作原则|组织领导|加强组织领导|强化组织领导|保障措施|工作要求|"
                          r"加强宣传|强化宣传|严格考核|强化考核|资金保障|强化资金保障|适用范围|实施范围)")
TARGET_CHAPTER = re.compile(r"目标")

# Order matters: 地下水 contains 水, 农村生活污水 is water before 农村 is soil. 农业农村污染治理
# is soil: the national plan files the 农业农村污染治理攻坚战 under 净土保卫战.
DOMAINS = (
    ("groundwater", re.compile(r"地下水")),
    ("air", re.compile(r"空气|大气|蓝天|臭氧|扬尘|柴油货车|挥发性有机物|VOCs|烟花爆竹|秸秆禁烧|细颗粒物|PM2\.5|"
                       r"PM10|燃煤锅炉|优良天数")),
    ("water", re.compile(r"碧水|黑臭|污水|水污染|水环境|水生态|饮用水|河湖|流域|入河排污口|河长|断面|水质")),
    ("soil", re.compile(r"土壤|净土|农用地|建设用地|农业农村|农村环境|固体废物|固废|无废|重金属|农药|化肥|耕地|污染地块")),
    ("water", re.compile(r"水")),
)


def is_structural(text: str) -> bool:
    """A line that always opens a new block."""
    return bool(CHAPTER.match(text) or SECTION.match(text) or task_number(text)
                or BARE_CHAPTER.match(text) or ANNEX.match(text) or PREAMBLE_LINE.match(text)
                or PLAN_TITLE.match(text) or UNIT_LABEL_LINE.match(text))


def is_heading(text: str) -> bool:
    """A finished block after which a new block starts even without final punctuation."""
    if BARE_CHAPTER.match(text) or PLAN_TITLE.match(text) or ISSUER.match(text):
        return True
    if NOTICE_TITLE.search(text) and text.endswith("通知"):  # the notice's own title line
        return True
    if DOC_NUMBER.fullmatch(text) or DATE.fullmatch(text) or PUBLISHED_MARK.match(text):
        return True
    if CHAPTER.match(text) and len(text) <= 40 and not re.search("[。；]", text.rstrip("。：")):
        return True  # 一、总体要求 / 一、总体要求。 / 二、重点任务：
    m = CHAPTER.match(text) or SECTION.match(text)
    return bool(m) and len(text) <= 40 and "。" not in text


# A line that ends with a units bracket ends its paragraph: …视频监控。（县住建局牵头，县城管局配合）
_CLOSING_UNITS = re.compile(r"(?:牵头|负责|配合|参与|协助|落实|责任单位|责任部门)"
                            r"(?:[^（）〔〕【】]|[（〔][^（）〔〕]{0,8}[）〕]){0,60}[）〕】]$")


# A task or section that begins right after another's units bracket, on the same line
# (…（责任单位：各乡镇政府，县生态环境分局）（二）加快推进…): line breaks lost in a web copy.
GLUED_NEXT = re.compile(r"(?<=[）〕】])(?=（[一二三四五六七八九十]{1,3}）\S|\d{1,2}[.、]\D)")


def glued_starts(text: str) -> list[int]:
    """Offsets where such a glued task or section starts."""
    return [m.start() for m in GLUED_NEXT.finditer(text) if _CLOSING_UNITS.search(text[:m.start()])]


def closes_block(text: str) -> bool:
    """The next line opens a new block: after a heading, or after a task's closing units bracket."""
    return is_heading(text) or bool(_CLOSING_UNITS.search(text))


def domain_of(title: str, body: str = "") -> str:
    """The domain a title names; else the one the plan's text names most; else ``other``."""
    for domain, pattern in DOMAINS:
        if pattern.search(title):
            return domain
    counts = {d: len(p.findall(body)) for d, p in DOMAINS[:-1]}
    best = max(counts, key=counts.get) if counts else None
    return best if best and counts[best] >= 2 else "other"
