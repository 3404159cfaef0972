"""Every path of the product derives from one variable, PLANKPI_DATA (default: ./data).

Tests and a second deployment point the whole product elsewhere by setting it.
"""
from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
EXPECTATIONS_DIR = REPO_ROOT / "expectations"


@dataclass(frozen=True)
class DataPaths:
    root: Path

    @property
    def plans(self) -> Path:
        return self.root / "plans"

    @property
    def reference(self) -> Path:
        # Reference data travels with the code unless a deployment overrides it.
        own = self.root / "reference"
        return own if own.is_dir() else REPO_ROOT / "data" / "reference"

    @property
    def inbox(self) -> Path:
        return self.root / "inbox"

    @property
    def archive(self) -> Path:
        return self.root / "archive"

    @property
    def quarantine(self) -> Path:
        return self.root / "quarantine"

    @property
    def outbox(self) -> Path:
        return self.root / "outbox"

    @property
    def warehouse(self) -> Path:
        return self.root / "warehouse"

    @property
    def build_db(self) -> Path:
        return self.warehouse / "build.duckdb"

    @property
    def dbt_target(self) -> Path:
        # One dbt target folder per warehouse: runs are serial (one DuckDB writer), each run overwrites
        # the last one's artifacts, and dbt's partial_parse.msgpack from the previous run (same profile,
        # same vars) spares a full re-parse.
        return self.warehouse / "dbt_target"

    @property
    def serving(self) -> Path:
        return self.root / "serving"

    @property
    def quality(self) -> Path:
        return self.root / "quality"

    def ensure(self) -> "DataPaths":
        for p in (self.plans, self.inbox, self.archive, self.quarantine, self.outbox,
                  self.warehouse, self.serving, self.quality):
            p.mkdir(parents=True, exist_ok=True)
        return self


def data_paths() -> DataPaths:
    """The data folder named by PLANKPI_DATA, made absolute (dbt runs in its own folder)."""
    return _data_paths_of(os.environ.get("PLANKPI_DATA") or str(REPO_ROOT / "data"))


@functools.lru_cache(maxsize=16)
def _data_paths_of(folder: str) -> DataPaths:
    # resolved once per folder: the dashboard asks on every request, and resolve() walks the file system
    return DataPaths(Path(folder).resolve())
