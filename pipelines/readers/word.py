"""Word .docx -> SourceDocument: body paragraphs in order, tables read cell by cell.

Positions: 第N段 for the N-th body paragraph, 表T第R行 for row R of the T-th table. A vertically
merged cell (a category printed once for several rows) leaves ``None`` in the rows it covers, so
the annex reader carries the category down exactly as it does for a blank cell in a text table.
"""
from __future__ import annotations

from pathlib import Path

from .source import SourceDocument, UnreadablePlanError


def _row_cells(row, table) -> list[str | None]:
    from docx.table import _Cell
    cells: list[str | None] = [None] * row.grid_cols_before
    for tc in row._tr.tc_lst:
        text = None if tc.vMerge == "continue" else _Cell(tc, table).text.strip()
        cells.append(text)
        cells.extend([None] * (tc.grid_span - 1))  # covered by a horizontal merge
    return cells


def read_docx(path: Path) -> SourceDocument:
    import docx
    from docx.table import Table
    path = Path(path)
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx and lxml raise many kinds; each means the file cannot be opened
        raise UnreadablePlanError(f"{path.name}：Word 文件已损坏，无法打开（{type(exc).__name__}）：请在 Word 或 WPS 中打开后重新另存为 .docx / "
                                  "corrupt Word file: open it in Word or WPS and save it again as .docx") from None
    out = SourceDocument("docx")
    paragraph_no = table_no = 0
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            table_no += 1
            rows = [_row_cells(r, block) for r in block.rows]
            out.add_table(rows, lambda k, t=table_no: f"表{t}第{k + 1}行")
            continue
        paragraph_no += 1
        for part in block.text.split("\n"):  # a soft line break starts a new line of the text
            out.add_line(part, f"第{paragraph_no}段")
    return out
