"""Readers turn a plan file into a SourceDocument: the same line-addressed text (plus tables) from
.txt, .docx and .pdf, the reader chosen by the file's content."""
from __future__ import annotations

import hashlib
from pathlib import Path

from .sniff import sniff
from .source import SourceDocument, SourceTable, UnreadablePlanError  # noqa: F401


def read_document(path: Path) -> SourceDocument:
    path = Path(path)
    kind = sniff(path)
    if kind == "docx":
        from .word import read_docx
        return read_docx(path)
    if kind == "pdf":
        from .pdf import read_pdf
        return read_pdf(path)
    from .txt import read_txt
    return read_txt(path)


def read_lines(path: Path) -> list[str]:
    """Original lines of the file (index 0 is line 1), whatever its format."""
    return read_document(path).lines


def file_checksum(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
