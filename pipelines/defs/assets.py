"""Raw layer: plan texts parsed and loaded, reference data, submissions from the inbox."""
import dagster as dg

from .. import steps
from ..reference import REFERENCE_TABLES
from ..warehouse.load import PLAN_TABLES
from .memory import release_freed_memory
from .resources import PlanKpiResource

PLAN_KEYS = [dg.AssetKey(["raw", t]) for t in PLAN_TABLES]
REFERENCE_KEYS = [dg.AssetKey(["raw", f"ref_{t}"]) for t in REFERENCE_TABLES]
SUBMISSION_TABLES = ("progress_reports", "observations", "quarantine", "ingested_files")
MAX_LOGGED_FILES = 200  # a province's inbox holds tens of thousands of files: the log names the problems
SUBMISSION_KEYS = [dg.AssetKey(["raw", t]) for t in SUBMISSION_TABLES]
SUPERVISION_TABLES = ("evidence", "review_events", "escalation_events")  # pipelines.supervision.TABLES
SUPERVISION_KEYS = [dg.AssetKey(["raw", t]) for t in SUPERVISION_TABLES]


@dg.multi_asset(
    specs=[dg.AssetSpec(k, group_name="plans", kinds={"duckdb", "python"},
                        description=f"raw.{k.path[-1]}: parsed from the plan texts in data/plans/")
           for k in PLAN_KEYS],
)
def parsed_plans(context: dg.AssetExecutionContext, plankpi: PlanKpiResource):
    paths = plankpi.paths
    parsed = steps.parse_plans(paths)
    for failure in parsed.failures:
        context.log.error(f"无法解析计划文件 / cannot parse plan file: {failure}")
    loaded = steps.load_parsed_plans(paths, parsed)
    context.log.info(f"loaded {loaded.counts} in {loaded.seconds:.2f}s")
    files, failures = len(parsed.checksums), len(parsed.failures)
    del parsed
    release_freed_memory()
    for key in PLAN_KEYS:
        table = key.path[-1]
        yield dg.MaterializeResult(asset_key=key, metadata={
            "rows": loaded.counts[table], "files": files,
            "unreadable_files": failures, "seconds": round(loaded.seconds, 3)})


@dg.multi_asset(
    specs=[dg.AssetSpec(k, group_name="reference", kinds={"duckdb"},
                        description=f"raw.{k.path[-1]}: data/reference/{k.path[-1][4:]}.csv")
           for k in REFERENCE_KEYS],
)
def reference_data(plankpi: PlanKpiResource):
    loaded = steps.load_reference_data(plankpi.paths)
    for key in REFERENCE_KEYS:
        yield dg.MaterializeResult(asset_key=key, metadata={"rows": loaded.counts[key.path[-1]]})


@dg.multi_asset(
    specs=[dg.AssetSpec(k, group_name="submissions", kinds={"duckdb", "python"},
                        deps=[dg.AssetKey(["raw", "task_units"]), *REFERENCE_KEYS],
                        description=f"raw.{k.path[-1]}: from the files in data/inbox/")
           for k in SUBMISSION_KEYS],
)
def submissions(context: dg.AssetExecutionContext, plankpi: PlanKpiResource):
    def progress(done: int, total: int, rows: int) -> None:
        context.log.info(f"已接收 {done}/{total} 个文件，{rows} 行 / files ingested: {done}/{total}, rows: {rows}")

    reports = steps.ingest_submissions(plankpi.paths, progress=progress)
    release_freed_memory()
    problems = [r for r in reports if r.status in ("partial", "rejected")]
    logged = reports if len(reports) <= MAX_LOGGED_FILES else problems[:MAX_LOGGED_FILES]
    for r in logged:
        (context.log.warning if r.status in ("partial", "rejected") else context.log.info)(r.format())
    if len(problems) > MAX_LOGGED_FILES:  # every file's verdict is in raw.ingested_files and on 数据质量
        context.log.warning(f"另有 {len(problems) - MAX_LOGGED_FILES} 个文件有拒收行，见数据质量页 / "
                            f"{len(problems) - MAX_LOGGED_FILES} more files with rejected rows: see raw.ingested_files")
    summary = {
        "files": len(reports),
        "files_rejected": sum(r.status == "rejected" for r in reports),
        "files_duplicate": sum(r.status == "duplicate" for r in reports),
        "rows_landed": sum(r.rows_landed for r in reports),
        "rows_rejected": sum(r.rows_rejected for r in reports),
    }
    for key in SUBMISSION_KEYS:
        yield dg.MaterializeResult(asset_key=key, metadata=summary)


@dg.multi_asset(
    specs=[dg.AssetSpec(k, group_name="supervision", kinds={"duckdb", "sqlite"},
                        description=f"raw.{k.path[-1]}: the supervising office's records "
                                    "(data/supervision/supervision.sqlite), copied whole")
           for k in SUPERVISION_KEYS],
)
def supervision_records(plankpi: PlanKpiResource):
    """Evidence, review decisions and 督办 events, written by the dashboard into a store of their own, read
    here as a source (the dashboard never writes the build database)."""
    loaded = steps.load_supervision_records(plankpi.paths)
    for key in SUPERVISION_KEYS:
        yield dg.MaterializeResult(asset_key=key, metadata={"rows": loaded.counts[key.path[-1]]})
