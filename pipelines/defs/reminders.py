"""The daily reminders (催报, issue 26): the published snapshot's mart_reminders into the outbox, mailed when
PLANKPI_SMTP_HOST is set (pipelines/supervision/reminders.py)."""
import dagster as dg

from ..supervision.reminders import SmtpSettings, send_reminders
from ..warehouse.publish import current_snapshot_path
from .publish import published_snapshot
from .resources import PlanKpiResource


@dg.asset(deps=[published_snapshot], group_name="outbox", kinds={"csv", "email"},
          description="outbox/<YYYY-MM-DD>/<地区>_<单位>.txt and reminders.csv: reports due within N days or late; "
                      "mailed when PLANKPI_SMTP_HOST is set.")
def daily_reminders(context: dg.AssetExecutionContext, plankpi: PlanKpiResource) -> dg.MaterializeResult:
    paths = plankpi.paths
    result = send_reminders(current_snapshot_path(paths.serving), paths.outbox, smtp=SmtpSettings.from_env())
    for err in result.mail_errors:
        context.log.warning(f"邮件未发出 / mail not sent: {err}")
    context.log.info(f"{len(result.letters)} 份催报 / reminders as of {result.as_of}, {result.mailed} mailed")
    return dg.MaterializeResult(metadata={
        "as_of": str(result.as_of), "recipients": len(result.letters), "mailed": result.mailed,
        "mail_errors": len(result.mail_errors), "folder": str(result.folder)})
