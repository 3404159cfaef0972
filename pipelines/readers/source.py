"""What every reader returns: the document as line-addressed text plus the tables it holds.

A line is a paragraph of a .docx, a paragraph rebuilt from a .pdf page, or a line of a .txt.
Each table row is also a line (its cells joined by tabs), so line numbers address everything
and the existing extraction runs unchanged; the table's cells stay available as cells so an
annex is read from them rather than guessed back from flattened text. ``locations`` says where
each line sits in the original (第3段, 表2第4行, 第5页第12行) for the dashboard's source view.
"""
from __future__ import annotations

from dataclasses import dataclass, field


class UnreadablePlanError(ValueError):
    """The file cannot be read as a plan; the message says why and what to do, in Chinese and English."""


@dataclass
class SourceTable:
    """A table as printed: rows of cells; ``None`` marks a cell covered by a merged cell above it."""
    first_line: int                     # 1-based line of the table's first row
    rows: list[list[str | None]] = field(default_factory=list)

    @property
    def last_line(self) -> int:
        return self.first_line + len(self.rows) - 1


@dataclass
class SourceDocument:
    format: str                          # txt | docx | pdf
    lines: list[str] = field(default_factory=list)
    locations: list[str | None] = field(default_factory=list)  # one per line; None for .txt
    tables: list[SourceTable] = field(default_factory=list)

    def add_line(self, text: str, location: str | None = None) -> int:
        self.lines.append(text)
        self.locations.append(location)
        return len(self.lines)

    def add_table(self, rows: list[list[str | None]], location_of_row) -> None:
        """Append a table: one line per row (cells joined by tabs) and its cells."""
        rows = [r for r in rows if any(c for c in r)]
        if not rows:
            return
        table = SourceTable(len(self.lines) + 1, rows)
        for k, row in enumerate(rows):
            self.add_line("\t".join((c or "").replace("\n", "") for c in row), location_of_row(k))
        self.tables.append(table)
