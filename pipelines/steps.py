"""The pipeline's steps as plain functions: the CLI and the Dagster assets both call these.

Each takes the data paths and returns counts for the caller to print or record as metadata.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date

from .config import DataPaths
from .parsing.folder import ParsedFolder, parse_folder
from .reference import kpi_catalogue
from .submissions import sample
from .submissions.ingest import FileReport, ingest_inbox
from .warehouse.load import load_plans, load_reference, load_supervision
from .warehouse.schema import connect, ensure_raw_schema


@dataclass
class StepResult:
    counts: dict
    seconds: float


class NoPlansError(ValueError):
    """The plans folder holds no plan document that could be read: nothing to track (every later step would
    work on empty tables and show a dashboard of zeros as if it were the truth)."""


def parse_plans(paths: DataPaths) -> ParsedFolder:
    parsed = parse_folder(paths.plans, paths.reference)
    if not parsed.docs:
        failures = parsed.failures
        if failures:
            reasons = "；".join(f"{f['source']}: {f['reason']}" for f in failures[:5])
            more = f" …（共 {len(failures)} 个 / {len(failures)} in all）" if len(failures) > 5 else ""
            raise NoPlansError(f"{paths.plans} 中的计划文件均无法解析 / none of the plan files in {paths.plans} "
                               f"could be parsed: {reasons}{more}")
        raise NoPlansError(f"{paths.plans} 中没有计划文件：请放入印发的计划文件（.txt、.docx、.pdf）/ no plan "
                           f"documents in {paths.plans}: put the published plans there (.txt, .docx, .pdf)")
    return parsed


def _load_raw(paths: DataPaths, load, source) -> StepResult:
    """One raw loader (plans, reference tables, the supervision store) into the build database, timed."""
    started = time.perf_counter()
    with connect(paths.build_db) as con:
        ensure_raw_schema(con)
        counts = load(con, source)
    return StepResult(counts, time.perf_counter() - started)


def load_parsed_plans(paths: DataPaths, parsed: ParsedFolder) -> StepResult:
    return _load_raw(paths, load_plans, parsed)


def load_reference_data(paths: DataPaths) -> StepResult:
    return _load_raw(paths, load_reference, paths.reference)


def load_supervision_records(paths: DataPaths) -> StepResult:
    """The supervision store's records (issue 26), copied whole into raw."""
    return _load_raw(paths, load_supervision, paths.root)


def ingest_submissions(paths: DataPaths, today: date | None = None, progress=None) -> list[FileReport]:
    paths.ensure()
    with connect(paths.build_db) as con:
        ensure_raw_schema(con)
        return ingest_inbox(con, paths.inbox, paths.archive, paths.quarantine, today, progress)


def write_templates(paths: DataPaths, period: str) -> list:
    """One .xlsx per responsible unit into outbox/<period>/."""
    from .submissions.assignments import unit_templates
    from .submissions.templates import write_templates as write
    from .warehouse.publish import current_snapshot
    snap = current_snapshot(paths.serving)
    if snap is None:  # templates list what the published plans say, never a half-built warehouse
        raise FileNotFoundError("尚无已发布快照，请先运行 plankpi run / no published snapshot yet: run the pipeline first")
    with connect(snap.path, read_only=True) as con:
        templates = unit_templates(con, period)
    return write(templates, paths.outbox / period)


def write_sample(paths: DataPaths) -> list:
    paths.ensure()
    parsed = parse_plans(paths)
    catalogue = {r["kpi"]: r for r in kpi_catalogue(paths.reference).rows}
    return sample.generate(parsed.docs, catalogue, paths.inbox)


def write_bulletins(paths: DataPaths, period: str, scopes: list[str] | None = None, out=None, template=None,
                    doc_no: str = "", all_scopes: bool = False) -> list:
    """The month's 通报 (.docx, .pdf, .json) from the published snapshot, into ``out`` (default
    outbox/bulletins/): for ``scopes``, or the province, or with ``all_scopes`` the province and every
    city with tasks (what leaders download from the dashboard)."""
    from .bulletin import Period
    from .bulletin.numbers import published_scopes
    from .bulletin.render import template_path
    from .bulletin.render import write_bulletins as write
    from .warehouse.publish import current_snapshot
    snap = current_snapshot(paths.serving)
    if snap is None:  # the bulletin prints what was published, never a half-built warehouse
        raise FileNotFoundError("尚无已发布快照，请先运行 plankpi run / no published snapshot yet: run the pipeline first")
    if all_scopes:
        with connect(snap.path, read_only=True) as con:
            scopes = published_scopes(con)
    return write(snap.path, Period.parse(period), scopes, out or paths.outbox / "bulletins",
                 published_at=snap.manifest.get("published_at", ""), template=template or template_path(paths.root),
                 doc_no=doc_no)
