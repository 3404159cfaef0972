"""A year of monthly submissions for a synthetic province, written as the submissions contract's files.

Every responsible unit (牵头, 配合, 落实) reports every task it holds that is still open, every month for
twelve months from the plan's issue month (a task still open at year end goes on being reported into the
next year); a task reported 已完成 is not reported again. At a province's size a
county's reports reach the province as one consolidated sheet per region and month (汇总报送: the
contract's progress columns, one row per task and unit, the unit named in 填报单位) — hundreds of
thousands of one-unit workbooks are not how a province collects, and the ingest validates each row's
unit either way. Indicator observations are the sample's monthly .csv per region. Same plans in, same
bytes out; every file name carries 示例数据 (synthetic data is labelled as sample data everywhere).
"""
from __future__ import annotations

from pathlib import Path

from ..submissions.contract import PROGRESS_COLUMNS, SAMPLE_MARK
from ..submissions.ingest import mark_received
from ..submissions.sample import (SHARE_MISSING, calendar_month, csv_text, deadline_text, received_on,
                                  report_months, task_state, uniform, write_observations)


def _units(task: dict) -> list[str]:
    return sorted({u["unit"] for u in task.get("units", [])})


def _month_rows(doc: dict, year: int, month: int, open_tasks: dict[str, dict]) -> list[list]:
    """Rows of one region and month; tasks reported done this month leave ``open_tasks``."""
    period = _period(year, month)
    rows = []
    for task_id, task in list(open_tasks.items()):
        status, percent, completed = task_state(task, year, month)
        deadline = deadline_text(task)
        for unit in _units(task):
            if month % 12 and uniform(doc["region"], unit, year, month, "missing") < SHARE_MISSING:
                continue
            rows.append([task_id, task["text"], deadline, period, unit, status, percent, completed,
                         f"{SAMPLE_MARK}：{status}", SAMPLE_MARK])
        if status == "已完成":
            del open_tasks[task_id]
    return rows


def _period(year: int, month: int) -> str:
    return "{}-{:02d}".format(*calendar_month(year, month))


def write_region_reports(doc: dict, catalogue: dict[str, dict], inbox: Path) -> tuple[list[Path], int]:
    """One consolidated progress file per plan year and month, and the region's observations."""
    written, rows_written = [], 0
    by_year: dict[int, dict[str, dict]] = {}
    for plan in doc["plans"]:
        by_year.setdefault(plan["year"], {}).update({t["task_id"]: t for t in plan["tasks"]})
    for year, tasks in sorted(by_year.items()):
        open_tasks = dict(sorted(tasks.items()))
        first = report_months(doc, year).start
        for month in range(first, first + 12):
            rows = _month_rows(doc, year, month, open_tasks)
            if not rows:
                continue
            path = inbox / f"{SAMPLE_MARK}_进展汇总_{doc['region']}_{_period(year, month)}.csv"
            path.write_text(csv_text(list(PROGRESS_COLUMNS), rows), encoding="utf-8-sig")
            mark_received(path, received_on(doc["region"], year, month))
            written.append(path)
            rows_written += len(rows)
    return written + write_observations(doc, catalogue, inbox), rows_written


def write_province_reports(docs: list[dict], catalogue: dict[str, dict], inbox: Path,
                           progress=None) -> tuple[list[Path], int]:
    """Every region's files into ``inbox``; returns the paths and the number of progress rows."""
    inbox.mkdir(parents=True, exist_ok=True)
    written, rows = [], 0
    for i, doc in enumerate(docs, start=1):
        files, n = write_region_reports(doc, catalogue, inbox)
        written += files
        rows += n
        if progress:
            progress(i, len(docs), rows)
    return written, rows
