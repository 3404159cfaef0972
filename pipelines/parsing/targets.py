"""Numeric targets, read quantity-first.

Every quantity of a sentence (pipelines.parsing.quantities) is read in its phrase:

- what it is not: a baseline or actual (截至…, 已…, 2022年为… before the plan year), a scope size
  (12个国考断面…达到80%, 全国168个重点城市), a threshold inside a definition (35蒸吨以下燃煤锅炉,
  超过75微克/立方米的), a frequency (每月…2次), a restatement in brackets (（即…不超过27天）), a
  deadline (30天内), a count with no action (3个县);
- the comparator, from the whole phrase: the tail decides first (以上 >=, 以下/以内 <=, 左右 ≈; so
  达到…以下 is <=), then the verb (不低于/不少于 >=, 不高于/不超过/控制在/降至 <=, 低于 <, 高于/超过 >,
  较…下降 decrease_by, 提高…个百分点 increase_by, 为 =); a bare 达到/保持 takes the indicator's direction
  (the catalogue's comparator, else <= for concentrations, emissions and bad shares, >= otherwise);
- the indicator: the subject phrase before the verb (or the previous clause's, for 力争达到100%),
  split over 、/和 when each part is a different KPI (受污染耕地、污染地块安全利用率均达到…), zipped
  with the values of 分别 (PM10和PM2.5分别不高于61和37微克/立方米) or with its years;
- year (到2025年 / 2023年底 / the last year printed before it in the paragraph / the plan's year),
  base_year (较2015年; 同比 and 较上年 = the year before), scope (全市, 市区, 县城建成区, 临溪县 …),
  stretch (力争 / 争取 / 努力 / 奋斗目标 / 争取性指标), binding (约束性 / 预期性);
- kind: ``outcome`` (a level or change of a quality: %, concentrations, days, a KPI) or ``output``
  (what a task delivers, counted: 完成268个村庄治理, 淘汰燃煤锅炉26台, 新增…3.5万吨/日).
"""
from __future__ import annotations

import re
from functools import lru_cache
from ..reference import KpiCatalogue
from ..text.blocks import Block
from .quantities import COUNT_UNITS, Quantity, find_quantities

_SENTENCE_END = "。；！？●■◆•▲"  # bullets open a new statement as a full stop does
_BRACKETS = re.compile(r"（[^（）]*(?:（[^（）]*）[^（）]*)*）|\([^()]*\)|〔[^〔〕]*〕|《[^《》]*》|“[^“”]*”")
_YEAR = re.compile(r"(20\d{2})年")
_BASE = re.compile(r"(?:较|比|相比|相较|对比)(?:于)?(20\d{2})年")
_PREVIOUS_YEAR = re.compile(r"同比|较上年|比上年|较去年|比去年|较上一年")
_STRETCH = re.compile(r"力争|争取|努力(?:实现|达到|完成|使|保持|将)|奋斗目标|争取性|努力目标")
_BINDING = re.compile(r"约束性")
_LABEL = re.compile(r"^(?:（[一二三四五六七八九十]+）|\d+[.、]|[一二三四五六七八九十]+、)?\s*"
                    r"((?:工作|年度|主要)?(?:奋斗目标|争取性指标|努力目标|力争目标|争取目标|约束性指标|预期性指标))[。：:，]?")
_EXPECTED = re.compile(r"预期性")
# Words that say the figure is a fact, not a goal.
_FUTURE = re.compile(r"要|应|需|须|确保|力争|争取")
_ACTUAL = re.compile(r"截至|截止|(?:已经|已有|已完成|已建成|已达|已实现|已累计|累计已|现有(?!基础))(?![^，。；]{0,14}的)|目前|现状|"
                     r"上年度|去年|同比上升|较上年增加|完成率(?:为|仅)|好于年度目标|占年度任务|实际")
# 已完成整治的9条黑臭水体, 等10个关键环节: how many things a sentence is about, not a goal for them.
_ABOUT = re.compile(r"已[^，。；]{0,14}的[^，。；]{0,4}$|等$|共有$|其中$")
# …投运泽州川底、南岭等6个污水处理厂: an enumeration after an action is what the task delivers.
_LEADING_ACTION = re.compile(r"^(?:\d+月(?:底|中旬|上旬|下旬)?(?:前)?)?(?:完成|投运|建成|淘汰|新建|改造|关停|取缔|实施|开展|推进)")
_DISTANCE_SPEC = re.compile(r"^(?:范围|以内|之内|内|外|的|以上|以下|及以上|及以下|[-—至]|焦炉|高炉|转炉)|(?:周边|之外|堤外|沿岸|距离|外|间距)$")
_FREQUENCY = re.compile(r"(?:每(?:个)?|按)(?:年|月|季度|季|周|天|日|半年|旬|小时|\d+年|[一二三四五]年)")
_DEADLINE_TAIL = re.compile(r"^(?:个工作日|个月)?内(?!容)")
_THRESHOLD_TAIL = re.compile(r"^(?:及|或)?(?:以上|以下|以内|及以上|及以下)?(?:的|且|规模|等级|级别)|^之间")
_COUNT_THRESHOLD_TAIL = re.compile(r"^(?:及|或)?(?:以上|以下|及以上|及以下)(?=[\u4e00-\u9fa5A-Za-z])(?!的目标|，|。)")
_SCOPE_TAIL = re.compile(r"^[^，。；]{0,12}?(?:中|当中|之中)(?=排名|[，。；]|$)|^[^，。；]{0,14}?排名")
# the run of values before this one in a list (…分别下降12%和 / 61、): the comparator is said before it
_CHAIN = re.compile(r"(?:\d+(?:\.\d+)?(?:%|个百分点|[\u4e00-\u9fa5/·]{0,8}?)?(?:以上|以下|左右)?(?:、|和|及|与))+$")
# What a task does to the things it counts.
_ACTION = re.compile(
    r"完成|淘汰|新建|建成|建设|改造|新增|治理|整治|关停|取缔|关闭|拆除|清理|清退|实施|推广|创建|打造|"
    r"安装|更新|替换|替代|铺设|敷设|修复|退出|削减|压减|减少|提升|扩建|提标|销号|封堵|规范|推进|"
    r"开展|培育|建立|配备|购置|投放|种植|造林|绿化|消除|搬迁|排查|监测|检查|抽测|核查|评估|划定|达到|"
    r"覆盖|接入|收集|处理|回收|利用|保留|实现|确保|力争|争取|申报|储备|投运|建成投运")
_TAIL_LE = re.compile(r"^(?:及|或)?(?:以下|以内|之内)")
_TAIL_GE = re.compile(r"^(?:及|或)?以上")
_TAIL_APPROX = re.compile(r"^左右")
_VERBS = (  # (pattern, comparator); the first that matches the phrase before the number decides
    (re.compile(r"(?:[≤≦]|<=|不大于)\s*$"), "<="),
    (re.compile(r"(?:[≥≧]|>=)\s*$"), ">="),
    (re.compile(r"<\s*$"), "<"),
    (re.compile(r">\s*$"), ">"),
    (re.compile(r"不(?:得)?(?:低|少|小)(?:于|於)"), ">="),
    (re.compile(r"不(?:得)?(?:高|超|大|多)(?:于|於|过|過)?"), "<="),
    (re.compile(r"(?:降|减|压减|削减|下降|降低|减少)(?:到|至)|控制(?:在|到|至)|稳定在[^，]*?$"), "<="),
    (re.compile(r"(?<!不)(?:低|少|小)(?:于|於)"), "<"),
    (re.compile(r"(?<![不或])(?:高(?:于|於)|超过|大于|多于|突破)"), ">"),
    (re.compile(r"约$"), "≈"),
)
_DECREASE = re.compile(r"(?:下降|降低|减少|削减|压减|减排|减幅|降幅|下降了|减少了|改善)(?:幅度)?(?:分别)?(?:达到|为|达)?(?:约)?$")
_INCREASE = re.compile(r"(?:提高|提升|增加|增长|上升|升高|增幅|提高了|增加了)(?:幅度)?(?:分别)?(?:达到|为|达)?(?:约)?$")
_IS = re.compile(r"为(?:约)?$")
# Where the subject ends: the first comparator or verb of the clause.
_SUBJECT_END = re.compile(
    r"不(?:得)?(?:低|少|小|高|超|大|多)|(?:稳定|持续|总体)?(?:达到(?!或)|达(?!到或|标)|到)(?=\d|百分之|[一二三四五六七八九十]|国家|省|以上)|"
    r"(?:稳定|持续|总体)?达到(?!或)|"
    r"(?:稳定)?控制在|控制到|(?:下降|降低|减少|压减|削减)(?:到|至)?|降(?:到|至)|(?:提高|提升|增加|上升)(?:到|至)?|"
    r"保持在|稳定在|保持(?=\d)|稳定(?=达到|控制|保持|在)|(?<![不或劣])(?:低|高)(?:于|於)|超过|大于|小于|突破|"
    r"分别|均(?=达|不|控制|为|保持|在|低|高|下降|提高|实现|稳定|超过|要|应|需)|(?:较|比|相比)(?=20\d{2}|上年|去年|同期)|同比|为(?=约?\d)")
# Leading words of a subject that are not the indicator.
_LEAD = re.compile(
    r"^(?:(?:到|至|在|于|截至)?(?:20\d{2}年(?:底|末|年底)?(?:前)?|“十[三四五]五”(?:期间|末)?|今年|当年|年底前|年内)[，、]?|"
    r"力争|争取|努力|确保|并|且|其中|同时|使|实现|要|进一步|全面|持续|基本|稳定|总体|对于|对照|对标|按照|"
    r"工作目标|主要目标|奋斗目标|目标|约束性指标|预期性指标|争取性指标|[：:，、])+")
_SCOPE = re.compile(
    r"^(?:全[国市县区省旗州盟]|市区|主城区|中心城区|城市建成区|县城建成区|县城|市辖区|城区|建成区|"
    r"各县（市、区）|各县（区）|各县市区|各县区|各区县|各乡镇（街道）|各乡镇|"
    r"[\u4e00-\u9fa5]{2,3}(?:县|区|旗)(?![域域划内外级])|[\u4e00-\u9fa5]{2,3}市(?=(?:PM|细颗粒|空气|优良|地表|城市|重污染|环境)))")
_TRAILING = re.compile(r"(?:力争|争取|努力|确保|要|应|需|须|将|达|到|为|稳定|持续|继续|总体|均|和|保持|，)+$")
_EXPLICIT_LE = re.compile(r"不(?:得)?(?:高|超|大|多)|控制|以内|以下(?!排放)|低于|降至|降到")
_SUB_SCOPE = re.compile(r"^(?:其中)?[^，。；]{0,10}(?:断面|点位|地区|城市|城区|[区县市镇乡旗]|流域|水体)$")
_NOT_SCOPE = re.compile(r"(?:功能|保护|开发|工业|园|示范|重点|风景|自然|生态)区$")
_SPLIT = re.compile(r"、|和|及(?!以上|以下|其)|与|以及")
# 京津冀、长三角、珠三角等区域细颗粒物浓度: the listed names are places, the indicator follows them
_PLACES_END = re.compile(r"^.*?等(?:区域|地区|城市|县区|区县|地市|省份|流域)")
_INDICATOR_HEAD = re.compile(r"(?:率|比例|比率|浓度|总量|排放量|天数|占比|限值|系数|强度)$")
_POLLUTANT = re.compile(
    r"^(?:PM2\.5|PM10|细颗粒物|可吸入颗粒物|二氧化硫|SO2|二氧化氮|NO2|氮氧化物|NOx|臭氧|O3|一氧化碳|CO|化学需氧量|COD|"
    r"氨氮|总磷|总氮|挥发性有机物|VOCs|化肥|农药|受污染耕地|污染地块|重点建设用地|城市|县城|乡镇|农村)")
_BAD = re.compile(r"浓度|排放|重污染|重度|劣|极差|超标|使用量|施用量|用量|降尘|污染天数|能耗|消耗|散煤|黑臭水体数")
_BARE_NUMBER = re.compile(r"(?<![\d.A-Za-z])(\d+(?:\.\d+)?)(?:、|和|及|与|，)(?=\d)")
# a unitless level right after its name: 利用系数达到0.588, 综合指数控制在4.5以内 (not 排名前5位, not 下降10%)
_UNITLESS = re.compile(r"[^，。；\d]{0,10}?(?:达到|提高到|提高至|提升至|不低于|不高于|控制在|降至|降到|下降到|为|低于)?"
                       r"(\d+(?:\.\d+)?)(?![\d.%]|\s*[\u4e00-\u9fa5]*?(?:位|个|名|年|月|微克|毫克|天))")


_COMPILED: dict[int, tuple[KpiCatalogue, tuple[tuple[dict, re.Pattern], ...]]] = {}


def _compiled(catalogue: KpiCatalogue) -> tuple[tuple[dict, re.Pattern], ...]:
    """The catalogue's patterns, compiled once per catalogue object."""
    cached = _COMPILED.get(id(catalogue))
    if cached is None or cached[0] is not catalogue:
        cached = (catalogue, tuple((row, re.compile(row["pattern"])) for row in catalogue.rows if row.get("pattern")))
        _COMPILED[id(catalogue)] = cached
    return cached[1]


def _mask_brackets(text: str) -> str:
    """Brackets blanked out (same length): restatements, names and document numbers inside them."""
    prev = None
    while prev != text:
        prev = text
        text = _BRACKETS.sub(lambda m: "□" * len(m.group(0)), text)
    return text


@lru_cache(maxsize=8)
def _piece_pattern(seps: str) -> re.Pattern:
    return re.compile(f"[^{re.escape(seps)}]*(?:[{re.escape(seps)}]|$)")


def _pieces(text: str, seps: str) -> list[tuple[int, int]]:
    """(start, end) of the pieces of ``text`` cut after each separator."""
    return [m.span() for m in _piece_pattern(seps).finditer(text) if m.end() > m.start()]


_CANDIDATES: dict[tuple[int, str], list] = {}


def _kpi_candidates(indicator: str, catalogue: KpiCatalogue) -> list[tuple[int, int, dict]]:
    """Catalogue rows whose pattern the indicator holds, longest match first (cached per name)."""
    key = (id(catalogue), indicator)
    if key not in _CANDIDATES:
        if len(_CANDIDATES) > 50_000:
            _CANDIDATES.clear()
        _CANDIDATES[key] = _match_kpis(indicator, catalogue)
    return _CANDIDATES[key]


def _match_kpis(indicator: str, catalogue: KpiCatalogue) -> list[tuple[int, int, dict]]:
    found = []
    for row, pattern in _compiled(catalogue):
        m = pattern.search(indicator)
        if m:
            found.append((m.end() - m.start(), -m.start(), row))
    return sorted(found, key=lambda f: (-f[0], f[1]))


def _unit_fits(row: dict, unit: str, comparator: str) -> bool:
    if comparator in ("decrease_by", "increase_by"):
        return unit in ("%", "个百分点") or unit == row["unit"]
    return unit == row["unit"] or (row["unit"] == "%" and unit == "%")


def _kpi(indicator: str, unit: str, comparator: str, catalogue: KpiCatalogue) -> dict | None:
    for _, _, row in _kpi_candidates(indicator, catalogue):
        if _unit_fits(row, unit, comparator):
            return row
    return None


def _direction(indicator: str, row: dict | None) -> str:
    if row is not None and row["comparator"] in ("<=", ">="):
        return row["comparator"]
    return "<=" if _BAD.search(indicator) and "优良" not in indicator else ">="


def _comparator(pre: str, tail: str, indicator: str, row: dict | None, q: Quantity) -> str:
    if q.unit == "位":
        return "rank"
    if _DECREASE.search(pre) and not re.search(r"(?:到|至)$", pre):
        return "decrease_by"
    if _INCREASE.search(pre) and not re.search(r"(?:到|至)$", pre):
        return "increase_by"
    if _TAIL_GE.match(tail):
        return ">="
    if _TAIL_LE.match(tail):
        return "<="
    if _TAIL_APPROX.match(tail):
        return "≈"
    for pattern, comparator in _VERBS:
        if pattern.search(pre):
            return comparator
    if _IS.search(pre):
        return "="
    return _direction(indicator, row)


def _clean_subject(subject: str) -> tuple[str, str]:
    """(scope, indicator) of the words before the verb."""
    subject = _LEAD.sub("", subject.replace("□", "")).strip("，、：:")
    m = _SCOPE.match(subject)
    scope = m.group(0) if m and not _NOT_SCOPE.search(m.group(0)) else ""
    indicator = _TRAILING.sub("", subject[len(scope):].lstrip("的，、"))
    if not indicator and scope:  # 全市达到…: the scope was all there was
        return scope, ""
    return scope, indicator


def _split_indicators(indicator: str, catalogue: KpiCatalogue, values: int, clause: str) -> list[str]:
    """Several indicators before one comparator: 受污染耕地、污染地块安全利用率均达到… (one value each),
    颗粒物、二氧化硫、氮氧化物…分别不高于10、100、100 (zipped). Split only when 分别 pairs as many values
    as there are names, or when every name is an indicator of its own (a KPI, or ends in 率/比例/浓度…)."""
    listed = [p for p in indicator.split("、") if p]
    parts = (listed if "分别" in clause and len(listed) == values > 1
             else [p for p in _SPLIT.split(indicator) if p])
    if "分别" in clause and len(parts) > values > 1:
        parts = ["".join(parts[:len(parts) - values + 1])] + parts[len(parts) - values + 1:]
    if len(parts) < 2:
        return [indicator]
    last = parts[-1]
    m = _POLLUTANT.match(last)
    suffix = last[m.end():] if m else ""
    full = [p if (p == last or not _POLLUTANT.fullmatch(p) or not suffix) else p + suffix for p in parts]
    if "分别" in clause and len(full) == values:
        return full
    if all(_INDICATOR_HEAD.search(p) or _kpi_candidates(p, catalogue) for p in full):
        return full
    return [indicator]


def _with_bare_values(text: str, quantities: list[Quantity]) -> list[Quantity]:
    """61和37微克/立方米, 35、33: the unit printed once after the last value belongs to every value."""
    out = list(quantities)
    for q in quantities:
        pos = q.start
        while True:
            window = text[max(0, pos - 12):pos]
            m = re.search(r"(?<![\d.A-Za-z])(\d+(?:\.\d+)?)(?:%)?(?:、|和|及|与)$", window)
            if not m or any(o.start <= pos - len(window) + m.start() < o.end for o in out if o is not q):
                break
            start = pos - len(window) + m.start()
            number = m.group(1)
            value = float(number) if "." in number else int(number)
            out.append(Quantity(start, start + len(number), value, None, q.unit, number))
            pos = start
    return sorted(out, key=lambda x: x.start)


class _Context:
    """What a paragraph has said so far: its year, its stretch or binding heading."""

    def __init__(self, plan_year: int | None):
        self.plan_year = plan_year
        self.year = plan_year
        self.stretch = False
        self.binding: str | None = None


def _skip_reason(masked: str, clause_start: int, q: Quantity, clause_end: int, all_q: list[Quantity],
                 year: int | None, plan_year: int | None, previous: str = "") -> str | None:
    if "□" in masked[q.start:q.end]:
        return "restatement"
    before = masked[clause_start:q.start]
    tail = masked[q.end:clause_end]
    if _ACTUAL.search(before) and not _FUTURE.search(before[_ACTUAL.search(before).end():]):
        return "actual"  # but 已建成设施正常运行率要达80%以上 is a goal for what exists
    if plan_year and year and year < plan_year and re.search(r"为$|是$", before):
        return "actual"
    if _FREQUENCY.search(before[-10:]) or "次" in tail[:2]:
        return "frequency"
    if _DEADLINE_TAIL.match(tail):
        return "deadline"
    if q.unit == "位" and not re.search(r"[前后](?:第)?$", before):
        return "not_rank"
    if q.unit not in COUNT_UNITS:
        if q.unit == "%":
            return "threshold" if re.match(r"^(?:及)?(?:以下)?(?:的|且)|^之间", tail) else None
        return "threshold" if _THRESHOLD_TAIL.match(tail) else None
    if _THRESHOLD_TAIL.match(tail):
        return "threshold"
    if _COUNT_THRESHOLD_TAIL.match(tail) and not (tail.startswith("以上") and _ACTION.search(before[-4:])):
        return "threshold"  # 35蒸吨以下燃煤锅炉; but 申报1个以上项目 asks for at least one
    if q.unit in ("米", "公里") and not re.search(
            r"(?:新建|新增|铺设|敷设|改造|建设(?!用地)|建成(?!区)|治理|清淤|疏浚|整治|修复|更新|完成)[^，。；、]{0,8}$", before):
        return "threshold"  # 周边2公里范围, 堤外50米, 按照100米、500米分类: where, not how much
    if _ABOUT.search(before) and not (before.endswith("等") and _LEADING_ACTION.match(before)):
        return "scope_size"
    later = [o for o in all_q if clause_start <= o.start < clause_end and o.start > q.start]
    if _SCOPE_TAIL.match(tail) or any(not o.is_count for o in later) or re.search(r"(?:全国|全省|全市|在)$", before):
        return "scope_size"
    if not _ACTION.search(before) and not _ACTION.search(tail[:12]) and not _ACTION.search(previous):
        return "no_action"  # 建成人工湿地4处，面积120亩: the action may sit in the clause before
    return None


def find_targets(block: Block, catalogue: KpiCatalogue, plan_year: int | None,
                 text: str | None = None, base: int = 0, skipped: list | None = None) -> list[dict]:
    """Targets worded in ``text`` (default: the block's text); ``base`` maps offsets into the block.

    ``skipped``, when given, receives (quantity, reason, line) for every quantity that was read and
    judged not to be a target, so nothing is dropped unseen.
    """
    text = block.text if text is None else text
    masked = _mask_brackets(text)
    ctx = _Context(plan_year)
    label = _LABEL.match(text)  # a paragraph under a label: （二）奋斗目标。… / 约束性指标：…
    if label:
        ctx.stretch = bool(_STRETCH.search(label.group(1)))
        ctx.binding = ("binding" if _BINDING.search(label.group(1))
                       else "expected" if _EXPECTED.search(label.group(1)) else None)
    quantities = _with_bare_values(masked, find_quantities(masked))
    targets: list[dict] = []
    if not quantities:
        return _coefficients(masked, catalogue, ctx, block, base)
    for s_start, s_end in _pieces(masked, _SENTENCE_END):
        sentence_q = [q for q in quantities if s_start <= q.start < s_end]
        sentence = masked[s_start:s_end]
        if not sentence_q:
            years = _years(sentence)
            if years:
                ctx.year = years[-1]
            continue
        targets.extend(_read_sentence(masked, s_start, s_end, sentence_q, ctx, catalogue, block, base, skipped,
                                      text[s_start:s_end]))
    targets.extend(_coefficients(masked, catalogue, ctx, block, base))
    return targets


def _years(text: str) -> list[int]:
    """Target years printed in ``text`` (base years after 较/比 are not)."""
    return [int(m.group(1)) for m in _YEAR.finditer(text)
            if not re.search(r"(?:较|比|相比|对比|于)$", text[max(0, m.start() - 3):m.start()])]


def _read_sentence(masked: str, s_start: int, s_end: int, sentence_q: list[Quantity], ctx: _Context,
                   catalogue: KpiCatalogue, block: Block, base: int, skipped: list | None,
                   printed: str) -> list[dict]:
    out: list[dict] = []
    clauses = _pieces(masked[s_start:s_end], "，：")
    last_indicator, last_scope, last_row = "", "", None
    lead_stretch = False
    clause = ""
    pending = ""  # a clause with no number may be the subject of the next (…排放限值，分别不高于10、100)
    sentence_binding = ("binding" if _BINDING.search(printed)
                        else "expected" if _EXPECTED.search(printed) else None)
    previous_clause = ""
    for c_start, c_end in ((s_start + a, s_start + b) for a, b in clauses):
        clause, previous_clause = masked[c_start:c_end], clause if c_start > s_start else ""
        clause_q = [q for q in sentence_q if c_start <= q.start < c_end]
        years = _years(clause)
        if not clause_q:
            if years:
                ctx.year = years[-1]
            if _STRETCH.search(clause):
                lead_stretch = True
            pending = clause.rstrip("，：")
            continue
        kept, actual = [], False
        for q in clause_q:
            q_years = _years(masked[c_start:q.start])
            year = q_years[-1] if q_years else ctx.year
            reason = _skip_reason(masked, c_start, q, c_end, sentence_q, year, ctx.plan_year, previous_clause)
            if reason:
                actual = actual or reason == "actual"
                if skipped is not None:
                    skipped.append((q, reason, block.line_at(base + q.start)))
                continue
            kept.append((q, year))
        if years and (kept or not actual):  # 2024年…为88.7%: the year of an actual is not the goals' year
            ctx.year = years[-1]
        if not kept:
            pending = clause.rstrip("，：")
            continue
        first = kept[0][0]
        subject_text = masked[c_start:first.start]
        end = _SUBJECT_END.search(subject_text)
        subject = subject_text[:end.start()] if end else subject_text
        scope, indicator = _clean_subject(subject)
        if first.unit == "位" and re.fullmatch(r"(?:退出|进入|位列|位居|保持|稳居|排名|晋位|在)*[前后]?(?:第)?", indicator):
            indicator = ""  # 力争退出后20位: what is ranked was said in the clause before
        if (not indicator or len(indicator) < 2) and pending and not last_indicator:
            scope, indicator = _clean_subject(pending)
        share_of = re.match(r"^(?:及)?(?:以上|以下)?的?(?=[\u4e00-\u9fa5])", masked[first.end:c_end])
        if (not indicator or len(indicator) < 2) and first.unit == "%" and share_of:
            # 70%以上的地级及以上城市全面消除重污染天气: the share of what reaches which state
            indicator = masked[first.end + share_of.end():c_end].replace("□", "").rstrip("，。；")
        if not indicator or len(indicator) < 2:
            indicator, scope = last_indicator, scope or last_scope
        lead_in, pending = pending, ""
        stretch = ctx.stretch or lead_stretch or bool(_STRETCH.search(masked[c_start:first.start]))
        count_kind = all(q.is_count for q, _ in kept)
        if count_kind and "分别" in clause and len(kept) > 1 and indicator and not _ACTION.search(indicator):
            # 氮氧化物和挥发性有机物减排量分别达到1200吨和800吨: named quantities, zipped like levels
            names = _split_indicators(indicator, catalogue, len(kept), clause)
        elif count_kind:
            indicator = _output_indicator(masked, c_start, c_end, [q for q, _ in kept])
            names = [indicator]
        else:
            names = _split_indicators(indicator, catalogue, len(kept), clause)
        if not scope and not count_kind:
            scope = last_scope  # 云岭市优良天数271天，PM2.5浓度为49…: the sentence's place holds on
        places = _places(names, catalogue, clause)
        if places:
            indicator = places[1] or last_indicator  # 其中北部、中部等区域分别达到…: the indicator said before
            names, scopes = [indicator] * len(names), places[0]
        else:
            scopes = None
        rows = _assign(names, kept)
        used_row = None
        listed_years = _years(masked[c_start:first.start])
        if "分别" in clause and len(names) == 1 and len(listed_years) == len(kept) > 1:
            rows = [(n, (q, y)) for (n, (q, _)), y in zip(rows, listed_years)]
        elif "分别" in clause and len(names) == 1 and len(kept) == 1 and len(listed_years) > 1:
            rows = [(names[0], (kept[0][0], y)) for y in listed_years]  # 2023年、2024年分别完成390万方
        for i, (name, (q, year)) in enumerate(rows):
            pre = _CHAIN.sub("", masked[c_start:q.start])
            tail = masked[q.end:c_end].replace("□", "")
            comparator = _comparator(_strip_pre(pre), tail, name, None, q)
            if count_kind and comparator in ("<=", "<") and not _EXPLICIT_LE.search(pre[-8:] + "|" + tail[:4]):
                comparator = ">="  # what a task delivers is at least the number printed
            row = _kpi(name if comparator != "rank" else masked[s_start:q.end], q.unit, comparator, catalogue)
            if row is None and not count_kind and lead_in:  # 黑臭水体基本消除，消除比例达到90%
                row = _kpi(lead_in + name, q.unit, comparator, catalogue)
            if row is None and not count_kind and last_row is not None and _unit_fits(last_row, q.unit, comparator) \
                    and (name == last_indicator or _SUB_SCOPE.search(name)):
                # 其中国考断面力争达到90%: the same indicator, for a part of the scope
                row, scope, name = last_row, (name if name != last_indicator else scope), last_indicator
            if row is not None and comparator not in ("decrease_by", "increase_by", "rank") \
                    and not re.search(r"以上|以下|以内|左右|不低|不高|不超|不少|低于|高于|超过|控制|降至|降到|为$|约$|"
                                      r"[≤≦≥≧<>]\s*$", pre[-8:]) and not re.match(r"以上|以下|以内|左右", tail[:3]):
                comparator = _direction(name, row)
            used_row = row
            base_year = _base_year(pre, year, comparator)
            if scopes and len(scopes) == len(rows):
                scope = scopes[i]
            out.append(_record(block, base, q, name, row, comparator, year, base_year, scope,
                               stretch or (bool(_STRETCH.search(pre)) and q is not first), 
                               ctx.binding or sentence_binding, count_kind, masked, s_start))
        last_indicator, last_scope = indicator, scope
        last_row = (next((r for r in (_kpi(n, kept[0][0].unit, ">=", catalogue) for n in names) if r), None)
                    or used_row)
    return out


def _strip_pre(pre: str) -> str:
    return pre.replace("□", "")


def _places(names: list[str], catalogue: KpiCatalogue, clause: str) -> tuple[list[str], str] | None:
    """(places, indicator) when the listed names are places before one indicator (京津冀、长三角、珠三角等
    区域细颗粒物浓度分别下降25%、20%、15%; 其中甲县、乙县分别达到…: indicator ""), else None."""
    if len(names) < 2 or any(_kpi_candidates(n, catalogue) or _INDICATOR_HEAD.search(n) for n in names[:-1]):
        return None
    m = _PLACES_END.match(names[-1])
    if m:
        last_place = re.sub(r"等(?:区域|地区|城市|县区|区县|地市|省份|流域)$", "", m.group(0))
        return names[:-1] + [last_place], names[-1][m.end():]
    if clause.startswith("其中") and not any(_kpi_candidates(n, catalogue) or _INDICATOR_HEAD.search(n)
                                            for n in names):
        return names, ""
    return None


def _assign(names: list[str], kept: list[tuple[Quantity, int | None]]):
    """Pair indicators with values: 分别 zips them; one value shared by several indicators (均);
    one indicator with several values (years, or a binding and a stretch value) keeps each value."""
    if len(names) == 1:
        return [(names[0], k) for k in kept]
    if len(names) == len(kept):
        return list(zip(names, kept))
    if len(kept) == 1:
        return [(n, kept[0]) for n in names]
    return [(" ".join(names), k) for k in kept]


def _base_year(pre: str, year: int | None, comparator: str) -> int | None:
    m = list(_BASE.finditer(pre))
    if m:
        return int(m[-1].group(1))
    if _PREVIOUS_YEAR.search(pre) and year:
        return year - 1
    if comparator in ("decrease_by", "increase_by") and year:
        return None
    return None


def _output_indicator(masked: str, c_start: int, c_end: int, qs: list[Quantity]) -> str:
    """完成268个村庄治理 -> 完成村庄治理: the clause from its first action word, without the numbers."""
    clause = masked[c_start:c_end]
    m = _ACTION.search(clause)
    start = m.start() if m and m.start() < qs[0].start - c_start else 0
    text = clause[start:].rstrip("，。；：、")
    for q in sorted(qs, key=lambda q: -q.start):
        a, b = q.start - c_start - start, q.end - c_start - start
        if a >= 0:
            unit_tail = q.printed[len(q.printed.rstrip("个家座台处条套项所艘根眼口批户辆")):] if q.unit in ("个", "家", "座", "处", "条", "套", "项", "所", "批") else ""
            text = text[:a] + ("" if not unit_tail else "") + text[b:]
    text = re.sub(r"(?:以上|以下|左右|累计|共计|共|约|不少于|不低于|不超过|达到|达)(?=[，、]|$)", "", text)
    return _LEAD.sub("", text.replace("□", "")).strip("，、：") or clause.replace("□", "")


def _record(block: Block, base: int, q: Quantity, indicator: str, row: dict | None, comparator: str,
            year: int | None, base_year: int | None, scope: str, stretch: bool, binding: str | None,
            count_kind: bool, masked: str, s_start: int) -> dict:
    rank_of = rank_side = None
    if comparator == "rank":
        before = masked[s_start:q.start]
        m = list(re.finditer(r"(\d+)个[^，。；]{0,10}?(?:城市|地市|区县|县区|县|区)", before))
        rank_of = int(m[-1].group(1)) if m else None
        side = re.search(r"([前后])(?:第)?$", before)
        rank_side = {"前": "top", "后": "bottom"}[side.group(1)] if side else None
        if rank_of and not scope:
            lead = before[max(0, m[-1].start() - 2):m[-1].start()]
            scope = lead + m[-1].group(0) if lead in ("全国", "全省", "全市") else ""
        indicator = re.split(r"在(?:全国|全省|全市)|(?:退出|进入)", indicator)[0] or indicator
    kind = "output" if count_kind and row is None else "outcome"
    return {
        "kind": kind,
        "indicator": indicator,
        "kpi": row["kpi"] if row else "other",
        "comparator": comparator,
        "value": q.value,
        "value_hi": q.value_hi,
        "unit": q.unit,
        "year": year,
        "base_year": base_year,
        "scope": scope,
        "stretch": stretch,
        "binding": binding,
        "line": block.line_at(base + q.start),
        "rank_of": rank_of,
        "rank_side": rank_side,
    }


def _coefficients(masked: str, catalogue: KpiCatalogue, ctx: _Context, block: Block, base: int) -> list[dict]:
    """Unitless levels (农田灌溉水利用系数达到0.588, 综合指数控制在4.5以内): no unit to find them by, so by
    their KPI's name; unitless KPIs are coefficients and indices."""
    out = []
    if "系数" not in masked and "指数" not in masked:
        return out
    for row, pattern in _compiled(catalogue):
        if row["unit"] != "":
            continue
        for m in pattern.finditer(masked):
            c = _UNITLESS.match(masked, m.end(), min(len(masked), m.end() + 24))
            if not c:
                continue
            value = float(c.group(1))
            tail = masked[c.end():c.end() + 3]
            years = _years(masked[max(0, masked.rfind("。", 0, m.start())):m.start()])
            out.append({"kind": "outcome", "indicator": m.group(0), "kpi": row["kpi"],
                        "comparator": ("<=" if _TAIL_LE.match(tail) else ">=" if _TAIL_GE.match(tail)
                                       else "≈" if _TAIL_APPROX.match(tail) else row["comparator"]),
                        "value": value, "value_hi": None, "unit": "",
                        "year": years[-1] if years else ctx.year, "base_year": None, "scope": "",
                        "stretch": bool(_STRETCH.search(masked[max(0, m.start() - 20):c.start()])),
                        "binding": ctx.binding, "line": block.line_at(base + c.start(1)),
                        "rank_of": None, "rank_side": None})
    return out
