"""Numeric targets -> KPI catalogue codes, comparator, value, unit, year, stretch."""
from __future__ import annotations

import re

from ..reference import KpiCatalogue
from ..text.blocks import Block

_NUMBER_UNIT = re.compile(r"(\d+(?:\.\d+)?)\s*(%|％|微克/立方米|μg/m3|µg/m³|ug/m3|天)")
_YEAR = re.compile(r"(20\d{2})年")
_STRETCH = re.compile(r"力争|争取")
_LE = re.compile(r"降到|降至|下降到|不高于|不超过|低于|控制在|以下|以内")
_GE = re.compile(r"达到|以上|不低于|提高到|提升到|提升至|提高至|达")
# A later clause still speaks of the same indicator only when it opens with one of these.
_CONTINUATION = re.compile(r"^(?:力争|争取|确保|并|或|稳定)")
_UNIT_OF = {"%": "%", "％": "%", "微克/立方米": "µg/m³", "μg/m3": "µg/m³", "µg/m³": "µg/m³",
            "ug/m3": "µg/m³", "天": "天"}


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
                num = _NUMBER_UNIT.search(clause if offset != m.start() else clause[m.end() - m.start():])
                if not num:
                    continue
                unit = _UNIT_OF[num.group(2)]
                if unit != kpi["unit"]:
                    continue
                targets.append({
                    "indicator": m.group(0),
                    "kpi": kpi["kpi"],
                    "comparator": _comparator(clause, kpi["comparator"]),
                    "value": float(num.group(1)) if "." in num.group(1) else int(num.group(1)),
                    "unit": unit,
                    "year": year,
                    "scope": "",
                    "stretch": bool(_STRETCH.search(clause)),
                    "line": block.line_at(base + offset),
                })
    return targets
