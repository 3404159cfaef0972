"""Parse every plan file of a folder: the one function behind the CLI and the Dagster asset."""
from __future__ import annotations

import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .document import parse_source
from ..readers import UnreadablePlanError, file_checksum, read_document


@dataclass
class ParsedFolder:
    docs: list[dict] = field(default_factory=list)
    checksums: dict[str, str] = field(default_factory=dict)
    lines: dict[str, list[str]] = field(default_factory=dict)  # original lines of each parsed file
    locations: dict[str, list[str | None]] = field(default_factory=dict)  # where each line sits (.docx/.pdf)
    files: list[dict] = field(default_factory=list)  # every file: format, status, reason, seconds

    @property
    def failures(self) -> list[dict]:
        """The files that could not be parsed at all, with the reason."""
        return [{"source": f["source"], "reason": f["reason"]} for f in self.files if f["status"] == "rejected"]


def plan_files(folder: Path) -> list[Path]:
    return sorted(p for p in Path(folder).iterdir() if p.is_file() and not p.name.startswith("."))


PARALLEL_FROM = 20  # files; below this, starting worker processes costs more than it saves


@dataclass
class _Outcome:
    name: str
    format: str | None = None
    doc: dict | None = None
    lines: list[str] | None = None
    locations: list[str | None] | None = None
    error: str | None = None
    seconds: float = 0.0


def _parse_one(path: Path, reference_dir: Path) -> _Outcome:
    started = time.perf_counter()
    out = _Outcome(path.name)
    try:
        source = read_document(path)
        out.format, out.lines, out.locations = source.format, source.lines, source.locations
        out.doc = parse_source(source, path.name, reference_dir)
    except UnreadablePlanError as exc:  # reported and kept out of the warehouse, never silently skipped
        out.error = str(exc)
    out.seconds = time.perf_counter() - started
    return out


def _same_plan_twice(outcomes: list[_Outcome]) -> None:
    """Ids hang on the name without extension: 阳泉.txt and 阳泉.docx are one plan, kept once."""
    first_of: dict[str, str] = {}
    for o in outcomes:
        if o.error is not None:
            continue
        stem = Path(o.name).stem
        if stem in first_of:
            o.error = (f"{o.name}：与 {first_of[stem]} 是同一份计划的不同格式（文件名相同），只保留 {first_of[stem]}："
                       f"请删除其中一份 / the same plan as {first_of[stem]} in another format; only "
                       f"{first_of[stem]} is read: remove one of them")
        else:
            first_of[stem] = o.name


def parse_folder(folder: Path, reference_dir: Path, workers: int | None = None) -> ParsedFolder:
    """Every plan file of ``folder``, in name order; files are parsed on all cores when there are many."""
    files = plan_files(folder)
    workers = workers or os.cpu_count() or 1
    if workers > 1 and len(files) >= PARALLEL_FROM:
        # spawn, not fork: the caller (a Dagster run) has threads and open database handles
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            outcomes = list(pool.map(_parse_one, files, [reference_dir] * len(files), chunksize=4))
    else:
        outcomes = [_parse_one(p, reference_dir) for p in files]
    _same_plan_twice(outcomes)
    out = ParsedFolder()
    for path, o in zip(files, outcomes):
        out.checksums[o.name] = file_checksum(path)
        out.files.append({"source": o.name, "format": o.format, "checksum": out.checksums[o.name],
                          "status": "rejected" if o.error else "parsed", "reason": o.error,
                          "seconds": round(o.seconds, 4)})
        if o.error is None:
            out.docs.append(o.doc)
            out.lines[o.name] = o.lines
            out.locations[o.name] = o.locations
    return out
