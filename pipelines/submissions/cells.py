"""What Excel, WPS and LibreOffice write into a cell, read back as the contract's text — in one place.

A clerk's file holds typed cells: a real date (datetime or date), an Excel serial number (45291 is
2023-12-31) when a date lost its format, text dates in the shapes people type (2023-12-31, 2023/12/31,
2023.12.31, 2023年12月31日, full-width digits), a percent as 40, "40", "40%" or 0.4 in a
percent-formatted cell, numbers stored as text ("1,234", "４０"), stray and full-width spaces in status
words ("已 完成 ", "已完成\u3000"), and a period typed as 2023-12 that Excel turned into a date.

Every function takes a column (a pandas Series of cell objects) and returns the contract's text form
(``YYYY-MM-DD``, ``YYYY-MM``, a plain number, a status word) where the cell can be read, and the
cell's own text otherwise, so that validation can say what it found. Work is done once per distinct
value (a batch of files repeats the same few values), never per row in Python.
"""
from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd

from ..text.normalize import normalize

EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 is 1900-01-01 (with Excel's 1900 leap-year bug)
SERIAL_RANGE = (20000, 80000)     # 1954 .. 2119: a serial number in a date column, not a typo
_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s*T?\s*0{1,2}:00(?::00)?)?$")
_MONTH_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
_NUMBER_TEXT = re.compile(r"^[+-]?(\d+(?:,\d{3})*|\d*)(\.\d+)?$")


def is_blank(value) -> bool:
    """An empty cell: None, NaN, or text of spaces only (full-width spaces included)."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if value is pd.NaT or value is pd.NA:
        return True
    return isinstance(value, str) and not value.replace("\u3000", " ").strip()


def _by_value(series: pd.Series, convert) -> pd.Series:
    """``convert`` applied once per distinct non-blank cell (pandas.factorize); blanks become missing."""
    if series.empty:
        return series.astype("string")
    codes, uniques = pd.factorize(series.to_numpy(dtype=object), use_na_sentinel=True)
    table = np.array([None if is_blank(u) else convert(u) for u in uniques] + [None], dtype=object)
    return pd.Series(table[codes], index=series.index, dtype="string")  # code -1 (missing) -> the last: None


def text(value, normalised: bool = True) -> str:
    """A cell as the text a person sees: integral numbers without ``.0``, dates as ISO; text without
    surrounding blanks, and normalised (half-width letters and digits, pipelines.text.normalize) unless
    ``normalised=False`` (free text is kept as written)."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return normalize(str(value)).strip() if normalised else str(value).strip()


def _number(value) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    t = text(value).replace(" ", "")
    if _NUMBER_TEXT.match(t) and any(ch.isdigit() for ch in t):
        return float(t.replace(",", ""))
    return None


def _plain(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else repr(round(number, 6))


def number_cells(series: pd.Series) -> pd.Series:
    """Numbers, whether stored as numbers or as text ("1,234", "４０", " 12.5 ")."""
    def convert(v):
        n = _number(v)
        return text(v) if n is None else _plain(n)
    return _by_value(series, convert)


def percent_cells(series: pd.Series, percent_formatted: pd.Series | None = None) -> pd.Series:
    """A percent as 0–100: 40, "40", "40%", "４０％", or 0.4 in a cell formatted as a percent (Excel
    stores 40 % as 0.4 there). A bare number is read as percent points, as the template asks."""
    formatted = (percent_formatted.fillna(False).astype(bool) if percent_formatted is not None
                 else pd.Series(False, index=series.index))

    def convert(v):
        t = text(v)
        if t.endswith("%"):
            n = _number(t[:-1])
            return t if n is None else _plain(n)
        n = _number(v)
        return t if n is None else _plain(n)

    out = _by_value(series, convert)
    if formatted.any():  # only percent-formatted cells are looked at one by one (an .xlsx's few)
        candidates = series[formatted]
        scaled = candidates[candidates.map(lambda v: isinstance(v, (int, float)) and not isinstance(v, bool))]
        if len(scaled):
            out[scaled.index] = [_plain(float(v) * 100) for v in scaled]
    return out


def _date_of(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if SERIAL_RANGE[0] <= value <= SERIAL_RANGE[1] and float(value).is_integer():
            return EXCEL_EPOCH + timedelta(days=int(value))
        return None
    t = text(value)
    m = _DATE_TEXT.match(t)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    n = _number(t)
    return _date_of(n) if n is not None else None


def date_cells(series: pd.Series) -> pd.Series:
    """Dates as ``YYYY-MM-DD``: date cells, serial numbers, and text typed as 2023-12-31, 2023/12/31,
    2023.12.31 or 2023年12月31日; anything else stays as found."""
    def convert(v):
        d = _date_of(v)
        return text(v) if d is None else d.isoformat()
    return _by_value(series, convert)


def month_cells(series: pd.Series) -> pd.Series:
    """Reporting periods as ``YYYY-MM`` (``YYYY`` stays a year): Excel turns a typed 2023-12 into the
    date 2023-12-01, people type 2023/12 or 2023年12月."""
    def convert(v):
        if isinstance(v, (datetime, date)):
            return f"{v.year:04d}-{v.month:02d}"
        t = text(v)
        m = _MONTH_TEXT.match(t)
        if m and 1 <= int(m.group(2)) <= 12:
            return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}"
        return t
    return _by_value(series, convert)


def word_cells(series: pd.Series) -> pd.Series:
    """Words chosen from a list (status): no spaces of any width inside or around, half-width forms."""
    return _by_value(series, lambda v: re.sub(r"\s+", "", text(v)))


def code_cells(series: pd.Series) -> pd.Series:
    """Codes (task ids, KPI codes, region and unit names): normalised text, numbers without ``.0``."""
    return _by_value(series, text)


def text_cells(series: pd.Series) -> pd.Series:
    """Free text (narrative, evidence): as written, without surrounding blanks."""
    return _by_value(series, lambda v: text(v, normalised=False))
