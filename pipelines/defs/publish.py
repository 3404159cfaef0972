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


class TemplatesConfig(dg.Config):
    period: str = ""  # YYYY-MM; empty: the month of the as-of date (today by default)


@dg.asset(deps=[published_snapshot], group_name="outbox", kinds={"excel"},
          description="outbox/<period>/进展填报_<region>_<unit>_<period>.xlsx: one template per responsible unit.")
def progress_templates(config: TemplatesConfig, plankpi: PlanKpiResource) -> dg.MaterializeResult:
    from datetime import date
    from ..steps import write_templates
    period = config.period or (plankpi.as_of or date.today().isoformat())[:7]
    written = write_templates(plankpi.paths, period)
    return dg.MaterializeResult(metadata={"period": period, "templates": len(written),
                                          "folder": str(plankpi.paths.outbox / period)})
