"""Deadline phrases -> {text, due_date, kind}.

kinds (docs/contracts/extraction.md, "Deadlines"):
- ``date``: a due date. A month-only deadline (5月底前, 年底前, 当年) takes its year from the plan;
  上半年 / 第三季度 end with their half or quarter; a year alone is due at its end when something
  is to be finished or started in it (2023年完成, 2022年开工). Event words with a conventional date
  carry ``convention``: 汛前 -> 31 May, 供暖季前 -> 31 October (of the plan year).
- ``relative``: a period counted from the notice's issue date (一年内, 半年内, 三个月内, 为期3个月,
  用两年时间); ``due_date``
  is issue date + period (null when the notice carries no date), ``period_months`` the period.
- ``window``: a period such as 5—9月 or 10月至次年3月; ``due_date`` is its end.
- ``ongoing``: standing wording (长期坚持 / 持续推进); also "from a date on" (2021年5月起,
  自2022年起, 2022年8月份起) with ``start_date``.
- ``recurring`` (每月 / 按季度), ``seasonal`` (秋冬季 / 采暖季 / 汛期 / 冬春浇期间: during, not before).
- ``unknown``: a deadline that cannot be dated (赛前, 省级规定时间内, 立行立改) kept with its text;
  已完成 at publication, with ``done``.
"""
from __future__ import annotations

import calendar
import re
from datetime import date

_DASH = "-—－–~～至到"
_CN_DIGIT = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
# Seasonal words that, followed by 前, stand for a conventional date (month, day) of the plan year.
_CONVENTIONS = (
    (re.compile(r"汛"), (5, 31), "汛前 -> 5月31日"),
    (re.compile(r"供暖|采暖|入冬"), (10, 31), "供暖季前 -> 10月31日"),
)
_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("window_months", re.compile(
        rf"(?:(\d{{4}})年)?(\d{{1,2}})月(?:(\d{{1,2}})日)?[{_DASH}]+(次年|翌年|第二年|(\d{{4}})年)?"
        r"(\d{1,2})月(?:(\d{1,2})日)?(?:份|底|末)?")),
    ("from_date", re.compile(r"(?:自|从)?(\d{4})年(?:(\d{1,2})月(?:份)?(?:(\d{1,2})日)?)?(?:起|开始)")),
    ("full_date", re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日(?:前|之前)")),
    ("window", re.compile(rf"(?:(\d{{4}})年)?(\d{{1,2}})[{_DASH}](\d{{1,2}})月(?:份)?")),
    ("year_month", re.compile(r"(\d{4})年(\d{1,2})月(?:底|末|份)?(?:前|之前|完成|底)")),
    ("recurring", re.compile(r"每年\d{1,2}月(?:底|末)?(?:前|之前)?")),
    ("month_day", re.compile(r"(?<![\d年每])(\d{1,2})月(\d{1,2})日(?:前|之前)")),
    ("month", re.compile(r"(?<![\d年每])(\d{1,2})月(?:份)?(?:(?:底|末)(?:前|之前)?|前|之前)")),
    ("half_quarter", re.compile(
        r"(?:(\d{4})年)?(?<![每按])(?:(上|下)半年|第?([一二三四1-4])季度)(?:末|底)?(?:前|之前)?")),
    ("relative", re.compile(r"(?<![每第上下\d])(半|[一二两三四五六七八九十]|\d{1,2})个?(年|月)(?:内|之内|以内)")),
    ("relative", re.compile(r"(?:为期|(?<![使采利作应运])用)(半|[一二两三四五六七八九十]|\d{1,2})个?(年|月)(?:左右)?(?:的?时间)?")),
    ("year_end", re.compile(r"(\d{4})年(?:年底|底|年内|内|末)(?:前)?")),
    ("convention", re.compile(r"(?:(\d{4})年)?(?:主汛期|汛期|入汛|汛|供暖季|供暖期|采暖季|采暖期|入冬)(?:前|之前)")),
    ("plan_year_end", re.compile(r"(?<![\d年半一二两三四五六七八九十个])(?:年底|年末|年内|当年|本年度|今年)前?")),
    ("year_only", re.compile(r"(\d{4})年(?:前|之前)?(?:全面完成|基本完成|完成|开工|建成|投运|实现|启动)")),
    ("year_header", re.compile(r"(?:到|至)(\d{4})年(?![底末前内\d])")),
    ("done", re.compile(r"^已完成$")),
    ("undatable", re.compile(
        r"赛前|赛事前|(?:按照?|在)?(?:国家|省级|省|市级|市|上级)(?:规定|要求)的?(?:时间|时限|期限)(?:内|前)?"
        r"|规定(?:时间|时限|期限)内|立行立改")),
    ("ongoing", re.compile(r"长期坚持|持续推进|长期开展|持续开展")),
    ("recurring", re.compile(r"每月|每季度|按季度|按月|每半年|每年|每周|每日|每天")),
    ("seasonal", re.compile(r"秋冬季|采暖季|供暖季|采暖期|供暖期|汛期|夏季|冬春浇(?:期间)?|冬春灌(?:溉)?期?(?:间)?")),
]


# Characters every match of a pattern contains: a text without any of them is not scanned.
_NEEDS = {
    "window_months": ("月",), "from_date": ("起", "开始"), "full_date": ("日",), "window": ("月",),
    "year_month": ("月",), "recurring": ("每", "按"), "month_day": ("日",), "month": ("月",),
    "half_quarter": ("半年", "季度"), "relative": ("内", "为期", "用"), "year_end": ("年",), "convention": ("前",),
    "plan_year_end": ("年",), "year_only": ("年",), "year_header": ("年",), "done": ("已完成",),
    "undatable": ("前", "内", "立行", "规定", "要求"), "ongoing": ("持续", "长期"), "seasonal": ("季", "汛", "期", "冬春"),
}


def _month_end(year: int | None, month: int) -> date | None:
    if year is None or not (1 <= month <= 12) or not (1990 <= year <= 2100):
        return None
    return date(year, month, calendar.monthrange(year, month)[1])


def _day(year: int | None, month: int, day: int) -> date | None:
    try:
        return date(year, month, day) if year else None
    except ValueError:
        return None


def _add_months(start: date, months: int) -> date:
    total = start.month - 1 + months
    year, month = start.year + total // 12, total % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def _number(token: str) -> int:
    return int(token) if token.isdigit() else _CN_DIGIT[token]


def _record(text: str, due: date | None, kind: str) -> dict:
    if kind in ("date", "window") and due is None:
        kind = "unknown"
    return {"text": text, "due_date": due.isoformat() if due else None, "kind": kind}


def _from_match(name: str, m: re.Match, plan_year: int | None, issued: date | None) -> dict:
    text = m.group(0)
    if name == "full_date":
        return _record(text, _day(int(m.group(1)), int(m.group(2)), int(m.group(3))), "date")
    if name == "month_day":
        return _record(text, _day(plan_year, int(m.group(1)), int(m.group(2))), "date")
    if name == "window_months":
        start_year = int(m.group(1)) if m.group(1) else plan_year
        if m.group(5):
            end_year = int(m.group(5))
        elif m.group(4) or (m.group(6) and m.group(2) and int(m.group(6)) < int(m.group(2))):
            end_year = start_year + 1 if start_year else None  # 10月至次年3月
        else:
            end_year = start_year
        end_month = int(m.group(6))
        due = _day(end_year, end_month, int(m.group(7))) if m.group(7) else _month_end(end_year, end_month)
        return _record(text, due, "window")
    if name == "window":
        year = int(m.group(1)) if m.group(1) else plan_year
        return _record(text, _month_end(year, int(m.group(3))), "window")
    if name == "year_month":
        return _record(text, _month_end(int(m.group(1)), int(m.group(2))), "date")
    if name == "month":
        return _record(text, _month_end(plan_year, int(m.group(1))), "date")
    if name == "half_quarter":
        year = int(m.group(1)) if m.group(1) else plan_year
        month = {"上": 6, "下": 12}[m.group(2)] if m.group(2) else 3 * _number(m.group(3))
        return _record(text, _month_end(year, month), "date")
    if name == "relative":
        months = 6 if m.group(1) == "半" else _number(m.group(1)) * (12 if m.group(2) == "年" else 1)
        rec = _record(text, _add_months(issued, months) if issued else None, "relative")
        return dict(rec, period_months=months)
    if name in ("year_end", "year_only", "year_header"):
        return _record(text, _month_end(int(m.group(1)), 12), "date")
    if name == "plan_year_end":
        return _record(text, _month_end(plan_year, 12), "date")
    if name == "convention":
        year = int(m.group(1)) if m.group(1) else plan_year
        (month, day), convention = next((md, c) for p, md, c in _CONVENTIONS if p.search(text))
        return dict(_record(text, _day(year, month, day), "date"), convention=convention)
    if name == "from_date":
        start = _day(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
        return dict(_record(text, None, "ongoing"), start_date=start.isoformat() if start else None)
    if name == "done":
        return dict(_record(text, None, "unknown"), done=True)
    if name == "undatable":
        return _record(text, None, "unknown")
    return _record(text, None, name)


def find_deadlines(text: str, plan_year: int | None, with_offsets: bool = False,
                   issued: date | None = None) -> list[dict]:
    """Every deadline phrase in a task text, in reading order, without overlaps.

    ``issued``: the notice's issue date, the start of relative periods (一年内).
    ``with_offsets`` adds ``offset`` (where the phrase starts in ``text``) to each record."""
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, dict]] = []
    for name, pattern in _PATTERNS:
        if not any(needle in text for needle in _NEEDS[name]):
            continue  # the pattern cannot match: not scanned
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            found.append((m.start(), _from_match(name, m, plan_year, issued)))
    found.sort(key=lambda item: item[0])
    return [dict(rec, offset=pos) if with_offsets else rec for pos, rec in found]


_CELL_YEAR_MONTH = re.compile(r"^(\d{4})年(\d{1,2})月$")


def parse_deadline(text: str, plan_year: int | None, issued: date | None = None) -> dict:
    """One deadline cell (an annex ledger's 完成时限 column): a bare 2022年7月 is due that month."""
    if (m := _CELL_YEAR_MONTH.match(text.strip())):
        return _record(text, _month_end(int(m.group(1)), int(m.group(2))), "date")
    found = find_deadlines(text, plan_year, issued=issued)
    return found[0] if found else _record(text, None, "unknown")
