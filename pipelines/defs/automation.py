"""Jobs, the daily schedule and the inbox sensor."""
import csv
import hashlib

import dagster as dg

from ..config import data_paths
from ..submissions.ingest import inbox_files
from ..supervision import store_for as supervision_store
from .assets import SUBMISSION_KEYS, SUPERVISION_KEYS

TEMPLATES = dg.AssetSelection.keys(dg.AssetKey("progress_templates"))
BULLETIN = dg.AssetSelection.keys(dg.AssetKey("monthly_bulletin"))
REMINDERS = dg.AssetSelection.keys(dg.AssetKey("daily_reminders"))
# products of the month or of the day, not of each refresh (a run the inbox or a decision starts must not
# mail every unit again)
MONTHLY = TEMPLATES | BULLETIN | REMINDERS

# DuckDB has one writer: every step runs in one process, one after another.
all_assets_job = dg.define_asset_job("all_assets_job", selection=dg.AssetSelection.all(),
                                     executor_def=dg.in_process_executor,
                                     description="Everything (plankpi run): publish, then this month's templates and last month's bulletin.")

# Templates are a product of the reporting period, not of each refresh: one .xlsx per responsible unit is
# ~25 ms, i.e. ~17 min for a province's 40,000 units. The daily refresh publishes; the templates are
# written once a month (and any unit downloads its own from the dashboard at any time).
publish_job = dg.define_asset_job("publish_job", selection=dg.AssetSelection.all() - MONTHLY,
                                  executor_def=dg.in_process_executor,
                                  description="Parse plans, ingest submissions, build marts, audit, publish.")
templates_job = dg.define_asset_job("templates_job", selection=TEMPLATES, executor_def=dg.in_process_executor,
                                    description="This month's report template for every responsible unit.")
bulletin_job = dg.define_asset_job("bulletin_job", selection=BULLETIN, executor_def=dg.in_process_executor,
                                   description="Last month's 通报 (Word and PDF) of the province and every city.")

# A new submission changes no plan: ingest it, rebuild what depends on submissions, audit and publish —
# no re-parsing, no templates.
SUBMISSIONS_JOB = "submissions_job"
submissions_job = dg.define_asset_job(
    SUBMISSIONS_JOB,
    selection=dg.AssetSelection.keys(*SUBMISSION_KEYS, *SUPERVISION_KEYS).downstream() - MONTHLY,
    executor_def=dg.in_process_executor,
    description="Ingest the inbox and read the supervision store, rebuild the marts that depend on them, "
                "audit, publish.")


def adds_submissions_only(context: dg.AssetExecutionContext | dg.AssetCheckExecutionContext) -> bool:
    """Whether this run only adds what the inbox brought (plans and reference tables not re-read): its
    incremental models append and its checks look at the rows it landed. Every other run rebuilds."""
    return context.run.job_name == SUBMISSIONS_JOB

reminders_job = dg.define_asset_job("reminders_job", selection=REMINDERS, executor_def=dg.in_process_executor,
                                    description="Today's reminders (催报) into the outbox, and by mail where SMTP is set.")

daily_schedule = dg.ScheduleDefinition(job=publish_job, cron_schedule="0 6 * * *",
                                       execution_timezone="Asia/Shanghai", name="daily_refresh")
# after the daily refresh has published today's snapshot (its as-of date is today)
daily_reminders_schedule = dg.ScheduleDefinition(job=reminders_job, cron_schedule="0 8 * * *",
                                                 execution_timezone="Asia/Shanghai", name="daily_reminders")
monthly_templates = dg.ScheduleDefinition(job=templates_job, cron_schedule="0 7 1 * *",
                                          execution_timezone="Asia/Shanghai", name="monthly_templates")


def bulletin_day() -> int:
    """The day after the latest reporting deadline of reporting_schedule.csv (due_day of the next month):
    the bulletin is written once every report of the month was due. The deadline stays data."""
    with open(data_paths().reference / "reporting_schedule.csv", encoding="utf-8") as f:
        return min(28, max(int(r["due_day"]) for r in csv.DictReader(f)) + 1)


monthly_bulletin_schedule = dg.ScheduleDefinition(
    job=bulletin_job, cron_schedule=f"0 8 {bulletin_day()} * *", execution_timezone="Asia/Shanghai",
    name="monthly_bulletin", description="The day after the reporting deadline: last month's 通报.")


@dg.sensor(job=submissions_job, minimum_interval_seconds=60,
           description="Starts a run when files wait in data/inbox/.")
def inbox_sensor(context: dg.SensorEvaluationContext):
    files = inbox_files(data_paths().inbox)
    if not files:
        return dg.SkipReason("收件箱为空 / inbox is empty")
    fingerprint = hashlib.sha1("|".join(f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}"
                                        for p in files).encode()).hexdigest()
    return dg.RunRequest(run_key=fingerprint, tags={"plankpi/inbox_files": str(len(files))})


@dg.sensor(job=submissions_job, minimum_interval_seconds=60,
           description="Starts a run when the supervision store holds a new decision, 督办 event or evidence file.")
def supervision_sensor(context: dg.SensorEvaluationContext):
    """The store's sequence only grows: a run is asked for each new high-water mark (the cursor), so a
    decision is on the dashboard after the next run, within about a minute."""
    seq = supervision_store(data_paths().root).max_seq()
    last = int(context.cursor or 0)
    if seq <= last:
        return dg.SkipReason(f"督查记录无新增（序号 {seq}）/ no new supervision record (seq {seq})")
    context.update_cursor(str(seq))
    return dg.RunRequest(run_key=f"supervision-{seq}", tags={"plankpi/supervision_seq": str(seq)})
