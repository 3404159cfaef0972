"""Publish: after every check passed, the build database becomes the new serving snapshot."""
import dagster as dg

from ..quality.checks import SUITES
from ..warehouse.publish import PublicationBlocked, publish
from .resources import PlanKpiResource

MART_KEYS = [dg.AssetKey(["marts", m]) for m in (
    "mart_completion", "mart_overdue_tasks", "mart_target_attainment", "mart_task_status", "mart_headline")]


@dg.asset(deps=MART_KEYS, group_name="publish", kinds={"duckdb"},
          description="serving/snapshot-<run_id>.duckdb + manifest; serving/CURRENT points to it.")
def published_snapshot(context: dg.AssetExecutionContext, plankpi: PlanKpiResource) -> dg.MaterializeResult:
    paths = plankpi.paths
    try:
        snap = publish(paths.build_db, paths.serving, context.run_id)
    except PublicationBlocked as exc:
        raise dg.Failure(str(exc)) from exc
    m = snap.manifest
    return dg.MaterializeResult(metadata={
        "snapshot": str(snap.path),
        "checks_passed": m["checks"]["passed"],
        "checks_failed": m["checks"]["failed"],
        "suites": len(SUITES),
        "tasks": m["row_counts"].get("marts.mart_task_status", 0),
    })

