"""Run a GX suite on a pandas frame, build Data Docs, and summarise for the warehouse history.

Suites are the reviewable JSON files of the file data context in expectations/. At run time they are
loaded into an ephemeral context (so a run never writes into the repository) whose Data Docs site
lives under $PLANKPI_DATA/quality/data_docs. GX severities: critical blocks publication, warning
and info publish but are shown.
"""
from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("TQDM_DISABLE", "1")

import great_expectations as gx  # noqa: E402  (this module is the only importer)
import pandas as pd  # noqa: E402
from great_expectations.data_context.types.base import ProgressBarsConfig  # noqa: E402

from ..config import EXPECTATIONS_DIR  # noqa: E402

logging.getLogger("great_expectations").setLevel(logging.WARNING)
SUITES_DIR = EXPECTATIONS_DIR / "gx" / "expectations"


@dataclass
class ExpectationOutcome:
    suite: str
    expectation: str
    column: str | None
    success: bool
    severity: str  # critical | warning | info
    observed_value: str | None
    unexpected_count: int | None
    sample_unexpected: str | None


@dataclass
class SuiteOutcome:
    suite: str
    outcomes: list[ExpectationOutcome]

    @property
    def blocking_failures(self) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if not o.success and o.severity == "critical"]

    @property
    def warnings(self) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if not o.success and o.severity != "critical"]


def load_suite_json(name: str) -> dict:
    data = json.loads((SUITES_DIR / f"{name}.json").read_text(encoding="utf-8"))
    return {k: data[k] for k in ("name", "expectations", "meta", "notes") if k in data}


@lru_cache(maxsize=4)
def _context(docs_dir: str):
    """One ephemeral context per process and Data Docs folder, so the site lists every suite run."""
    ctx = gx.get_context(mode="ephemeral")
    # An ephemeral context comes with a default site (local_site) in a temporary folder: every checkpoint
    # would render each page twice, once there, where nobody reads it and nothing removes it.
    for site in list(ctx.variables.data_docs_sites or {}):
        ctx.delete_data_docs_site(site)
    # GX draws a progress bar per validation on stderr; in pipeline logs it is only noise.
    ctx.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    ctx.add_data_docs_site(site_name="plankpi", site_config={
        "class_name": "SiteBuilder",
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": docs_dir},
    })
    ctx.data_sources.add_pandas("warehouse")
    return ctx


def _add_replacing(store, obj):
    """Add a suite, validation definition or checkpoint to the cached context, replacing an older one
    of the same name: the suite file may have changed since the last run in this process."""
    try:
        store.delete(obj.name)
    except Exception:  # GX raises store-specific errors when the name is not there yet
        pass
    return store.add(obj)


def run_suite(name: str, frame: pd.DataFrame, docs_dir: Path, row_id: str | None = None) -> SuiteOutcome:
    """Validate ``frame`` with suite ``name``; failing rows are named by their ``row_id`` column."""
    docs_dir.mkdir(parents=True, exist_ok=True)
    ctx = _context(str(docs_dir))
    source = ctx.data_sources.get("warehouse")
    try:
        asset = source.get_asset(name)
    except LookupError:
        asset = source.add_dataframe_asset(name)
    try:
        batch = asset.get_batch_definition("whole")
    except (KeyError, LookupError, ValueError):
        batch = asset.add_batch_definition_whole_dataframe("whole")
    suite = _add_replacing(ctx.suites, gx.ExpectationSuite(**load_suite_json(name)))
    vd = _add_replacing(ctx.validation_definitions, gx.ValidationDefinition(name=name, data=batch, suite=suite))
    checkpoint = _add_replacing(ctx.checkpoints, gx.Checkpoint(
        name=name, validation_definitions=[vd],
        actions=[gx.checkpoint.UpdateDataDocsAction(name="data_docs")],
        result_format={"result_format": "SUMMARY",
                       **({"unexpected_index_column_names": [row_id]} if row_id else {})}))
    result = checkpoint.run(batch_parameters={"dataframe": frame})
    outcomes = []
    for vr in result.run_results.values():
        for er in vr.results:
            cfg = er.expectation_config
            res = er.result or {}
            sample = res.get("partial_unexpected_index_list") or res.get("partial_unexpected_list")
            outcomes.append(ExpectationOutcome(
                suite=name, expectation=cfg.type, column=cfg.kwargs.get("column"),
                success=bool(er.success), severity=str(getattr(cfg, "severity", "critical")).split(".")[-1].lower(),
                observed_value=None if res.get("observed_value") is None else str(res.get("observed_value")),
                unexpected_count=res.get("unexpected_count"),
                sample_unexpected=json.dumps(sample[:10], ensure_ascii=False, default=str) if sample else None))
    return SuiteOutcome(name, outcomes)
