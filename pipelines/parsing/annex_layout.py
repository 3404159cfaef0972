"""Annex tables as text extraction leaves them -> header + rows of cells, with source lines.

Three layouts appear in real plan texts (all in the seeds):
  tab_rows    one row per line, cells separated by tabs; the header repeats after page breaks (晋城, 阳城)
  cell_lines  one cell per line, each opening with a tab; a cell may wrap onto lines without a tab,
              rows separated by blank lines (芮城)
  scattered   the cells of a row scattered one fragment per line, no separators at all; a page break
              may even swallow a row number (新绛)
Each layout yields the same ``RawTable``; ``annex.py`` gives the cells their meaning. A table that
a .docx/.pdf reader read cell by cell (``SourceTable``) becomes a ``RawTable`` of layout ``cells``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..readers import SourceTable
from ..text.normalize import normalize
from .units import UNIT_END

HEADER_WORDS = (
    "任务类别", "类别", "序号", "具体措施", "主要任务", "工作任务", "重点工作", "工程措施", "完成时限",
    "牵头单位", "配合单位", "责任单位", "责任部门", "责任主体", "被考核单位", "备注", "断面名称",
    "目标水质", "水质目标", "河流名称", "县（市、区）", "所在地", "项目名称", "建设内容", "工作目标",
)
_HEADER_TOKEN = re.compile("|".join(sorted(map(re.escape, HEADER_WORDS), key=len, reverse=True)))
_ANNEX_LABEL = re.compile(r"^[-*#\s]*附件\s*\d*\s*[：:]?\s*(?:\d+\s*[.．、]\s*)?")
_TITLE_HINT = re.compile(r"表|台账|清单|工程|明细|项目")
_ROW_NUMBER = re.compile(r"^\s*(\d{1,3})(?:\s+(.*\S))?\s*$")
# Where the 完成时限 cell starts inside a scattered row (normalised text).
_DEADLINE_CELL = re.compile(
    r"\d{4}年\d{1,2}月(?:\d{1,2}日)?(?:底|末)?(?:前|之前|起)?|\d{4}年(?:年底|底|内)前?|\d{4}年\d{1,2}[-—]\d{1,2}月"
    r"|长期坚持|持续推进|已完成|每年|每月|每季度")
# Two cells on one line are separated by spaces between Chinese characters; a space next to a digit
# or a Latin letter is an extraction artefact inside a cell (2023年 12月底前, 一批 VOCs).
_CJK = r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’]"
_CELL_GAP = re.compile(rf"{_CJK}\s+{_CJK}")


def header_cells(text: str) -> list[str] | None:
    """The header words of a line, if the line is nothing but header words (>= 3, with 序号)."""
    flat = normalize(text.replace("\t", ""))
    tokens = _HEADER_TOKEN.findall(flat)
    if len(tokens) < 3 or "序号" not in tokens or _HEADER_TOKEN.sub("", flat).strip():
        return None
    return tokens


def annex_title(text: str) -> str | None:
    """A table title (台账 / 清单 / 明细表 …), without the 附件 label; None for other text."""
    t = normalize(_ANNEX_LABEL.sub("", text, count=1)).strip("*# ")
    return t if t and "\t" not in text and _TITLE_HINT.search(t) and len(t) <= 60 else None


def is_annex_label(text: str) -> bool:
    return bool(_ANNEX_LABEL.match(text)) and not normalize(_ANNEX_LABEL.sub("", text, count=1)).strip()


@dataclass
class RawRow:
    cells: list[str]          # normalised, one per header column
    start_line: int
    end_line: int
    no_inferred: bool = False  # the row number was lost in extraction and is inferred
    raw_cells: list[str] | None = None  # as printed: spaces may separate several units in a cell


@dataclass
class RawTable:
    title: str
    header: list[str]
    layout: str
    start_line: int
    end_line: int
    rows: list[RawRow] = field(default_factory=list)
    stray: list[dict] = field(default_factory=list)  # {start_line, end_line, reason}

    def not_understood(self, start: int, end: int, reason: str) -> None:
        self.stray.append({"start_line": start, "end_line": end, "reason": reason})


def _fit(cells: list[str], width: int) -> list[str]:
    cells = cells[:width] + [""] * (width - len(cells))
    return cells


# --- tab_rows ---------------------------------------------------------------------------------

def _add_row(table: RawTable, line_no: int, raw_cells: list[str]) -> None:
    """A one-line row of cells as printed (a tab row, a Word/PDF table row); blank cells past the
    header are dropped, a row with more filled cells than the header is not understood."""
    raw_cells = list(raw_cells)
    while len(raw_cells) > len(table.header) and not raw_cells[-1].strip():
        raw_cells.pop()
    if len(raw_cells) > len(table.header):
        table.not_understood(line_no, line_no, "台账行的单元格多于表头 / more cells than header columns")
        return
    raw_cells = _fit(raw_cells, len(table.header))
    table.rows.append(RawRow([normalize(c) for c in raw_cells], line_no, line_no, raw_cells=raw_cells))
    table.end_line = line_no


def read_tab_row(table: RawTable, line_no: int, raw: str) -> None:
    _add_row(table, line_no, raw.split("\t"))


# --- cell_lines -------------------------------------------------------------------------------

def read_cell_lines(table: RawTable, lines: list[tuple[int, str]]) -> None:
    """``lines``: (line number, raw text) after the header, up to the end of the table."""
    cells: list[list] = []  # [text, start, end]
    for no, raw in lines:
        if not raw.strip() and not raw.startswith("\t"):
            continue
        if raw.startswith("\t"):
            cells.append([raw[1:], no, no])
        elif cells:
            cells[-1][0] += raw
            cells[-1][2] = no
        else:
            table.not_understood(no, no, "表头后无法归入单元格的文字 / text after the header outside any cell")
    width, no_col = len(table.header), table.header.index("序号")
    i = 0
    while i < len(cells):
        chunk = cells[i:i + width]
        if len(chunk) == width and chunk[no_col][0].strip().isdigit():
            raw_cells = [c[0] for c in chunk]
            table.rows.append(RawRow([normalize(c) for c in raw_cells], chunk[0][1], chunk[-1][2],
                                     raw_cells=raw_cells))
            table.end_line = chunk[-1][2]
            i += width
            continue
        table.not_understood(cells[i][1], cells[i][2],
                             "无法对齐到表格行的单元格 / cell that does not line up with a table row")
        i += 1


# --- scattered --------------------------------------------------------------------------------

_CATEGORY_WIDTH = 4   # a category column is narrow: its fragments are at most this many characters
_DEADLINE_WIDTH = 12  # a 完成时限 column wraps at about this width; a measure column is wider


def _split_scattered_rows(lines: list[tuple[int, str]]) -> list[tuple[int, bool, list[tuple[int, str, bool]]]]:
    """Rows as (number, inferred, fragments); a fragment is (line, normalised text, alone on its line)."""
    rows: list = []
    for no, raw in lines:
        if not raw.strip():
            continue
        m = _ROW_NUMBER.match(raw)
        expected = rows[-1][0] + 1 if rows else None
        if m and (expected is None or int(m.group(1)) == expected):
            rows.append((int(m.group(1)), False, []))
            if m.group(2):
                rows[-1][2].append((no, normalize(m.group(2)), False))
            continue
        if raw[0].isspace() and rows:  # a row whose number was lost in extraction
            rows.append((rows[-1][0] + 1, True, []))
        if not rows:
            rows.append((0, True, []))
        text = raw.strip()
        rows[-1][2].append((no, normalize(text), not _CELL_GAP.search(text)))
    return rows


def _scattered_cells(fragments: list[tuple[int, str, bool]]) -> dict[str, str]:
    i, category = 0, ""
    while i < len(fragments) and fragments[i][2] and len(fragments[i][1]) <= _CATEGORY_WIDTH:
        category += fragments[i][1]
        i += 1
    rest = fragments[i:]
    joined = "".join(f[1] for f in rest)
    m = _DEADLINE_CELL.search(joined)
    if not m:
        return {"category": category, "text": joined}
    title, after = joined[:m.start()], joined[m.start():]
    # A deadline cell that wraps: narrow fragments alone on their lines, up to the first wide one.
    pos, deadline_end = 0, len(m.group(0))
    for _, text, alone in rest:
        end = pos + len(text)
        if end > m.start():
            if not alone or len(text) > _DEADLINE_WIDTH:
                break
            deadline_end = max(deadline_end, end - m.start())
        pos = end
    deadline, tail = after[:deadline_end], after[deadline_end:]
    cut = max(tail.rfind("。"), tail.rfind("；"))
    units = tail[cut + 1:] if cut >= 0 and UNIT_END.search(tail[cut + 1:]) else ""
    text = tail[:cut + 1] if units else tail
    return {"category": category, "title": title, "deadline": deadline, "text": text, "units": units}


def read_scattered(table: RawTable, lines: list[tuple[int, str]], roles: list[str]) -> None:
    for number, inferred, fragments in _split_scattered_rows(lines):
        if not fragments:
            continue
        start, end = fragments[0][0], fragments[-1][0]
        if number == 0:
            table.not_understood(start, end, "表头后、第一行之前的文字 / text before the first table row")
            continue
        values = _scattered_cells(fragments)
        values["no"] = str(number)
        cells = [values.get(role, "") for role in roles]
        table.rows.append(RawRow(cells, start, end, no_inferred=inferred))
        table.end_line = end


# --- cells (tables of a .docx or .pdf) ---------------------------------------------------------

def _is_header_row(cells: list[str]) -> bool:
    """A row is the header when it holds 序号 and at least two more known header words; cells
    that are not header words stay columns of their own."""
    words = [c for c in cells if c in HEADER_WORDS]
    return "序号" in words and len(words) >= 3


def read_cell_table(source: SourceTable, title: str, continued: RawTable | None) -> RawTable | None:
    """``source`` as a RawTable. A part with the header of ``continued`` (the same table after a
    page break, header repeated) adds its rows to it; a part without a header row continues it.
    Rows above the header that read as a title name the table. None: no header to be found."""
    rows = [[normalize(c) if c else "" for c in r] for r in source.rows]
    at = next((k for k, r in enumerate(rows) if _is_header_row(r)), None)
    if at is None:
        if continued is None or continued.layout != "cells":
            return None
        table, body_from = continued, 0
    else:
        header = rows[at]
        for k in range(at):
            title = annex_title("".join(rows[k])) or title
        same = continued is not None and continued.layout == "cells" and continued.header == header
        table = continued if same else RawTable(title, header, "cells", source.first_line + at,
                                                 source.first_line + at)
        body_from = at + 1
    for k in range(body_from, len(rows)):
        if rows[k] != table.header:  # else the header repeated inside the table
            _add_row(table, source.first_line + k, [c or "" for c in source.rows[k]])
    return table
