"""Templates out: one report template per responsible unit, from the published snapshot."""
from datetime import date

import dagster as dg

from ..steps import write_templates
from .publish import published_snapshot
from .resources import PlanKpiResource


class TemplatesConfig(dg.Config):
    period: str = ""  # YYYY-MM; empty: the month of the as-of date (today by default)


@dg.asset(deps=[published_snapshot], group_name="outbox", kinds={"excel"},
          description="outbox/<period>/进展填报_<region>_<unit>_<period>.xlsx: one template per responsible unit.")
def progress_templates(config: TemplatesConfig, plankpi: PlanKpiResource) -> dg.MaterializeResult:
    period = config.period or (plankpi.as_of or date.today().isoformat())[:7]
    written = write_templates(plankpi.paths, period)
    return dg.MaterializeResult(metadata={"period": period, "templates": len(written),
                                          "folder": str(plankpi.paths.outbox / period)})
