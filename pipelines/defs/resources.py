import os
from pathlib import Path

import dagster as dg

from ..config import DataPaths, data_paths


class PlanKpiResource(dg.ConfigurableResource):
    """Where the product's data lives (PLANKPI_DATA) and the as-of date of the KPIs."""

    data_dir: str
    as_of: str = ""  # YYYY-MM-DD; empty means today

    @property
    def paths(self) -> DataPaths:
        return DataPaths(Path(self.data_dir).resolve()).ensure()


def default_resource() -> PlanKpiResource:
    return PlanKpiResource(data_dir=str(data_paths().root), as_of=os.environ.get("PLANKPI_AS_OF", ""))
