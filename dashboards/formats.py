"""How the dashboard writes a value for people, in one place: on screen, in charts' labels and in downloads.

Percent with one decimal, thousands separators, dates as 2023年12月31日 (zh) or 2023-12-31 (en), times in
Beijing time, a task by its plan and item number, a source by its plan and line. Each rule is written once
as a Python function (for values already in Python) and, where a grid's rows are cut by DuckDB, once as SQL
beside it, so the two cannot drift apart (tests/unit/test_formats.py holds them to the same text).
Ids, file names and hashes are never a visible cell: they go to tooltips and downloads.
"""
from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

BEIJING = ZoneInfo("Asia/Shanghai")
DASH = "—"


def missing(x) -> bool:
    """None, NaN, NaT and pandas' NA: no value."""
    return x is None or (isinstance(x, float) and x != x) or str(x) in ("NaT", "nan", "<NA>")


def percent(x) -> str:
    """A rate (0.4894) as people read it: 48.9%."""
    return DASH if missing(x) else f"{float(x) * 100:.1f}%"


def number(x) -> str:
    """A count or a measured value with thousands separators: 141,600; 35.2 (at most the decimals it has)."""
    if missing(x):
        return DASH
    value = float(x)
    # two decimals at most, the zeros rounding leaves dropped (0.0999 is 0.1, as number_sql writes it)
    return f"{int(value):,}" if value == int(value) else f"{value:,.2f}".rstrip("0").rstrip(".")


def signed_points(x) -> str:
    """A difference of two rates in percentage points: +12.3 个百分点 is written +12.3 pp in both languages."""
    return DASH if missing(x) else f"{float(x) * 100:+.1f} pp"


def _as_date(value) -> dt.date | None:
    if missing(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value)[:10]
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def day(value, lang: str) -> str:
    """A date: 2023年12月31日 (zh), 2023-12-31 (en); empty when there is none."""
    d = _as_date(value)
    if d is None:
        return ""
    return d.isoformat() if lang == "en" else f"{d.year}年{d.month}月{d.day}日"


def month(period, lang: str) -> str:
    """A reporting period '2023-07' as 2023年7月 (zh) or 2023-07 (en)."""
    if missing(period) or not str(period):
        return ""
    text = str(period)[:7]
    match = re.fullmatch(r"(\d{4})-(\d{2})", text)
    if not match or lang == "en":
        return text
    return f"{match[1]}年{int(match[2])}月"


def moment(value, lang: str) -> str:
    """A point in time in Beijing time (naive values are UTC, as the pipeline and the audit log write them):
    2023年12月31日 07:32 (zh), 2023-12-31 07:32 (en)."""
    if missing(value) or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return day(value, lang)
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime()
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    local = value.astimezone(BEIJING)
    return f"{day(local.date(), lang)} {local:%H:%M}"


def task_name(plan_title: str, no, lang: str) -> str:
    """A task as people cite it: 新绛县2023土壤计划 第5条 (the plan and the item number)."""
    if missing(no) or str(no) == "":
        return plan_title
    return f"{plan_title} item {no}" if lang == "en" else f"{plan_title} 第{no}条"


def source_name(plan_title: str, line, lang: str) -> str:
    """Where a sentence was printed: 新绛县土壤计划 第304行 (the file's name goes to the tooltip)."""
    if missing(line):
        return plan_title or ""
    return f"{plan_title} line {int(line)}" if lang == "en" else f"{plan_title} 第{int(line)}行"


_SUBMISSION_KIND = {"observations": ("监测数据", "monitoring data")}  # any other kind: a progress report (报表)


def submission_name(region, unit, first, last, kind, lang: str) -> str:
    """A submission file as people name it, from its rows (mart_input_files): 阳泉市 市生态环境局 2023年12月
    报表, 芮城县 监测数据 2023年1月–2023年12月; empty when its rows said nothing (the caller shows the file)."""
    if missing(region) and missing(unit):
        return ""
    what = _SUBMISSION_KIND.get(kind, ("报表", "report"))[lang == "en"]
    periods = month(first, lang) if missing(last) or last == first else f"{month(first, lang)}–{month(last, lang)}"
    who = " ".join(str(x) for x in (region, unit) if not missing(x))
    return (f"{who} {what} {periods}" if lang == "en" else f"{who} {periods} {what}").replace("  ", " ").strip()


_MARKDOWN = re.compile(r"\*\*|__|(?<!\w)[*_`](?!\s)|(?<!\s)[*_`](?!\w)|^#+\s*|^\s*[-*]\s+", re.M)


def plain(text) -> str:
    """A sentence for display: markdown residue (**PM2.5**, `x`, # headings, list bullets) taken out and the
    printed line breaks of one paragraph joined (a Chinese line break inside a sentence is no space). The
    original is kept where it is stored and shown in the detail."""
    if missing(text):
        return ""
    joined = re.sub(r"(?<=[^\n])\n(?=[^\n])", "", str(text))
    return _MARKDOWN.sub("", joined).strip()


# --- the same rules in SQL (DuckDB), for the views whose rows a grid cuts in the database ------------------

def percent_sql(expr: str) -> str:
    return f"case when {expr} is null or isnan({expr}::double) then '{DASH}' else printf('%.1f%%', {expr} * 100) end"


def day_sql(expr: str, lang: str) -> str:
    pattern = "%Y-%m-%d" if lang == "en" else "%Y年%-m月%-d日"
    return f"coalesce(strftime(try_cast({expr} as date), '{pattern}'), '')"


def month_sql(expr: str, lang: str) -> str:
    if lang == "en":
        return f"coalesce({expr}, '')"
    return (f"coalesce(case when regexp_matches({expr}, '^\\d{{4}}-\\d{{2}}$') "
            f"then left({expr}, 4) || '年' || cast(cast(right({expr}, 2) as integer) as varchar) || '月' "
            f"else {expr} end, '')")


# A source's and a submission's name SQL write their name argument once: DuckDB plans a page's query on every
# request, and planning grows with the expression — a name written twice inside another written twice (a
# file's name in a refused row's source) was 20 ms of planning per query on /quality. (plan || '') is plan;
# null || '' stays null. A task's name takes columns only: left as it was.

def task_name_sql(plan: str, no: str, lang: str) -> str:
    word = ("' item ' || ", "") if lang == "en" else ("' 第' || ", " || '条'")
    return f"case when {no} is null or {no}::varchar = '' then {plan} else {plan} || {word[0]}{no}::varchar{word[1]} end"


def source_name_sql(plan: str, line: str, lang: str) -> str:
    word = ("' line ' || ", "") if lang == "en" else ("' 第' || ", " || '行'")
    return f"{plan} || coalesce({word[0]}{line}::varchar{word[1]}, '')"


def submission_name_sql(region: str, unit: str, first: str, last: str, kind: str, lang: str,
                        unnamed: str = "''") -> str:
    """submission_name() in SQL; ``unnamed`` (SQL) where it is empty — the file's name, say (a nullif of the
    whole name would write it twice)."""
    what = (" || ".join(f"case when {kind} = '{k}' then '{v[lang == 'en']}'" for k, v in _SUBMISSION_KIND.items())
            + f" else '{'report' if lang == 'en' else '报表'}' end")
    periods = (f"{month_sql(first, lang)} || "
               f"case when {last} is null or {last} = {first} then '' else '–' || {month_sql(last, lang)} end")
    who = f"concat_ws(' ', {region}, {unit})"
    parts = f"{who}, {what}, {periods}" if lang == "en" else f"{who}, {periods}, {what}"
    return (f"case when {region} is null and {unit} is null then {unnamed} "
            f"else trim(replace(concat_ws(' ', {parts}), '  ', ' ')) end")


def number_sql(expr: str, lang: str = "zh") -> str:
    """number() in SQL: thousands separators; whole numbers without decimals, others with at most two."""
    return (f"case when {expr} is null then '{DASH}' when {expr} = trunc({expr}) "
            f"then format('{{:,}}', {expr}::bigint) "
            f"else rtrim(rtrim(format('{{:,.2f}}', {expr}::double), '0'), '.') end")


def moment_sql(expr: str, lang: str) -> str:
    """moment() in SQL for the pipeline's naive UTC timestamps: Beijing is UTC+8 all year (no summer time
    since 1991), so eight hours on is exact."""
    pattern = "%Y-%m-%d %H:%M" if lang == "en" else "%Y年%-m月%-d日 %H:%M"
    return f"coalesce(strftime(try_cast({expr} as timestamp) + interval 8 hour, '{pattern}'), '')"


SQL_WRITERS = {"percent": lambda expr, lang: percent_sql(expr), "number": number_sql, "day": day_sql,
               "month": month_sql, "moment": moment_sql}


# The same rules for a grid's cell that keeps its number (sorted and filtered as a number): AG Grid value
# formatters, with the d3-format that dash-ag-grid ships.
GRID_FORMATTERS = {
    "percent": f"params.value == null ? '{DASH}' : d3.format('.1%')(params.value)",
    "number": f"params.value == null ? '{DASH}' : d3.format(',.2~f')(params.value)",
}
