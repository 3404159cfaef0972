"""Every quantity printed in a sentence: a number (Arabic, full-width, Chinese, a range) with its unit.

Works on normalised text (pipelines.text.normalize: half-width digits, simplified script). The first
step of reading targets quantity-first: pipelines.parsing.targets then reads the phrase around each
quantity (comparator, indicator, year, scope) and decides whether it is a target at all.

Not quantities: numbers without a unit (list markers, years, document numbers 〔2018〕22号), digits that
belong to a name (PM2.5, PM10, O3, NO2, GB3095-2012, 2+26), placeholders (xx%, ××微克).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# unit as printed -> the one spelling records use. Longest spellings first (the regex is built in order).
_UNITS: tuple[tuple[str, str], ...] = (
    ("微克每立方米", "µg/m³"), ("微克/立方米", "µg/m³"), ("微克/立方公尺", "µg/m³"), ("μg/m3", "µg/m³"), ("µg/m3", "µg/m³"),
    ("μg/m³", "µg/m³"), ("µg/m³", "µg/m³"), ("ug/m3", "µg/m³"), ("ug/m³", "µg/m³"),
    ("毫克/升", "mg/L"), ("mg/L", "mg/L"), ("mg/l", "mg/L"), ("毫克每立方米", "mg/m³"), ("毫克/立方米", "mg/m³"), ("mg/m3", "mg/m³"), ("mg/m³", "mg/m³"),
    ("吨/月·平方公里", "吨/月·平方公里"), ("吨/(月·平方公里)", "吨/月·平方公里"),
    ("吨/（月·平方公里）", "吨/月·平方公里"), ("吨/平方公里·月", "吨/月·平方公里"),
    ("吨/（平方公里·月）", "吨/月·平方公里"), ("吨/平方公里/月", "吨/月·平方公里"),
    ("吨/月/平方公里", "吨/月·平方公里"), ("吨/月.平方公里", "吨/月·平方公里"),
    ("个百分点", "个百分点"), ("百分点", "个百分点"), ("%", "%"), ("％", "%"), ("‰", "‰"),
    ("万立方米/日", "万立方米/日"), ("万立方米/天", "万立方米/日"), ("立方米/日", "立方米/日"),
    ("万吨/日", "万吨/日"), ("万吨/天", "万吨/日"), ("吨/日", "吨/日"), ("吨/天", "吨/日"),
    ("蒸吨/小时", "蒸吨"), ("蒸吨", "蒸吨"), ("万千瓦", "万千瓦"), ("千瓦", "千瓦"),
    ("亿立方米", "亿立方米"), ("万立方米", "万立方米"), ("立方米", "立方米"), ("万方", "万立方米"),
    ("万吨", "万吨"), ("吨", "吨"), ("万亩", "万亩"), ("亩", "亩"), ("公顷", "公顷"),
    ("平方公里", "平方公里"), ("平方千米", "平方公里"), ("万平方米", "万平方米"), ("平方米", "平方米"),
    ("公里", "公里"), ("千米", "公里"), ("米", "米"),
    ("万户", "万户"), ("户", "户"), ("万辆", "万辆"), ("辆", "辆"), ("台套", "台"), ("台", "台"),
    ("个", "个"), ("家", "家"), ("座", "座"), ("处", "处"), ("条", "条"), ("套", "套"), ("项", "项"),
    ("所", "所"), ("艘", "艘"), ("根", "根"), ("眼", "眼"), ("口", "口"), ("批", "批"),
    ("天", "天"), ("位", "位"),
)
UNIT_OF = dict(_UNITS)
# Counted things (what a task does) as opposed to levels of a quality.
COUNT_UNITS = frozenset({
    "万吨/日", "吨/日", "万立方米/日", "立方米/日", "蒸吨", "万千瓦", "千瓦", "万立方米", "立方米", "万吨", "吨",
    "万亩", "亩", "公顷", "平方公里", "万平方米", "平方米", "公里", "米", "万户", "户", "万辆", "辆", "台",
    "个", "家", "座", "处", "条", "套", "项", "所", "艘", "根", "眼", "口", "批"})

_CN_DIGITS = "零〇一二两三四五六七八九十百千万点"
_UNIT_ALT = "|".join(re.escape(u) for u, _ in sorted(_UNITS, key=lambda p: -len(p[0])))
_NUM = r"\d+(?:\.\d+)?"
# A number not glued to a name before it (PM2.5, O3, GB3095, 2+26, 十四五 uses no digits).
_QUANTITY = re.compile(
    rf"(?<![A-Za-z\d.+_/-])(?P<lo>{_NUM})(?P<lo_unit>%|％|万(?=\s*[-—–~～至到]\s*\d))?"
    rf"(?:\s*(?P<sep>[-—–~～至到])\s*(?P<hi>{_NUM}))?"
    rf"\s*(?P<wan>万(?!吨|立方米|千瓦|亩|户|辆|平方米|方))?(?P<unit>{_UNIT_ALT})")
# 百分之二十五 / 百分之8
_CN_PERCENT = re.compile(rf"百分之(?P<num>[{_CN_DIGITS}]+|{_NUM})")
# 三十五天, 两座, 五个百分点 — a Chinese numeral before a unit; 一 alone (一个, 一批, 一次) is an article.
_CN_QUANTITY = re.compile(
    rf"(?<![{_CN_DIGITS}每第之])(?P<num>[{_CN_DIGITS}]{{1,8}})(?P<unit>个百分点|微克/立方米|天|座|家|台|处|条|万千瓦|蒸吨)")
_NAME_DIGITS = re.compile(r"(?:PM|pm|O|NO|SO|CO|NH|GB|HJ|COD|BOD)\s*$")


@dataclass(frozen=True)
class Quantity:
    start: int
    end: int
    value: float | int
    value_hi: float | int | None
    unit: str
    printed: str

    @property
    def is_count(self) -> bool:
        return self.unit in COUNT_UNITS


def _number(text: str) -> int | float:
    return float(text) if "." in text else int(text)


@lru_cache(maxsize=512)
def _cn_number(text: str) -> int | float | None:
    try:
        import cn2an
        value = cn2an.cn2an(text, "smart")
    except (ValueError, KeyError, IndexError):
        return None
    return int(value) if float(value).is_integer() else float(value)


def find_quantities(text: str) -> list[Quantity]:
    """The quantities of ``text`` in reading order (offsets into ``text``)."""
    out: list[Quantity] = []
    for m in _QUANTITY.finditer(text):
        if _NAME_DIGITS.search(text, max(0, m.start() - 4), m.start()):
            continue
        unit = UNIT_OF[m.group("unit")]
        if m.group("lo_unit") == "万":  # 3万-6万户: both ends in 万
            unit = unit if unit.startswith("万") else "万" + unit
        elif m.group("lo_unit") and m.group("hi") is None:
            # 80%以上 where the regex ran on into a count unit after the percent sign
            out.append(Quantity(m.start(), m.start("lo_unit") + 1, _number(m.group("lo")), None, "%",
                                text[m.start():m.start("lo_unit") + 1]))
            continue
        if m.group("wan"):
            unit = "万" + unit
        hi = _number(m.group("hi")) if m.group("hi") else None
        out.append(Quantity(m.start(), m.end(), _number(m.group("lo")), hi, unit, m.group(0)))
    taken = [(q.start, q.end) for q in out]
    for m in _CN_PERCENT.finditer(text):
        raw = m.group("num")
        value = _number(raw) if raw[0].isdigit() else 100 if raw == "百" else _cn_number(raw)
        if value is not None:
            out.append(Quantity(m.start(), m.end(), value, None, "%", m.group(0)))
            taken.append((m.start(), m.end()))
    for m in _CN_QUANTITY.finditer(text):
        raw = m.group("num")
        if raw in ("一", "两", "几", "十") or any(s <= m.start() < e for s, e in taken):
            continue
        value = _cn_number(raw)
        if value is not None:
            out.append(Quantity(m.start(), m.end(), value, None, UNIT_OF.get(m.group("unit"), m.group("unit")),
                                m.group(0)))
    return sorted(out, key=lambda q: q.start)
