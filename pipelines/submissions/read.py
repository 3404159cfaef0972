"""A submission file -> frames of cells with their Excel row numbers, or a whole-file rejection.

An .xlsx is inspected before anything parses it (``inspect_xlsx``): its parts are unpacked as a
stream with a cap on the unpacked bytes, each sheet's rows are counted as the XML streams by and the
count stops at MAX_SHEET_ROWS, macros and links to other workbooks are refused. A 100 KB file holding
100,000 rows is refused after reading its first few thousand rows, in well under a second. The cells
are then read typed (calamine: a date cell is a date, a number a number) and turned into the
contract's text by ``cells`` when a batch is tidied; the header row is found wherever the clerk's
sheet has it (the template puts what-to-do lines above it).
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

import numpy as np
import pandas as pd

from . import cells
from .contract import (CELL_KINDS, MAX_FILE_BYTES, MAX_SHEET_ROWS, MAX_UNPACKED_BYTES, OBSERVATION_COLUMNS,
                       OBSERVATION_OPTIONAL_COLUMNS, OBSERVATION_SHEET, PROGRESS_COLUMNS, PROGRESS_OPTIONAL,
                       PROGRESS_SHEET)

# optional columns: read when present, empty otherwise (an older file reads as before)
OPTIONAL_COLUMNS = {"progress": PROGRESS_OPTIONAL, "observations": OBSERVATION_OPTIONAL_COLUMNS}

CSV_ENCODINGS = ("utf-8-sig", "gbk", "gb18030")
HEADER_SEARCH_ROWS = 20  # the header row is among the first rows (the template's guide lines sit above it)
_CHUNK = 1 << 20


class UnreadableFile(Exception):
    def __init__(self, reason_zh: str, reason_en: str):
        super().__init__(f"{reason_zh} / {reason_en}")
        self.reason_zh, self.reason_en = reason_zh, reason_en


@dataclass
class Sheet:
    kind: str            # "progress" | "observations"
    name: str            # sheet name, or "csv"
    frame: pd.DataFrame  # warehouse column names, cells as read, plus row_number (the row Excel shows)


@dataclass
class XlsxInspection:
    """What the inspection learnt: rows per sheet, and the cells formatted as a percent."""
    rows: dict[str, int] = field(default_factory=dict)
    percent_cells: dict[str, set[tuple[int, str]]] = field(default_factory=dict)  # sheet -> {(row, col)}


def _capped(z: zipfile.ZipFile, name: str, budget: int) -> bytes:
    """A part unpacked as a stream; more than ``budget`` bytes refuses the file (a zip bomb)."""
    out = io.BytesIO()
    with z.open(name) as part:
        while chunk := part.read(_CHUNK):
            out.write(chunk)
            if out.tell() > budget:
                raise UnreadableFile(f"文件解压后超过 {MAX_UNPACKED_BYTES // 1048576} MB，不是填报模板",
                                     f"the file unpacks to more than {MAX_UNPACKED_BYTES // 1048576} MB; "
                                     "not a report template")
    return out.getvalue()


def _count_rows(z: zipfile.ZipFile, name: str, sheet: str, budget: int) -> tuple[int, bytes]:
    """Rows of a sheet's XML, counted while it streams; stops past MAX_SHEET_ROWS."""
    out, rows, tail = io.BytesIO(), 0, b""
    with z.open(name) as part:
        while chunk := part.read(_CHUNK):
            rows += len(re.findall(rb"<(?:\w+:)?row[\s>/]", tail + chunk)) - len(re.findall(rb"<(?:\w+:)?row[\s>/]", tail))
            tail = chunk[-16:]
            out.write(chunk)
            if rows > MAX_SHEET_ROWS:
                raise UnreadableFile(f"工作表“{sheet}”超过 {MAX_SHEET_ROWS} 行，不是本单位的填报模板，请使用下载的模板",
                                     f"sheet {sheet!r} has more than {MAX_SHEET_ROWS} rows; "
                                     "not a report template, please use the downloaded template")
            if out.tell() > budget:
                _capped(z, name, -1)  # raises the size refusal
    return rows, out.getvalue()


def _percent_styles(styles: bytes) -> set[str]:
    """Indexes of the cell formats (cellXfs) that show a number as a percent (built-in 9, 10 or a
    custom format with %)."""
    custom = {m.group(1) for m in re.finditer(rb'<(?:\w+:)?numFmt\b[^>]*numFmtId="(\d+)"[^>]*formatCode="([^"]*)"', styles)
              if b"%" in m.group(2)}
    custom |= {m.group(2) for m in re.finditer(rb'<(?:\w+:)?numFmt\b[^>]*formatCode="([^"]*)"[^>]*numFmtId="(\d+)"', styles)
               if b"%" in m.group(1)}
    percent_ids = {b"9", b"10"} | custom
    xfs = re.search(rb"<(?:\w+:)?cellXfs\b.*?</(?:\w+:)?cellXfs>", styles, re.S)
    if not xfs:
        return set()
    found = re.findall(rb"<(?:\w+:)?xf\b([^>]*)", xfs.group(0))
    return {str(i) for i, attrs in enumerate(found)
            if (m := re.search(rb'numFmtId="(\d+)"', attrs)) and m.group(1) in percent_ids}


def _sheet_parts(z: zipfile.ZipFile, budget: int) -> dict[str, str]:
    """Sheet name -> its XML part, from workbook.xml and its relationships."""
    book = _capped(z, "xl/workbook.xml", budget).decode("utf-8", "replace")
    rels = _capped(z, "xl/_rels/workbook.xml.rels", budget).decode("utf-8", "replace")
    target = {m.group(1): m.group(2) for m in re.finditer(r'<Relationship\b[^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"', rels)}
    target |= {m.group(2): m.group(1) for m in re.finditer(r'<Relationship\b[^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)}
    parts = {}
    for m in re.finditer(r"<(?:\w+:)?sheet\b([^>]*)/?>", book):
        name = re.search(r'\bname="([^"]*)"', m.group(1))
        rid = re.search(r'\br:id="([^"]*)"|\bid="([^"]*)"', m.group(1))
        if name and rid and (t := target.get(rid.group(1) or rid.group(2))):
            path = t.lstrip("/") if t.startswith("/") else "xl/" + t
            parts[_xml_unescape(name.group(1))] = path
    return parts


def _xml_unescape(s: str) -> str:
    return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'").replace("&amp;", "&")


def inspect_xlsx(raw: bytes) -> XlsxInspection:
    """Refuse, before parsing, what could hurt the server or is not a clerk's own workbook."""
    if raw[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise UnreadableFile("文件已加密或为旧版.xls格式，请另存为未加密的.xlsx",
                             "file is encrypted or legacy .xls; save it as an unprotected .xlsx")
    try:
        z = zipfile.ZipFile(io.BytesIO(raw))
        names = z.namelist()
    except zipfile.BadZipFile as exc:
        raise UnreadableFile("Excel文件已损坏，无法读取", f"corrupt Excel file: {type(exc).__name__}") from exc
    lower = [n.lower() for n in names]
    if any(n.endswith("vbaproject.bin") for n in lower):
        raise UnreadableFile("文件包含宏，不予接收，请另存为 .xlsx", "file contains macros; not accepted, save as .xlsx")
    if any(n.startswith("xl/externallinks/") for n in lower):
        raise UnreadableFile("文件含有指向其他工作簿的外部链接，请删除链接（或复制后“粘贴为数值”）再上传",
                             "file links to other workbooks (external links); remove them (paste as values) and upload again")
    budget = MAX_UNPACKED_BYTES
    inspection = XlsxInspection()
    try:
        parts = _sheet_parts(z, budget)
        styles = _capped(z, "xl/styles.xml", budget) if "xl/styles.xml" in names else b""
        percent = _percent_styles(styles)
        for sheet, part in parts.items():
            if part not in names:
                continue
            rows, xml = _count_rows(z, part, sheet, budget)
            inspection.rows[sheet] = rows
            if percent:
                inspection.percent_cells[sheet] = {
                    (int(m.group(2)), m.group(1).decode()) for m in
                    re.finditer(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]+)(\d+)"[^>]*?\bs="(\d+)"', xml)
                    if m.group(3).decode() in percent}
        for name in names:  # every other part, unpacked as a stream under the same cap
            if name not in parts.values():
                budget_left = budget - sum(i.file_size for i in z.infolist() if i.filename in parts.values())
                _capped(z, name, max(budget_left, 0))
    except UnreadableFile:
        raise
    except (KeyError, zipfile.BadZipFile, OSError, EOFError, RuntimeError) as exc:  # missing part, bad CRC, encrypted
        raise UnreadableFile("Excel文件已损坏，无法读取", f"corrupt Excel file: {type(exc).__name__}") from exc
    return inspection


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _header_key(value) -> str:
    """A header cell compared without spaces and with either width of brackets (完成进度（%）)."""
    if cells.is_blank(value):
        return ""
    return re.sub(r"\s+", "", cells.text(value, normalised=False)).replace("（", "(").replace("）", ")").replace("％", "%")


def _to_sheet(rows: list[list], name: str, percent_cells: set | None = None, empty_is_missing: bool = False
              ) -> Sheet | None:
    """The sheet's rows from its header row on; columns named by the contract; ``row_number`` the row
    Excel shows (header row + k). ``empty_is_missing``: an empty cell ("") becomes None (a CSV's)."""
    for h, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        cols = [_header_key(c) for c in row]
        for kind, spec in (("progress", PROGRESS_COLUMNS), ("observations", OBSERVATION_COLUMNS)):
            if set(spec) <= set(cols):
                break
        else:
            continue
        spec = {**spec, **OPTIONAL_COLUMNS[kind]}
        body = rows[h + 1:]
        # The body as one grid of cells, with an empty column last for a column the sheet lacks (or a row
        # shorter than the header): columns are cut from it at once, not read cell by cell.
        width = max(map(len, body), default=0)
        grid = np.full((len(body), width + 1), None, dtype=object)
        if all(len(r) == width for r in body):
            grid[:, :width] = body
        else:
            for i, r in enumerate(body):
                grid[i, :len(r)] = r
        if empty_is_missing:
            grid[grid == ""] = None
        where = {c: cols.index(c) if c in cols and cols.index(c) < width else width for c in spec}
        frame = pd.DataFrame(grid[:, [where[zh] for zh in spec]], columns=list(spec.values()), dtype=object)
        frame.insert(0, "row_number", range(h + 2, h + 2 + len(body)))
        if kind == "progress" and percent_cells:
            letter = _column_letter(where["完成进度(%)"])
            frame["_percent_fmt"] = [(n, letter) in percent_cells for n in frame["row_number"]]
        return Sheet(kind, name, frame)
    return None


def tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """Cells in the contract's text form (``cells``, by CELL_KINDS), rows with no cell at all dropped.
    Done once over a whole batch of files: per file it costs more than reading the file."""
    body = [c for c in frame.columns if c in CELL_KINDS]
    out = {}
    for c in body:
        kind = CELL_KINDS[c]
        if kind == "percent":
            out[c] = cells.percent_cells(frame[c], frame["_percent_fmt"] if "_percent_fmt" in frame else None)
        else:
            out[c] = getattr(cells, f"{kind}_cells")(frame[c])
    frame = frame.assign(**out).drop(columns=["_percent_fmt"], errors="ignore")
    return frame.dropna(how="all", subset=body)


def _read_csv(raw: bytes) -> list[list]:
    """The rows of a CSV (ragged rows allowed: the header decides the columns); empty cells are ""
    here and missing in the sheet (``_to_sheet(empty_is_missing=True)``)."""
    for enc in CSV_ENCODINGS:
        try:
            text = raw.decode(enc)
        except UnicodeDecodeError:
            continue
        try:
            rows = list(islice(csv.reader(io.StringIO(text, newline="")), MAX_SHEET_ROWS + 1))
        except csv.Error as exc:
            raise UnreadableFile("CSV 文件格式错误，无法读取，请另存为 .xlsx", f"malformed CSV: {exc}") from exc
        if len(rows) > MAX_SHEET_ROWS:
            raise UnreadableFile(f"文件超过 {MAX_SHEET_ROWS} 行，不是填报模板",
                                 f"more than {MAX_SHEET_ROWS} rows; not a report template")
        return rows
    raise UnreadableFile("无法识别CSV编码（支持UTF-8、UTF-8-BOM、GBK）",
                         "cannot decode the CSV as UTF-8, UTF-8-BOM or GBK")


def _read_xlsx(raw: bytes) -> tuple[dict[str, list[list]], XlsxInspection]:
    inspection = inspect_xlsx(raw)
    try:
        from python_calamine import CalamineWorkbook
        # calamine (Rust) reads a workbook ~6x faster than openpyxl, typed: a date cell is a date
        book = CalamineWorkbook.from_filelike(io.BytesIO(raw))
        return {name: book.get_sheet_by_name(name).to_python(skip_empty_area=False, nrows=MAX_SHEET_ROWS + 1)
                for name in book.sheet_names}, inspection
    except Exception as exc:  # broken XML: whatever the reader says
        raise UnreadableFile("Excel文件已损坏，无法读取", f"corrupt Excel file: {type(exc).__name__}") from exc


def read_submission(path: Path, tidied: bool = True) -> list[Sheet]:
    """The sheets of a submission file; ``tidied=False`` leaves ``tidy`` to the caller (a batch)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise UnreadableFile(f"不支持的文件类型 {suffix or '(无扩展名)'}，请另存为 .xlsx（或 .csv）",
                             f"unsupported file type {suffix or '(none)'}; save it as .xlsx (or .csv)")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise UnreadableFile("无法读取文件", f"cannot read the file: {exc.strerror}") from exc
    if size == 0:
        raise UnreadableFile("文件为空", "file is empty")
    if size > MAX_FILE_BYTES:
        raise UnreadableFile(f"文件超过大小上限 {MAX_FILE_BYTES // 1048576} MB",
                             f"file exceeds the size limit of {MAX_FILE_BYTES // 1048576} MB")
    raw = path.read_bytes()
    if suffix == ".csv":
        books, inspection = {"csv": _read_csv(raw)}, XlsxInspection()
    else:
        books, inspection = _read_xlsx(raw)
    preferred = [PROGRESS_SHEET, OBSERVATION_SHEET]
    ordered = sorted(books.items(), key=lambda kv: preferred.index(kv[0]) if kv[0] in preferred else 9)
    sheets = [s for name, rows in ordered
              if (s := _to_sheet(rows, name, inspection.percent_cells.get(name), suffix == ".csv")) is not None]
    if not sheets:
        raise UnreadableFile("表头不符合填报模板（缺少必需列：" + "、".join(PROGRESS_COLUMNS) + "）",
                             "header does not match the template (required columns missing)")
    if tidied:
        for sheet in sheets:
            sheet.frame = tidy(sheet.frame).reset_index(drop=True)
    return sheets
