"""Every query the dashboard makes, against the newest published snapshot, opened read-only.

The dashboard never opens the build database: the pipeline may be writing it.
"""
from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from pipelines.config import data_paths
from pipelines.warehouse.publish import current_snapshot


@dataclass
class SnapshotInfo:
    name: str
    published_at: str
    run_id: str


def _query(sql: str, params: list | None = None) -> pd.DataFrame:
    snap = current_snapshot(data_paths().serving)
    if snap is None:
        raise LookupError("尚无已发布的数据快照 / no published snapshot yet")
    con = duckdb.connect(str(snap.path), read_only=True)
    try:
        return con.execute(sql, params or []).df()
    finally:
        con.close()


def snapshot_info() -> SnapshotInfo | None:
    snap = current_snapshot(data_paths().serving)
    if snap is None:
        return None
    m = snap.manifest
    return SnapshotInfo(snap.path.name, m.get("published_at", ""), m.get("run_id", ""))


def headline() -> dict:
    return _query("select * from marts.mart_headline").iloc[0].to_dict()


def completion_by(dimension: str) -> pd.DataFrame:
    return _query("""select dimension_value, tasks_total, tasks_completed, completion_rate,
                            tasks_due, due_completion_rate, tasks_overdue
                     from marts.mart_completion where dimension = ? order by dimension_value""", [dimension])


def target_attainment() -> pd.DataFrame:
    return _query("""select region, year, kpi_name_zh, indicator, comparator, target_value, unit, stretch,
                            threshold, direction, kpi_unit, rank_of, baseline, actual, months_reported, gap,
                            progress_from_baseline, status, source, line
                     from marts.mart_target_attainment order by region, year, kpi""")


def most_overdue(limit: int = 10) -> pd.DataFrame:
    return _query("""select region, plan_title, no, title, lead_units, due_date, days_overdue, source, start_line
                     from marts.mart_overdue_tasks order by days_overdue desc, task_id limit ?""", [limit])
