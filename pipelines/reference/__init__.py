"""Reference data (KPI catalogue, unit aliases, region hierarchy): files in data/reference/.

One source of truth per fact: Python reads these files, and the warehouse loads the same files
as ref_* tables for dbt.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

REFERENCE_TABLES = ("kpi_catalogue", "unit_aliases", "regions")


def read_table(reference_dir: Path, name: str) -> list[dict]:
    with open(Path(reference_dir) / f"{name}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@dataclass(frozen=True)
class KpiCatalogue:
    rows: tuple[dict, ...]

    def get(self, kpi: str) -> dict | None:
        return next((r for r in self.rows if r["kpi"] == kpi), None)

    @property
    def codes(self) -> set[str]:
        return {r["kpi"] for r in self.rows}


@dataclass(frozen=True)
class UnitAliases:
    mapping: dict

    def canonical(self, printed: str) -> str:
        return self.mapping.get(printed, printed)


@lru_cache(maxsize=8)
def kpi_catalogue(reference_dir: Path) -> KpiCatalogue:
    return KpiCatalogue(tuple(read_table(reference_dir, "kpi_catalogue")))


@lru_cache(maxsize=8)
def unit_aliases(reference_dir: Path) -> UnitAliases:
    return UnitAliases({r["alias"]: r["unit"] for r in read_table(reference_dir, "unit_aliases")})


@lru_cache(maxsize=8)
def regions(reference_dir: Path) -> tuple[dict, ...]:
    return tuple(read_table(reference_dir, "regions"))
