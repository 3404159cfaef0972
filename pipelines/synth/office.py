"""A text plan as its drafting office would have it: a .docx with real Word tables for the annexes,
and a .pdf printed from the same layout (text layer, ruled tables, header row repeated on every
page, category cells merged over the rows they cover, page numbers in the footer).

Used to prove that .txt, .docx and .pdf of one plan give the same records, and by anyone who wants
to try the product on Office files. Test data, made from the seeds by the project's own code.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from ..parsing import annex as annex_parsing
from ..parsing.annex_layout import RawTable
from ..parsing.document import parse_lines
from ..parsing.units import split_unit_cell
from ..readers import read_lines

_MERGED_ROLES = ("category",)  # columns whose blank cells continue the cell above (merged in Word)
# Unit cells are written with 、 between names, as offices print them: a space (what text
# extraction left in the seeds) is lost where a PDF line wraps, gluing two names together.
_UNIT_ROLES = ("units", "support")


@dataclass
class TableBlock:
    rows: list[list[str]]                         # header first
    merged: set[tuple[int, int]] = field(default_factory=set)  # (row, col) covered by the cell above
    text_col: int | None = None                   # the wide column

    def merged_runs(self) -> list[tuple[int, int, int]]:
        """(col, top row, last row) of every merged cell: the row printing the text and those it covers."""
        runs = []
        for r, c in sorted(self.merged):
            if (r - 1, c) not in self.merged:  # the first covered row of a run
                end = r
                while (end + 1, c) in self.merged:
                    end += 1
                runs.append((c, r - 1, end))
        return runs


def _table_block(table: RawTable) -> TableBlock:
    roles = annex_parsing.column_roles(table.header)
    rows = [list(table.header)] + [list(r.raw_cells or r.cells) for r in table.rows]
    rows = [[c.strip() for c in r] for r in rows]
    for row in rows[1:]:
        for col, role in enumerate(roles):
            if role in _UNIT_ROLES and row[col]:
                row[col] = "、".join(split_unit_cell(row[col]))
    block = TableBlock(rows, text_col=roles.index("text") if "text" in roles else None)
    for col, role in enumerate(roles):
        if role not in _MERGED_ROLES:
            continue
        for r in range(2, len(rows)):
            if not rows[r][col] and (rows[r - 1][col] or (r - 1, col) in block.merged):
                block.merged.add((r, col))
    return block


def layout_of(txt: Path, reference_dir: Path | None = None) -> list[str | TableBlock]:
    """The plan as paragraphs (the text's lines) and tables (its annex tables, from their cells)."""
    lines = read_lines(txt)
    doc = parse_lines(lines, Path(txt).name, reference_dir)
    regions = sorted((t["start_line"], t["end_line"]) for p in doc["plans"] for t in p["annex_tables"])
    out: list[str | TableBlock] = []
    no = 1
    for start, end in regions:
        out.extend(line for line in lines[no - 1:start - 1] if line.strip())
        tables, _ = annex_parsing._find_tables(list(enumerate(lines[start - 1:end], start=start)))
        out.extend(_table_block(t) for t in tables)
        no = end + 1
    out.extend(line for line in lines[no - 1:] if line.strip())
    return out


# --- Word ------------------------------------------------------------------------------------

def _repeat_as_header(row) -> None:
    from docx.oxml import OxmlElement
    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def write_docx(layout: list[str | TableBlock], path: Path) -> Path:
    import docx
    document = docx.Document()
    for block in layout:
        if isinstance(block, str):
            document.add_paragraph(block)
            continue
        width = len(block.rows[0])
        table = document.add_table(rows=len(block.rows), cols=width)
        table.style = "Table Grid"
        _repeat_as_header(table.rows[0])
        for r, row in enumerate(block.rows):
            for c, text in enumerate(row):
                if (r, c) not in block.merged:
                    table.cell(r, c).text = text
        for c, top, end in block.merged_runs():
            table.cell(top, c).merge(table.cell(end, c))
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


# --- PDF -------------------------------------------------------------------------------------

_CJK_FONT = "STSong-Light"  # Adobe's CID font: every PDF reader has it, nothing to embed


_SUBSCRIPT = re.compile(r"\s*([\u2080-\u2089])")


def _markup(text: str) -> str:
    """Text as reportlab draws it. The CJK font has no subscript digits: O₃ is drawn O3 (what the
    text layer of most office PDFs holds anyway). Latin-1 signs the CJK font lacks or maps to no
    text (³, ·) are set in Helvetica."""
    out = []
    for ch in escape(_SUBSCRIPT.sub(lambda m: str(ord(m.group(1)) - 0x2080), text)):
        if "\u00a0" <= ch <= "\u00ff":
            out.append(f'<font name="Helvetica">{ch}</font>')
        else:
            out.append(ch)
    return "".join(out)


def write_pdf(layout: list[str | TableBlock], path: Path) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont(_CJK_FONT))
    body = ParagraphStyle("body", fontName=_CJK_FONT, fontSize=11, leading=17, firstLineIndent=22,
                          wordWrap="CJK", spaceAfter=2)
    cell = ParagraphStyle("cell", fontName=_CJK_FONT, fontSize=8.5, leading=11, wordWrap="CJK")
    page = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=60, rightMargin=60, topMargin=60,
                             bottomMargin=60)
    story = []
    for block in layout:
        if isinstance(block, str):
            story.append(Paragraph(_markup(block.strip()), body))
            continue
        width = len(block.rows[0])
        cols = [page.width / (width + 3)] * width
        if block.text_col is not None:
            cols[block.text_col] *= 4
        scale = page.width / sum(cols)
        cols = [c * scale for c in cols]
        data = [[Paragraph(_markup(t), cell) if (r, c) not in block.merged else ""
                 for c, t in enumerate(row)] for r, row in enumerate(block.rows)]
        spans = [("SPAN", (c, top), (c, end)) for c, top, end in block.merged_runs()]
        table = Table(data, colWidths=cols, repeatRows=1)
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black"),
                                   ("VALIGN", (0, 0), (-1, -1), "TOP"), *spans]))
        story.append(table)

    def page_number(canvas, doc) -> None:
        canvas.setFont("Helvetica", 9)
        canvas.drawCentredString(A4[0] / 2, 30, f"- {doc.page} -")

    path.parent.mkdir(parents=True, exist_ok=True)
    page.build(story, onFirstPage=page_number, onLaterPages=page_number)
    return path


def write_office_copies(txt: Path, out_dir: Path, reference_dir: Path | None = None) -> tuple[Path, Path]:
    """``<stem>.docx`` and ``<stem>.pdf`` of the text plan ``txt`` in ``out_dir``."""
    layout = layout_of(txt, reference_dir)
    stem = Path(txt).stem
    return write_docx(layout, Path(out_dir) / f"{stem}.docx"), write_pdf(layout, Path(out_dir) / f"{stem}.pdf")
