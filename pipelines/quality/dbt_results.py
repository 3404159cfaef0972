"""dbt's run_results.json -> raw.dbt_results, so the published snapshot carries every dbt test and model
result of the run that built it (the data-quality page reads them there)."""
from __future__ import annotations

from datetime import datetime

import duckdb
import pandas as pd

COLUMNS = ("run_id", "unique_id", "name", "resource_type", "status", "failures", "message",
           "execution_time", "recorded_at")


def result_rows(run_results: dict, run_id: str, now: datetime | None = None) -> pd.DataFrame:
    now = now or datetime.now()
    rows = []
    for r in run_results.get("results", []):
        kind, _, rest = r["unique_id"].partition(".")
        rows.append({
            "run_id": run_id, "unique_id": r["unique_id"], "name": rest.split(".", 1)[-1],
            "resource_type": kind, "status": r.get("status"), "failures": r.get("failures"),
            "message": r.get("message"), "execution_time": r.get("execution_time"), "recorded_at": now})
    return pd.DataFrame(rows, columns=list(COLUMNS))


def record(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame) -> int:
    if frame.empty:
        return 0
    con.register("_dbt_results", frame)
    con.execute("insert into raw.dbt_results by name select * from _dbt_results")
    con.unregister("_dbt_results")
    return len(frame)
