"""What a grid asks the server for — a block of rows of a view, sorted and filtered by its columns — and
how that request is answered on a pandas frame. Pure pandas: no Dash here.

The grids use AG Grid's infinite row model: the page carries the columns only, and the grid fetches the
rows it shows in blocks (`getRowsRequest` → `getRowsResponse`). A province's view has 140,000 tasks:
sorting or filtering the first thousand in the browser, as a client-side grid would, would be sorting
the wrong rows; and shipping rows nobody scrolls to cost more than the queries that computed them.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

BLOCK_ROWS = 100  # rows per block fetched; a page of the grid shows 20


@dataclass(frozen=True)
class Window:
    """Rows [start, end) of a view, in the order of ``sort`` ((column, descending) pairs, first key
    first), among the rows that pass ``filters`` (AG Grid's filter model, by column)."""
    start: int = 0
    end: int = BLOCK_ROWS
    sort: tuple[tuple[str, bool], ...] = ()
    filters: dict = field(default_factory=dict)

    @classmethod
    def from_request(cls, request: dict) -> "Window":
        """The grid's getRowsRequest (startRow, endRow, sortModel, filterModel)."""
        start = max(int(request.get("startRow") or 0), 0)
        end = max(int(request.get("endRow") or start + BLOCK_ROWS), start)
        sort = tuple((s["colId"], s.get("sort") == "desc") for s in request.get("sortModel") or [] if s.get("colId"))
        return cls(start, end, sort, dict(request.get("filterModel") or {}))


_TEXT_TESTS = {
    "contains": lambda s, v: s.str.contains(v, regex=False),
    "notContains": lambda s, v: ~s.str.contains(v, regex=False),
    "equals": lambda s, v: s == v,
    "notEqual": lambda s, v: s != v,
    "startsWith": lambda s, v: s.str.startswith(v),
    "endsWith": lambda s, v: s.str.endswith(v),
}
_NUMBER_TESTS = {
    "equals": lambda s, v, _: s == v,
    "notEqual": lambda s, v, _: s != v,
    "lessThan": lambda s, v, _: s < v,
    "lessThanOrEqual": lambda s, v, _: s <= v,
    "greaterThan": lambda s, v, _: s > v,
    "greaterThanOrEqual": lambda s, v, _: s >= v,
    "inRange": lambda s, v, to: (s >= v) & (s <= to),
}


def _condition(values: pd.Series, condition: dict) -> pd.Series:
    """One condition of a column filter, as AG Grid's text and number filters mean it (text compared
    case-insensitively; a row with no value passes only 'blank', 'notEqual' and 'notContains')."""
    kind = condition.get("type")
    blank = values.isna() | values.astype("string").str.strip().eq("")
    if kind == "blank":
        return blank
    if kind == "notBlank":
        return ~blank
    if condition.get("filterType") == "number":
        test = _NUMBER_TESTS.get(kind)
        if test is None:
            raise ValueError(f"不支持的数字筛选 / unsupported number filter: {kind}")
        numbers = pd.to_numeric(values, errors="coerce")
        hit = test(numbers, float(condition.get("filter")), float(condition.get("filterTo") or 0))
    else:
        test = _TEXT_TESTS.get(kind)
        if test is None:
            raise ValueError(f"不支持的文本筛选 / unsupported text filter: {kind}")
        hit = test(values.astype("string").str.lower(), str(condition.get("filter") or "").lower())
    return hit.fillna(kind in ("notEqual", "notContains")).astype(bool)


def _column_filter(values: pd.Series, model: dict) -> pd.Series:
    """A column's filter: one condition, or several joined by AND / OR."""
    conditions = model.get("conditions")
    if not conditions:
        return _condition(values, model)
    hits = [_condition(values, {"filterType": model.get("filterType"), **c}) for c in conditions]
    joined = hits[0]
    for hit in hits[1:]:
        joined = (joined | hit) if model.get("operator") == "OR" else (joined & hit)
    return joined


def filtered(frame: pd.DataFrame, filters: dict) -> pd.DataFrame:
    """The rows that pass every column's filter (a filter on a column the view lacks is refused)."""
    keep = pd.Series(True, index=frame.index)
    for column, model in filters.items():
        if column not in frame.columns:
            raise ValueError(f"没有此列 / no such column: {column}")
        keep &= _column_filter(frame[column], model)
    return frame[keep]


def sorted_by(frame: pd.DataFrame, sort: tuple[tuple[str, bool], ...],
              keys: dict[str, list[str]] | None = None) -> pd.DataFrame:
    """The frame in the grid's order; ``keys`` sorts a shown column by the columns it is made from (a
    label by its code, a source reference by file and line). Empty values last; ties keep the view's
    own order (a stable sort)."""
    by, descending = [], []
    for column, desc in sort:
        for key in (keys or {}).get(column, [column]):
            if key not in frame.columns:
                raise ValueError(f"没有此列 / no such column: {column}")
            by.append(key)
            descending.append(desc)
    if not by:
        return frame
    return frame.sort_values(by, ascending=[not d for d in descending], na_position="last", kind="stable")


def block(frame: pd.DataFrame, window: Window, keys: dict[str, list[str]] | None = None) -> tuple[pd.DataFrame, int]:
    """The window's rows of ``frame`` (filtered, sorted, sliced) and how many rows pass its filters."""
    rows = sorted_by(filtered(frame, window.filters), window.sort, keys)
    return rows.iloc[window.start:window.end], len(rows)
