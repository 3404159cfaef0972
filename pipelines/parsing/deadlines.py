"""Deadline phrases -> {text, due_date, kind}.

kinds: date (a due date), window (a period such as 5—9月; due_date is its end), ongoing
(长期坚持 / 持续推进; also "from a date on": 2021年5月起, with ``start_date``), recurring
(每月 / 按季度), seasonal (秋冬季 / 采暖季), unknown (已完成 at publication, with ``done``).
A month-only deadline (5月底前, 年底前) takes its year from the plan. A year alone is due at its
end when something is to be finished or started in it (2023年完成, 2022年开工).
"""
from __future__ import annotations

import calendar
import re
from datetime import date

_DASH = "-—－–~～至到"
_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("from_date", re.compile(r"(\d{4})年(\d{1,2})月(?:(\d{1,2})日)?(?:起|开始)")),
    ("full_date", re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日(?:前|之前)")),
    ("window", re.compile(rf"(?:(\d{{4}})年)?(\d{{1,2}})[{_DASH}](\d{{1,2}})月(?:份)?")),
    ("year_month", re.compile(r"(\d{4})年(\d{1,2})月(?:底|末|份)?(?:前|之前|完成|底)")),
    ("recurring", re.compile(r"每年\d{1,2}月(?:底|末)?(?:前|之前)?")),
    ("month", re.compile(r"(?<![\d年每])(\d{1,2})月(?:(?:底|末)(?:前|之前)?|前|之前)")),
    ("year_end", re.compile(r"(\d{4})年(?:年底|底|年内|内|末)(?:前)?")),
    ("plan_year_end", re.compile(r"(?<![\d年])(?:年底|年末)前?")),
    ("year_only", re.compile(r"(\d{4})年(?:前|之前)?(?:全面完成|基本完成|完成|开工|建成|投运|实现|启动)")),
    ("done", re.compile(r"^已完成$")),
    ("ongoing", re.compile(r"长期坚持|持续推进|长期开展|持续开展")),
    ("recurring", re.compile(r"每月|每季度|按季度|按月|每半年|每年")),
    ("seasonal", re.compile(r"秋冬季|采暖季|供暖季|汛期|夏季")),
]


def _month_end(year: int, month: int) -> date | None:
    if not (1 <= month <= 12) or not (1990 <= year <= 2100):
        return None
    return date(year, month, calendar.monthrange(year, month)[1])


def _record(text: str, due: date | None, kind: str) -> dict:
    if kind in ("date", "window") and due is None:
        kind = "unknown"
    return {"text": text, "due_date": due.isoformat() if due else None, "kind": kind}


def _from_match(name: str, m: re.Match, plan_year: int | None) -> dict:
    text = m.group(0)
    if name == "full_date":
        try:
            due = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            due = None
        return _record(text, due, "date")
    if name == "window":
        year = int(m.group(1)) if m.group(1) else plan_year
        return _record(text, _month_end(year, int(m.group(3))) if year else None, "window")
    if name == "year_month":
        return _record(text, _month_end(int(m.group(1)), int(m.group(2))), "date")
    if name == "month":
        return _record(text, _month_end(plan_year, int(m.group(1))) if plan_year else None, "date")
    if name in ("year_end", "year_only"):
        return _record(text, _month_end(int(m.group(1)), 12), "date")
    if name == "plan_year_end":
        return _record(text, _month_end(plan_year, 12) if plan_year else None, "date")
    if name == "from_date":
        try:
            start = date(int(m.group(1)), int(m.group(2)), int(m.group(3) or 1))
        except ValueError:
            start = None
        return dict(_record(text, None, "ongoing"), start_date=start.isoformat() if start else None)
    if name == "done":
        return dict(_record(text, None, "unknown"), done=True)
    return _record(text, None, name)


def find_deadlines(text: str, plan_year: int | None, with_offsets: bool = False) -> list[dict]:
    """Every deadline phrase in a task text, in reading order, without overlaps.

    ``with_offsets`` adds ``offset`` (where the phrase starts in ``text``) to each record."""
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, dict]] = []
    for name, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            found.append((m.start(), _from_match(name, m, plan_year)))
    found.sort(key=lambda item: item[0])
    return [dict(rec, offset=pos) if with_offsets else rec for pos, rec in found]


_CELL_YEAR_MONTH = re.compile(r"^(\d{4})年(\d{1,2})月$")


def parse_deadline(text: str, plan_year: int | None) -> dict:
    """One deadline cell (an annex ledger's 完成时限 column): a bare 2022年7月 is due that month."""
    if (m := _CELL_YEAR_MONTH.match(text.strip())):
        return _record(text, _month_end(int(m.group(1)), int(m.group(2))), "date")
    found = find_deadlines(text, plan_year)
    return found[0] if found else _record(text, None, "unknown")
