"""Numeric targets -> KPI catalogue codes, comparator, value, unit, year, stretch."""
from __future__ import annotations

import re

from ..reference import KpiCatalogue
from ..text.blocks import Block

_NUMBER_UNIT = re.compile(r"(\d+(?:\.\d+)?)\s*(%|％|微克/立方米|μg/m3|µg/m³|ug/m3|天|亿立方米|位)")
_COEFFICIENT = re.compile(r"(?<![\d.])(0\.\d+|1\.0+)(?![\d.%])")  # a unitless ratio such as 0.588
_CHANGE = re.compile(r"(同比)?(下降|降低|减少|上升|提高|增加)")
_SCOPE = re.compile(r"(市区|主城区|中心城区|城市建成区|县城建成区|全市|全县|全省)")
_RANK_SCOPE = re.compile(r"在(全国|全省|全市)((\d+)个[^，。；]{1,8}?)(?:中|排名)")
# 退出后20位: leave the last 20 places; 进入前20位 / 前20位: be among the first 20.
_RANK_SIDE = re.compile(r"(前|后)\s*$")
_YEAR = re.compile(r"(20\d{2})年")
_BASE_YEAR = re.compile(r"(?:较|比)(20\d{2})年")  # 较2020年下降10%; 同比 means the year before
_STRETCH = re.compile(r"力争|争取")
_LE = re.compile(r"降到|降至|下降到|不高于|不超过|低于|控制在|以下|以内")
_GE = re.compile(r"达到|以上|不低于|提高到|提升到|提升至|提高至|达")
# A later clause still speaks of the same indicator only when it opens with one of these.
_CONTINUATION = re.compile(r"^(?:力争|争取|确保|并|或|稳定)")
_UNIT_OF = {"%": "%", "％": "%", "微克/立方米": "µg/m³", "μg/m3": "µg/m³", "µg/m³": "µg/m³",
            "ug/m3": "µg/m³", "天": "天", "亿立方米": "亿立方米", "位": "位"}


def _comparator(clause: str, default: str) -> str:
    if _LE.search(clause):
        return "<="
    if _GE.search(clause):
        return ">="
    return default


def _clauses_after(text: str, start: int) -> list[tuple[int, str]]:
    """The clause holding ``start`` and the ones after it in the same sentence."""
    sentence_end = min([i for i in (text.find("。", start), text.find("；", start)) if i >= 0],
                       default=len(text))
    out, pos = [], start
    for piece in re.split(r"(，)", text[start:sentence_end]):
        if piece != "，" and piece:
            out.append((pos, piece))
        pos += len(piece)
    return out


def _number(text: str) -> int | float:
    return float(text) if "." in text else int(text)


def _value_in(clause: str, kpi: dict) -> tuple[int | float, str, str | None] | None:
    """(value, unit, comparator or None for the default) of the first number fit for ``kpi``."""
    if kpi["unit"] == "":
        m = _COEFFICIENT.search(clause)
        return (_number(m.group(1)), "", None) if m else None
    m = _NUMBER_UNIT.search(clause)
    if not m:
        return None
    unit = _UNIT_OF[m.group(2)]
    change = _CHANGE.search(clause[:m.start()])
    if unit == "%" and kpi["unit"] != "%" and change:  # 二氧化硫同比下降30%: a relative change
        return _number(m.group(1)), "%", "decrease_by" if change.group(2) in "下降降低减少" else "increase_by"
    if unit != kpi["unit"]:
        return None
    return _number(m.group(1)), unit, ("rank" if unit == "位" else None)


def _scope(text: str, sentence_start: int, m: re.Match, ranked: bool) -> str:
    """Where the target applies, when the sentence says so (市区, 县城建成区, 全国168个重点城市…)."""
    rank = _RANK_SCOPE.search(text, sentence_start, m.end() + 30) if ranked else None
    if rank:
        return rank.group(1) + rank.group(2)
    before = _SCOPE.findall(text[max(sentence_start, m.start() - 12):m.start()])
    return before[-1] if before else ""


def _base_year(clause: str, year: int | None, comparator: str | None) -> int | None:
    """The year a relative change (decrease_by / increase_by) is measured from."""
    if comparator not in ("decrease_by", "increase_by"):
        return None
    printed = _BASE_YEAR.search(clause)
    return int(printed.group(1)) if printed else (year - 1 if year else None)


def _ranking(text: str, sentence_start: int, m: re.Match, clause: str) -> dict:
    """How many are ranked (168 of 全国168个重点城市) and which end the place counts from."""
    scope = _RANK_SCOPE.search(text, sentence_start, m.end() + 30)
    number = _NUMBER_UNIT.search(clause)
    side = _RANK_SIDE.search(clause[:number.start()]) if number else None
    return {"rank_of": int(scope.group(3)) if scope else None,
            "rank_side": {"前": "top", "后": "bottom"}[side.group(1)] if side else None}


def find_targets(block: Block, catalogue: KpiCatalogue, plan_year: int | None,
                 text: str | None = None, base: int = 0) -> list[dict]:
    """Targets worded in ``text`` (default: the block's text); ``base`` maps offsets into the block."""
    text = block.text if text is None else text
    targets = []
    for kpi in catalogue.rows:
        for m in re.finditer(kpi["pattern"], text):
            sentence_start = max(text.rfind("。", 0, m.start()), text.rfind("；", 0, m.start())) + 1
            years = _YEAR.findall(text[sentence_start:m.start()])
            year = int(years[-1]) if years else plan_year
            for offset, clause in _clauses_after(text, m.start()):
                if offset != m.start() and not _CONTINUATION.match(clause):
                    break
                after = clause if offset != m.start() else clause[m.end() - m.start():]
                found = _value_in(after, kpi)
                if found is None:
                    continue
                value, unit, comparator = found
                targets.append({
                    "indicator": m.group(0),
                    "kpi": kpi["kpi"],
                    "comparator": comparator or _comparator(clause, kpi["comparator"]),
                    "value": value,
                    "unit": unit,
                    "year": year,
                    "scope": _scope(text, sentence_start, m, ranked=unit == "位"),
                    "stretch": bool(_STRETCH.search(clause)),
                    "line": block.line_at(base + offset),
                    "base_year": _base_year(after, year, comparator),
                    **(_ranking(text, sentence_start, m, after) if unit == "位"
                       else {"rank_of": None, "rank_side": None}),
                })
    return targets
