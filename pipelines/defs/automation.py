"""Jobs, the daily schedule and the inbox sensor."""
import hashlib

import dagster as dg

from ..config import data_paths
from ..submissions.ingest import inbox_files
from .assets import SUBMISSION_KEYS

# DuckDB has one writer: every step runs in one process, one after another.
all_assets_job = dg.define_asset_job("all_assets_job", selection=dg.AssetSelection.all(),
                                     executor_def=dg.in_process_executor,
                                     description="Parse plans, ingest submissions, build marts, audit, publish.")

# A new submission changes no plan: ingest it, rebuild what depends on submissions, audit and publish —
# no re-parsing, no templates.
submissions_job = dg.define_asset_job(
    "submissions_job",
    selection=(dg.AssetSelection.keys(*SUBMISSION_KEYS).downstream()
               - dg.AssetSelection.keys(dg.AssetKey("progress_templates"))),
    executor_def=dg.in_process_executor,
    description="Ingest the inbox, rebuild the marts that depend on submissions, audit, publish.")

daily_schedule = dg.ScheduleDefinition(job=all_assets_job, cron_schedule="0 6 * * *",
                                       execution_timezone="Asia/Shanghai", name="daily_refresh")


@dg.sensor(job=submissions_job, minimum_interval_seconds=60,
           description="Starts a run when files wait in data/inbox/.")
def inbox_sensor(context: dg.SensorEvaluationContext):
    files = inbox_files(data_paths().inbox)
    if not files:
        return dg.SkipReason("收件箱为空 / inbox is empty")
    fingerprint = hashlib.sha1("|".join(f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}"
                                        for p in files).encode()).hexdigest()
    return dg.RunRequest(run_key=fingerprint, tags={"plankpi/inbox_files": str(len(files))})
