"""Parse every plan file of a folder: the one function behind the CLI and the Dagster asset."""
from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .document import parse_document
from ..readers import file_checksum, read_lines

PLAN_SUFFIXES = (".txt", ".md")


@dataclass
class ParsedFolder:
    docs: list[dict] = field(default_factory=list)
    checksums: dict[str, str] = field(default_factory=dict)
    failures: list[dict] = field(default_factory=list)  # files that could not be parsed at all
    lines: dict[str, list[str]] = field(default_factory=dict)  # original lines of each parsed file


def plan_files(folder: Path) -> list[Path]:
    return sorted(p for p in Path(folder).iterdir() if p.is_file() and not p.name.startswith("."))


PARALLEL_FROM = 20  # files; below this, starting worker processes costs more than it saves


def _parse_one(path: Path, reference_dir: Path) -> tuple[str, dict | None, list[str] | None, str | None]:
    try:
        return path.name, parse_document(path, reference_dir), read_lines(path), None
    except ValueError as exc:  # unreadable: reported, never silently skipped
        return path.name, None, None, str(exc)


def parse_folder(folder: Path, reference_dir: Path, workers: int | None = None) -> ParsedFolder:
    """Every plan file of ``folder``, in name order; files are parsed on all cores when there are many."""
    files = plan_files(folder)
    workers = workers or os.cpu_count() or 1
    if workers > 1 and len(files) >= PARALLEL_FROM:
        # spawn, not fork: the caller (a Dagster run) has threads and open database handles
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            results = list(pool.map(_parse_one, files, [reference_dir] * len(files), chunksize=4))
    else:
        results = [_parse_one(p, reference_dir) for p in files]
    out = ParsedFolder()
    for path, (name, doc, lines, error) in zip(files, results):
        out.checksums[name] = file_checksum(path)
        if error is not None:
            out.failures.append({"source": name, "reason": error})
        else:
            out.docs.append(doc)
            out.lines[name] = lines
    return out
