"""The Dagster code location (workspace.yaml): assets, checks, jobs, schedule, sensor, resources."""
import dagster as dg

from .defs.assets import parsed_plans, reference_data, submissions, supervision_records
from .defs.automation import (all_assets_job, bulletin_job, daily_reminders_schedule, daily_schedule, inbox_sensor,
                               monthly_bulletin_schedule, monthly_templates, publish_job, reminders_job,
                               submissions_job, supervision_sensor, templates_job)
from .defs.bulletin import monthly_bulletin
from .defs.checks import gx_checks
from .defs.dbt import dbt_resource, plankpi_dbt_models
from .defs.publish import published_snapshot
from .defs.reminders import daily_reminders
from .defs.templates import progress_templates
from .defs.resources import PlanKpiResource, default_resource


def build_defs(plankpi: PlanKpiResource | None = None) -> dg.Definitions:
    """The definitions, with the data folder and as-of date of ``plankpi`` (default: environment)."""
    return dg.Definitions(
        assets=[parsed_plans, reference_data, submissions, supervision_records, plankpi_dbt_models, published_snapshot,
                progress_templates, monthly_bulletin, daily_reminders],
        asset_checks=gx_checks,
        jobs=[all_assets_job, publish_job, submissions_job, templates_job, bulletin_job, reminders_job],
        schedules=[daily_schedule, daily_reminders_schedule, monthly_templates, monthly_bulletin_schedule],
        sensors=[inbox_sensor, supervision_sensor],
        resources={"plankpi": plankpi or default_resource(), "dbt": dbt_resource()},
        executor=dg.in_process_executor,
    )


defs = build_defs()
