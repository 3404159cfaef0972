"""A submission file -> frames of text cells with their row numbers, or a whole-file rejection."""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .contract import (MAX_FILE_BYTES, OBSERVATION_COLUMNS, OBSERVATION_OPTIONAL_COLUMNS, OBSERVATION_SHEET,
                       PROGRESS_COLUMNS, PROGRESS_SHEET)

OPTIONAL_COLUMNS = {"progress": {}, "observations": OBSERVATION_OPTIONAL_COLUMNS}

CSV_ENCODINGS = ("utf-8-sig", "gbk", "gb18030")


class UnreadableFile(Exception):
    def __init__(self, reason_zh: str, reason_en: str):
        super().__init__(f"{reason_zh} / {reason_en}")
        self.reason_zh, self.reason_en = reason_zh, reason_en


@dataclass
class Sheet:
    kind: str            # "progress" | "observations"
    name: str            # sheet name, or "csv"
    frame: pd.DataFrame  # warehouse column names, text cells, plus row_number (1-based, header = 1)


def _kind_of(columns: list[str]) -> tuple[str, dict] | None:
    cols = [str(c).strip() for c in columns]
    for kind, spec in (("progress", PROGRESS_COLUMNS), ("observations", OBSERVATION_COLUMNS)):
        if set(spec) <= set(cols):
            return kind, spec
    return None


def _to_sheet(frame: pd.DataFrame, name: str) -> Sheet | None:
    frame.columns = [str(c).strip() for c in frame.columns]
    found = _kind_of(list(frame.columns))
    if found is None:
        return None
    kind, spec = found
    # optional columns the file lacks are blank cells: an older file reads as before
    spec = {**spec, **OPTIONAL_COLUMNS[kind]}
    frame = frame.reindex(columns=list(spec)).set_axis(list(spec.values()), axis=1)
    frame.insert(0, "row_number", frame.index + 2)
    return Sheet(kind, name, frame)


def tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """Cells as text without surrounding blanks, rows with no cell at all dropped. Done once over a
    whole batch of files: per file it costs more than reading the file."""
    cells = [c for c in frame.columns if c != "row_number" and not c.startswith("_") and c != "sheet"]
    frame = frame.dropna(how="all", subset=cells)
    return frame.assign(**{c: frame[c].astype("string").str.strip() for c in cells})


def _read_csv(raw: bytes) -> list[pd.DataFrame]:
    for enc in CSV_ENCODINGS:
        try:
            text = raw.decode(enc)
        except UnicodeDecodeError:
            continue
        return [pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_values=[""])]
    raise UnreadableFile("无法识别CSV编码（支持UTF-8、UTF-8-BOM、GBK）",
                         "cannot decode the CSV as UTF-8, UTF-8-BOM or GBK")


def _read_xlsx(raw: bytes) -> dict[str, pd.DataFrame]:
    if raw[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise UnreadableFile("文件已加密或为旧版.xls格式，请另存为未加密的.xlsx",
                             "file is encrypted or legacy .xls; save it as an unprotected .xlsx")
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            if any(n.lower().endswith("vbaproject.bin") for n in z.namelist()):
                raise UnreadableFile("文件包含宏，不予接收", "file contains macros; not accepted")
        # calamine (Rust) reads a workbook ~6x faster than openpyxl; the same frames on our templates
        return pd.read_excel(io.BytesIO(raw), sheet_name=None, dtype=str, engine="calamine")
    except UnreadableFile:
        raise
    except Exception as exc:  # corrupt zip, broken XML: whatever the reader says
        raise UnreadableFile("Excel文件已损坏，无法读取", f"corrupt Excel file: {type(exc).__name__}") from exc


def read_submission(path: Path, tidied: bool = True) -> list[Sheet]:
    """The sheets of a submission file; ``tidied=False`` leaves ``tidy`` to the caller (a batch)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise UnreadableFile(f"不支持的文件类型 {suffix or '(无扩展名)'}，仅接收 .xlsx 和 .csv",
                             f"unsupported file type {suffix or '(none)'}; only .xlsx and .csv are accepted")
    size = path.stat().st_size
    if size == 0:
        raise UnreadableFile("文件为空", "file is empty")
    if size > MAX_FILE_BYTES:
        raise UnreadableFile(f"文件超过大小上限 {MAX_FILE_BYTES // 1048576} MB",
                             f"file exceeds the size limit of {MAX_FILE_BYTES // 1048576} MB")
    raw = path.read_bytes()
    frames = {"csv": f for f in _read_csv(raw)} if suffix == ".csv" else _read_xlsx(raw)
    preferred = [PROGRESS_SHEET, OBSERVATION_SHEET]
    ordered = sorted(frames.items(), key=lambda kv: preferred.index(kv[0]) if kv[0] in preferred else 9)
    sheets = [s for name, f in ordered if (s := _to_sheet(f, name)) is not None]
    if not sheets:
        raise UnreadableFile("表头不符合填报模板（缺少必需列）",
                             "header does not match the template (required columns missing)")
    if tidied:
        for sheet in sheets:
            sheet.frame = tidy(sheet.frame).reset_index(drop=True)
    return sheets
