"""The monthly 通报: Word and PDF of the province and of every city, from the published snapshot."""
from datetime import date

import dagster as dg

from ..steps import write_bulletins
from .publish import published_snapshot
from .resources import PlanKpiResource


class BulletinConfig(dg.Config):
    period: str = ""  # YYYY-MM; empty: the month before the as-of date (the month whose reports just closed)


def previous_month(day: str) -> str:
    year, month = int(day[:4]), int(day[5:7])
    return f"{year - (month == 1)}-{(month - 2) % 12 + 1:02d}"


@dg.asset(deps=[published_snapshot], group_name="outbox", kinds={"docx", "pdf"},
          description="outbox/bulletins/通报_<地区>_<YYYY年MM月>.docx, .pdf and .json: the province's and each city's.")
def monthly_bulletin(context: dg.AssetExecutionContext, config: BulletinConfig,
                     plankpi: PlanKpiResource) -> dg.MaterializeResult:
    period = config.period or previous_month(plankpi.as_of or date.today().isoformat())
    written = write_bulletins(plankpi.paths, period, all_scopes=True)
    context.log.info(f"{len(written)} 份通报 / bulletins for {period}")
    return dg.MaterializeResult(metadata={
        "period": period, "bulletins": len(written), "scopes": ", ".join(w.scope for w in written),
        "folder": str(plankpi.paths.outbox / "bulletins")})
