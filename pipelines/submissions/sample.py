"""Deterministic sample submissions (示例数据) for the parsed tasks and targets.

Same plans in, same files out, byte for byte. Every file name carries 示例数据 so the warehouse and
the dashboard label the rows as sample data. A few deliberately bad rows and one unreadable file
exercise the quarantine from day one.
"""
from __future__ import annotations

import calendar
import csv
import hashlib
import io
import math
import re
from datetime import date, datetime, time, timedelta
from pathlib import Path

from .contract import OBSERVATION_COLUMNS, SAMPLE_MARK
from .ingest import mark_received
from .templates import ROLE_ZH, UnitTemplate, build_workbook
from .xlsx import save_reproducible

# Units report every month from the month the plan was issued; a few months go unreported and some
# reports arrive late, so reporting compliance has something to find. Year-end is always reported.
SHARE_MISSING = 0.06
SHARE_LATE = 0.12
SILENT_MONTHS = (7, 8)  # one unit per document sends nothing these two months


def uniform(*parts) -> float:
    """A uniform number in [0, 1) fixed by its inputs."""
    h = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return int.from_bytes(h[:8], "big") / 2**64


def calendar_month(year: int, month: int) -> tuple[int, int]:
    """(year, month) of the ``month``-th month counted from January of ``year`` (13 = January next year)."""
    return year + (month - 1) // 12, (month - 1) % 12 + 1


def csv_text(header: list[str], rows: list[list]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def _due(task: dict) -> date | None:
    dates = [d["due_date"] for d in task["deadlines"] if d.get("due_date")]
    return date.fromisoformat(max(dates)) if dates else None


def task_state(task: dict, year: int, month: int) -> tuple[str, int, str]:
    """(status, percent, completed_on) of a task at the end of ``month`` of ``year`` (13… = the months
    after it): a fixed story per task, consistent over periods and the same whichever unit reports it."""
    u = uniform(task["task_id"], "fate")
    due = _due(task)
    period_end = date(*calendar_month(year, month), 28)
    month = min(month, 12)
    if u < 0.6:  # completed at some point in the year
        done_on = date(year, 1, 15) + timedelta(days=int(uniform(task["task_id"], "day") * 330))
        if due and uniform(task["task_id"], "ontime") < 0.7:
            done_on = min(done_on, due)
        if done_on <= period_end:
            return "已完成", 100, done_on.isoformat()
        return "推进中", round(100 * month / 12 * 0.8), ""
    if u < 0.85:
        return "推进中", round(30 + 50 * uniform(task["task_id"], "pct") * month / 12), ""
    if u < 0.93:
        return "滞后", round(20 * month / 12), ""
    return "未启动", 0, ""


def deadline_text(task: dict) -> str:
    return "；".join(d["text"] for d in task["deadlines"])


def _progress_row(task: dict, unit: str, year: int, month: int, planned: float | None = None) -> list:
    """A unit's row for the task; a task with an output target (计划量) also gets its 累计完成量 so far, in
    step with its percent (whole units: 120 of 268 个)."""
    status, percent, completed = task_state(task, year, month)
    done = None if planned is None else int(planned * percent / 100)
    return [task["task_id"], task["text"], deadline_text(task), ROLE_ZH["lead"], f"{year}-{month:02d}", unit, "", "",
            status, percent, completed, done, f"{SAMPLE_MARK}：{status}", SAMPLE_MARK]


def _planned_outputs(plan: dict) -> dict[str, float]:
    """The first output target (by line) of each task of the plan: what its 累计完成量 counts towards."""
    planned: dict[str, float] = {}
    for target in sorted(plan.get("targets", []), key=lambda g: g.get("line") or 0):
        if target.get("kind") == "output" and target.get("task_id") and target.get("value") is not None:
            planned.setdefault(target["task_id"], float(target["value"]))
    return planned


def _lead_units(task: dict) -> list[str]:
    """Every lead unit of the task, by canonical name: each one reports on it."""
    return sorted({u["unit"] for u in task.get("units", []) if u["role"] == "lead"})


def _write_progress(path: Path, template: UnitTemplate, rows: list[list]) -> None:
    """The unit's template (templates.py), filled in the way a unit fills it."""
    save_reproducible(build_workbook(template, rows), path)


# Levels a region typically measures, for indicators the sample reports without a printed level
# (relative targets such as 同比下降30%, and monitoring without a target).
_TYPICAL_LEVEL = {"pm25_concentration": 40.0, "so2_concentration": 20.0, "good_air_days_ratio": 75.0}
# Indicators every region with an air plan reports monthly, target or not.
_MONITORED_AIR = ("pm25_concentration", "good_air_days_ratio")


def _level(target: dict) -> float:
    """The level the sample region aims at for ``target`` (the sample's own story, not a KPI rule)."""
    value = float(target["value"])
    if target["comparator"] == "decrease_by":
        return _TYPICAL_LEVEL.get(target["kpi"], 100.0) * (1 - value / 100)
    if target["comparator"] == "increase_by":
        return _TYPICAL_LEVEL.get(target["kpi"], 50.0) * (1 + value / 100)
    if target["comparator"] == "rank":
        return (target["rank_of"] or 2 * value) - value if target.get("rank_side") != "top" else value
    return value


def _observation_value(kpi: dict, level: float, region: str, year: int, month: int) -> float:
    """Monthly values around the level: concentrations peak in winter; rates drift upward."""
    noise = uniform(kpi["kpi"], region, year, month) - 0.5
    if kpi["comparator"] == "rank":
        return float(max(1, round(level * (1.0 + 0.2 * noise))))
    if kpi["comparator"] == "<=":
        season = 0.35 * math.cos((month - 1) / 12 * 2 * math.pi)
        return round(level * (1.0 + season + 0.3 * noise), 1)
    value = level * (0.9 + 0.15 * month / 12 + 0.1 * noise)
    return round(min(max(value, 0.0), 100.0), 1)


def _baseline_value(kpi: dict, level: float, target: dict) -> float:
    """The annual value of the year before: somewhat short of the level aimed at."""
    if target["comparator"] in ("decrease_by", "increase_by"):
        return _TYPICAL_LEVEL.get(kpi["kpi"], level)
    if kpi["comparator"] == "rank":
        return float(round(level + 0.1 * (target.get("rank_of") or level)))
    if kpi["comparator"] == "<=":
        return round(level * 1.12, 1)
    return round(min(level * 0.9, 100.0), 1)


def _bad_progress_rows(task: dict, unit: str, year: int) -> list[list]:
    """Rows that must be quarantined, one rule each."""
    period, role = f"{year}-12", ROLE_ZH["lead"]
    base = [task["task_id"], task["text"], "", role, period, unit, "", ""]
    return [
        ["T000000000000", "不存在的任务", "", role, period, unit, "", "", "推进中", 50, "", None, f"{SAMPLE_MARK}：错误示例", ""],
        base + ["推进中", 150, "", None, f"{SAMPLE_MARK}：错误示例（进度超过100）", ""],
        base + ["完成了", 100, "", None, f"{SAMPLE_MARK}：错误示例（状态不在列表中）", ""],
        base[:4] + [f"{year}年第四季度", unit, "", "", "推进中", 40, "", None, f"{SAMPLE_MARK}：错误示例（报告期格式）", ""],
        base + ["已完成", 100, "", None, f"{SAMPLE_MARK}：错误示例（缺完成日期）", ""],
    ]


def report_months(doc: dict, year: int) -> range:
    """From the month the plan was issued (January for a plan of an earlier year) to December."""
    issued = date.fromisoformat(doc["issue_date"]) if doc.get("issue_date") else None
    return range(issued.month if issued and issued.year == year else 1, 13)


def _reported(unit: str, year: int, month: int, silent: str) -> bool:
    if month == 12:
        return True
    if unit == silent and month in SILENT_MONTHS:
        return False
    return uniform(unit, year, month, "missing") >= SHARE_MISSING


def _silent_unit(by_unit: dict[tuple[str, int], list[dict]]) -> str:
    """The unit that goes quiet for two months: a fixed choice among units with several tasks."""
    busy = sorted(unit for (unit, _), tasks in by_unit.items() if len(tasks) >= 3)
    return min(busy, key=lambda u: uniform(u, "silent"), default="")


def received_on(unit: str, year: int, month: int) -> datetime:
    """When the unit's report for the month arrives: early the next month, or weeks late."""
    first_of_next = date(*calendar_month(year, month + 1), 1)
    if uniform(unit, year, month, "late") < SHARE_LATE:
        day = first_of_next + timedelta(days=14 + int(uniform(unit, year, month, "delay") * 30))
    else:
        day = first_of_next + timedelta(days=int(uniform(unit, year, month, "day") * 7))
    return datetime.combine(day, time(9)) + timedelta(minutes=int(uniform(unit, year, month, "min") * 480))


_PERIOD_IN_NAME = re.compile(r"_(\d{4})-(\d{2})\.(?:xlsx|csv)$")


def sample_as_of(folders: list[Path]) -> date | None:
    """The end of the last reporting period of the sample submissions in ``folders`` (inbox, archive), or
    None when any submission there is not sample data (then the as-of date is today). A sample judged as
    of today would be years old: every task overdue for years, nothing ever 有风险."""
    last = None
    for folder in folders:
        for path in Path(folder).glob("*") if Path(folder).is_dir() else []:
            if path.suffix.lower() not in (".xlsx", ".csv"):
                continue
            if SAMPLE_MARK not in path.name:
                return None
            if m := _PERIOD_IN_NAME.search(path.name):
                last = max(last or (0, 0), (int(m[1]), int(m[2])))
    if last is None:
        return None
    return date(last[0], last[1], calendar.monthrange(*last)[1])


def generate(docs: list[dict], catalogue: dict[str, dict], inbox: Path) -> list[Path]:
    """Write the sample files for ``docs`` (parse results) into ``inbox``; returns the paths.

    Each progress file's modification time is the day the unit sent it (see ingest.received_at)."""
    inbox.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    planted = False
    cumulative_region = _cumulative_region(docs)
    for d in docs:
        region = d["region"]
        by_unit: dict[tuple[str, int], list[dict]] = {}
        planned = {task_id: value for p in d["plans"] for task_id, value in _planned_outputs(p).items()}
        for p in d["plans"]:
            for t in p["tasks"]:
                for unit in _lead_units(t):
                    by_unit.setdefault((unit, p["year"]), []).append(t)
        silent = _silent_unit(by_unit)
        for (unit, year), tasks in sorted(by_unit.items()):
            for month in report_months(d, year):
                if not _reported(unit, year, month, silent):
                    continue
                rows = [_progress_row(t, unit, year, month, planned.get(t["task_id"])) for t in tasks]
                if not planted and month == 12:
                    rows += _bad_progress_rows(tasks[0], unit, year)
                    planted = True
                template = UnitTemplate(region, unit, f"{year}-{month:02d}")
                path = inbox / f"{SAMPLE_MARK}_{template.file_name}"
                _write_progress(path, template, rows)
                mark_received(path, received_on(unit, year, month))
                written.append(path)
        written += write_observations(d, catalogue, inbox, cumulative=d["region"] == cumulative_region)
    broken = inbox / f"{SAMPLE_MARK}_损坏文件.xlsx"
    broken.write_bytes(b"PK\x03\x04 this is not a real workbook")
    written.append(broken)
    return written


def _cumulative_region(docs: list[dict]) -> str:
    """The one region whose monitoring station reports air quality as 累计 (year to date): a fixed choice."""
    regions = sorted({d["region"] for d in docs})
    return min(regions, key=lambda r: uniform(r, "cumulative"), default="")


def _valid_days(kpi: str, region: str, year: int, month: int) -> int:
    """Days with a valid daily value: most months lose 0–2 days to maintenance; one month of one indicator
    per region and year loses ten (below HJ 663-2013's 27-day minimum, so that month is incomplete)."""
    days = calendar.monthrange(year, month)[1]
    if month == 1 + int(uniform(kpi, region, year, "outage") * 12) and uniform(kpi, region, year, "bad") < 0.3:
        return days - 10
    return days - int(uniform(kpi, region, year, month, "lost") * 3)


def _air_rows(kpi: str, spec: dict, level: float, region: str, year: int, cumulative: bool) -> list[list]:
    """A year of monthly rows of an air-quality indicator with its day counts, as a station publishes them:
    the month's own value (当月), or for a 累计 region the year to date (day-weighted mean of daily values,
    good days over valid days) at each month's end."""
    rows, sum_conc, sum_valid, sum_good = [], 0.0, 0, 0
    for month in range(1, 13):
        valid = _valid_days(kpi, region, year, month)
        value = _observation_value(spec, level, region, year, month)
        good = None
        if kpi == "good_air_days_ratio":
            good = min(valid, round(value / 100 * valid))
            value = round(100 * good / valid, 1) if valid else 0.0
            sum_good += good
        sum_conc += value * valid
        sum_valid += valid
        period = f"{year}-{month:02d}"
        if not cumulative:
            rows.append([kpi, region, period, "当月", value, spec["unit"], valid, good, f"{SAMPLE_MARK}（自动生成）"])
        elif kpi == "good_air_days_ratio":
            rows.append([kpi, region, period, "累计", round(100 * sum_good / sum_valid, 1), spec["unit"], sum_valid,
                         sum_good, f"{SAMPLE_MARK}（自动生成，累计值）"])
        else:
            rows.append([kpi, region, period, "累计", round(sum_conc / sum_valid), spec["unit"], sum_valid, None,
                         f"{SAMPLE_MARK}（自动生成，累计值）"])
    return rows


def write_observations(doc: dict, catalogue: dict[str, dict], inbox: Path, cumulative: bool = False) -> list[Path]:
    """The region's monitoring data: the year before each target year (年度) and every month of the target
    year, with valid-day (and good-day) counts for air-quality indicators; ``cumulative`` reports those as
    累计 instead of 当月."""
    goals = [g for p in doc["plans"] for g in p["targets"] if g["kpi"] in catalogue and g["year"]]
    levels: dict[tuple[str, int], tuple[float, dict]] = {}
    for g in sorted(goals, key=lambda g: g["stretch"]):  # the binding target before the stretch one
        levels.setdefault((g["kpi"], g["year"]), (_level(g), g))
    for p in doc["plans"]:
        if p["domain"] == "air" and p["year"]:
            for kpi in _MONITORED_AIR:
                levels.setdefault((kpi, p["year"]), (_TYPICAL_LEVEL[kpi], {"comparator": "monitor"}))
    if not levels:
        return []
    region = doc["region"]
    rows = []
    for (kpi, year), (level, target) in sorted(levels.items()):
        spec = catalogue[kpi]
        rows.append([kpi, region, f"{year - 1}", "年度", _baseline_value(spec, level, target), spec["unit"], None, None,
                     f"{SAMPLE_MARK}（自动生成，上年年度值）"])
        if spec.get("year_rule") in ("day_weighted_mean", "good_day_ratio"):
            rows += _air_rows(kpi, spec, level, region, year, cumulative)
            continue
        for month in range(1, 13):
            value = _observation_value(spec, level, region, year, month)
            if spec.get("year_rule") == "sum":  # a total: each month holds about a twelfth of the year
                value = round(value / 12, 3)
            rows.append([kpi, region, f"{year}-{month:02d}", "当月", value, spec["unit"], None, None,
                         f"{SAMPLE_MARK}（自动生成）"])
    first_kpi, first_year = sorted(levels)[0]
    unit = catalogue[first_kpi]["unit"]
    rows += [
        ["pm10_unknown", region, f"{first_year}-01", "当月", 50, unit, None, None, f"{SAMPLE_MARK}：错误示例（未知指标）"],
        [first_kpi, region, f"{first_year + 1}-01", "当月", "N/A", unit, None, None, f"{SAMPLE_MARK}：错误示例（非数字）"],
        [first_kpi, region, f"{first_year + 1}-02", "当月", 12, "mg/L", None, None, f"{SAMPLE_MARK}：错误示例（单位不符）"],
        [first_kpi, region, f"{first_year + 1}-03", "当月", 30, unit, 32, None, f"{SAMPLE_MARK}：错误示例（有效天数超过当月天数）"],
    ]
    header = [*OBSERVATION_COLUMNS][:3] + ["期间类型"] + [*OBSERVATION_COLUMNS][3:5] + ["有效天数", "优良天数", "数据来源"]
    text = csv_text(header, rows)
    path = inbox / f"{SAMPLE_MARK}_监测数据_{region}.csv"
    try:  # offices send GBK as often as UTF-8: use it whenever the content allows (µg/m³ is not GBK)
        data = text.encode("gbk")
    except UnicodeEncodeError:
        data = text.encode("utf-8-sig")
    path.write_bytes(data)
    return [path]
