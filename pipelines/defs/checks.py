"""GX suites as Dagster asset checks. critical failures block publication; warnings are recorded."""
import time
from datetime import datetime

import dagster as dg

from ..quality.checks import SUITES, SuiteTarget
from ..warehouse.schema import connect, ensure_raw_schema
from .automation import adds_submissions_only
from .memory import release_freed_memory
from .resources import PlanKpiResource


def _record(con, run_id: str, outcome, asset: str) -> None:
    now = datetime.now()
    rows = [(run_id, o.suite, asset, o.expectation, o.column, o.success, o.severity, o.observed_value,
             o.unexpected_count, o.sample_unexpected, now) for o in outcome.outcomes]
    con.executemany("insert into raw.validation_results values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def _landed_since(context: dg.AssetCheckExecutionContext) -> datetime | None:
    """When the submissions job runs, plans and reference tables are not re-read: rows landed earlier were
    validated against the same tasks, KPIs and regions, and their rules look at the row alone. Checking
    only the rows this run landed keeps a new file's publication independent of the warehouse's size.
    Every other run (the daily publish re-reads the plans) checks every row."""
    if not adds_submissions_only(context):
        return None
    record = context.instance.get_run_record_by_id(context.run.run_id)
    started = record.start_time if record and record.start_time else record.create_timestamp.timestamp()
    return datetime.fromtimestamp(started)  # naive local time, as ingest stamps ingested_at


def _make_check(target: SuiteTarget) -> dg.AssetChecksDefinition:
    @dg.asset_check(asset=dg.AssetKey(list(target.asset)), name=f"gx_{target.suite}", blocking=True,
                    description=f"Great Expectations suite '{target.suite}' (expectations/gx/expectations/"
                                f"{target.suite}.json); critical expectations block publication.")
    def _check(context: dg.AssetCheckExecutionContext, plankpi: PlanKpiResource) -> dg.AssetCheckResult:
        from ..quality.gx_runner import run_suite  # GX is slow to import: only when a check runs
        paths = plankpi.paths
        since = _landed_since(context)
        with connect(paths.build_db, read_only=True) as con:
            frame = con.execute(*target.sql(since)).df()
        started = time.perf_counter()
        outcome = run_suite(target.suite, frame, paths.quality / "data_docs", target.row_id)
        seconds = time.perf_counter() - started
        rows = len(frame)
        del frame
        release_freed_memory()
        with connect(paths.build_db) as con:
            ensure_raw_schema(con)
            _record(con, context.run.run_id, outcome, "/".join(target.asset))
        blocking, warnings = outcome.blocking_failures, outcome.warnings
        return dg.AssetCheckResult(
            passed=not blocking and not warnings,
            severity=dg.AssetCheckSeverity.ERROR if blocking else dg.AssetCheckSeverity.WARN,
            metadata={
                "expectations": len(outcome.outcomes),
                "failed_blocking": [f"{o.expectation}({o.column})" for o in blocking],
                "failed_warning": [f"{o.expectation}({o.column})" for o in warnings],
                "rows_validated": rows,
                "rows": "landed by this run" if since and target.landed_at else "all",
                "seconds": round(seconds, 3),
            })
    return _check


gx_checks = [_make_check(t) for t in SUITES]
