"""Reference data (KPI catalogue, unit aliases, region hierarchy): files in data/reference/.

One source of truth per fact: Python reads these files, and the warehouse loads the same files
as ref_* tables for dbt.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

# indicator_reporters: which unit of a region may report an indicator's observations (kpi × region →
# unit); an indicator × region without a row is reported by the region's 生态环境局 (the default).
# report_contacts: whom a unit calls about its template (printed in the template's first rows).
# allocated_targets: targets the higher level allocated (省下达目标) — region, kpi, indicator, year, value,
# document — the value of a binding target a plan prints without a number (完成省下达目标)
# review_policy (key,value): from when a 已完成 needs the supervising office's approval, how many days ahead
# units are reminded (issue 26); escalation_rules: when a task is escalated (督办) by rule; unit_contacts:
# where a unit's reminders are mailed (region, unit, contact, email).
REFERENCE_TABLES = ("kpi_catalogue", "unit_aliases", "regions", "reporting_schedule", "indicator_reporters",
                    "report_contacts", "allocated_targets", "review_policy", "escalation_rules", "unit_contacts")


def read_table(reference_dir: Path, name: str) -> list[dict]:
    with open(Path(reference_dir) / f"{name}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def table_columns(reference_dir: Path, name: str) -> list[str]:
    """The header of a reference table (a table may hold no row yet)."""
    with open(Path(reference_dir) / f"{name}.csv", encoding="utf-8", newline="") as fh:
        return next(csv.reader(fh), [])


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
    """Printed unit name -> canonical name; a row with a region applies in that region only."""
    by_region: dict  # (region, alias) -> unit; region "" applies everywhere

    def canonical(self, printed: str, region: str | None = None) -> str:
        return self.by_region.get((region or "", printed)) or self.by_region.get(("", printed)) or printed

    def known(self, printed: str, region: str | None = None) -> bool:
        key = (region or "", printed)
        return key in self.by_region or ("", printed) in self.by_region or \
            printed in self.units_of(region)

    def units_of(self, region: str | None) -> set[str]:
        return {u for (r, _), u in self.by_region.items() if r in ("", region or "")}


# 各县（市、区）人民政府, 各县区人民政府 -> the county-level members; 各乡镇人民政府, 各镇政府 -> the towns.
_COLLECTIVE = ((re.compile(r"^各县"), "county"), (re.compile(r"^各(?:乡|镇)"), "town"))


@dataclass(frozen=True)
class RegionTree:
    rows: tuple[dict, ...]

    def children(self, region: str, level: str) -> list[str]:
        return [r["display_name"] or r["region"] for r in self.rows
                if r["parent"] == region and r["level"] == level]

    def members_of(self, unit: str, region: str | None) -> list[str]:
        """The members a collective unit stands for in ``region`` (empty if not collective)."""
        if not region:
            return []
        for pattern, level in _COLLECTIVE:
            if pattern.match(unit):
                suffix = "人民政府" if "政府" in unit else ""
                return [name + suffix for name in self.children(region, level)]
        return []


@lru_cache(maxsize=8)
def kpi_catalogue(reference_dir: Path) -> KpiCatalogue:
    return KpiCatalogue(tuple(read_table(reference_dir, "kpi_catalogue")))


@lru_cache(maxsize=8)
def unit_aliases(reference_dir: Path) -> UnitAliases:
    return UnitAliases({(r["region"], r["alias"]): r["unit"] for r in read_table(reference_dir, "unit_aliases")})


@lru_cache(maxsize=8)
def regions(reference_dir: Path) -> tuple[dict, ...]:
    return tuple(read_table(reference_dir, "regions"))


@lru_cache(maxsize=8)
def region_tree(reference_dir: Path) -> RegionTree:
    return RegionTree(regions(reference_dir))
