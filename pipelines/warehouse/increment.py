"""Whether a dbt build may be incremental: the guard of the inbox's submissions_job (issue 23).

An incremental build recomputes only the tasks whose inputs the run changed (dbt: int_changed_tasks and
macros/changed_tasks.sql) and keeps every other task's rows as the last build left them. That is right
only if those rows are the ones a full build would make now: the warehouse was built for the same as-of
date (every rule reads it: a new day moves every task's month ends, overdue days, periods), and the last
dbt build finished whole (a failed or partly skipped one may have appended report rows to staging whose
tasks were never recomputed downstream). Otherwise the build is a full refresh, as every other job's.
Pure: DuckDB only, no Dagster."""
from __future__ import annotations

from pathlib import Path

from .schema import connect

# dbt statuses of a build that left every model consistent (a test's warn does not stop its children; an
# exposure is a no-op)
_WHOLE = ("success", "pass", "warn", "no-op")


def incremental_refusal(build_db: Path, as_of: str) -> str | None:
    """None when the next dbt build may be incremental, else why not (中文 / English), for the run's log.
    as_of: 'YYYY-MM-DD', or '' for today (DuckDB's current_date, as dbt's as_of() macro reads it)."""
    if not Path(build_db).exists():
        return "仓库尚未构建 / the warehouse has not been built yet"
    with connect(build_db, read_only=True) as con:
        tables = {(s, t) for s, t in con.execute(
            "select schema_name, table_name from duckdb_tables()").fetchall()}
        if ("marts", "mart_headline") not in tables or ("raw", "dbt_results") not in tables:
            return "仓库缺少上次构建的结果 / the warehouse holds no finished build"
        built, wanted = con.execute(
            "select (select max(as_of) from marts.mart_headline), coalesce(try_cast(? as date), current_date)",
            [as_of or None]).fetchone()
        if built != wanted:
            return (f"仓库按 {built} 构建，本次截至 {wanted}：全量重建 / "
                    f"the warehouse was built as of {built}, this run is as of {wanted}: full rebuild")
        broken = con.execute(f"""
            with last as (select run_id from raw.dbt_results order by recorded_at desc limit 1)
            select count(*) filter (where status not in {_WHOLE}), count(*)
            from raw.dbt_results where run_id = (select run_id from last)""").fetchone()
        if not broken[1] or broken[0]:
            return ("上次 dbt 构建未完整完成：全量重建 / the last dbt build did not finish whole: full rebuild")
    return None
