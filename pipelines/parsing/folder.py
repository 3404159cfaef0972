"""Parse every plan file of a folder: the one function behind the CLI and the Dagster asset."""
from __future__ import annotations

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


def parse_folder(folder: Path, reference_dir: Path) -> ParsedFolder:
    out = ParsedFolder()
    for path in plan_files(folder):
        out.checksums[path.name] = file_checksum(path)
        try:
            out.docs.append(parse_document(path, reference_dir))
            out.lines[path.name] = read_lines(path)
        except ValueError as exc:  # unreadable: reported, never silently skipped
            out.failures.append({"source": path.name, "reason": str(exc)})
    return out
