"""The download of a table on screen: GET /download/<table>.csv or .xlsx ? <the page's query> & snapshot=<file>.

A plain route, not a Dash callback: the file goes to the browser as it is and the browser saves it under
its name. Inside a callback a province's 51,200-row scorecard (3.5 MB of CSV) was wrapped in JSON on the
server and unwrapped in the page. The link is written as the page renders, from the page's own query and
snapshot, so the file is the view on screen (filters, language, a leader's regions) even when a newer
snapshot has been published since.
"""
from __future__ import annotations

import io
import re
from urllib.parse import quote, urlencode

import pandas as pd
from flask import Response, abort, request

from dashboards import access, data, formats
from dashboards.i18n import lang_of, t
from dashboards.tables import QUERIES, TABLES, csv_from_snapshot, csv_text, labelled, spreadsheet_frame

FORMATS = {"csv": "text/csv; charset=utf-8",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
BOM = "\ufeff".encode("utf-8")  # Excel opens a UTF-8 CSV's Chinese correctly only with it


def download_href(name: str, fmt: str, query: dict) -> str:
    """The link of table ``name``'s download in ``fmt``, as the page of ``query`` shows it now."""
    info = data.snapshot_info()
    keep = {k: v for k, v in query.items() if v not in (None, "") and k != "snapshot"}
    return f"/download/{name}.{fmt}?" + urlencode({**keep, "snapshot": info.name if info else ""})


def file_name(name: str, fmt: str) -> str:
    """plankpi_<table>_<as of>[_示例数据].<fmt>: sample numbers say so in the name, so they are not
    forwarded as real ones."""
    h = data.headline()
    sample = "_示例数据" if h.get("includes_sample_data") else ""
    return f"plankpi_{name}_{h['as_of'].strftime('%Y-%m-%d')}{sample}.{fmt}"


# The title of each table in a workbook: the sheet's name and its title row.
TITLES = {"tasks": "tasks_page", "overdue": "most_overdue", "targets": "target_attainment", "units": "units_page",
          "gx": "gx_results", "gx_history": "gx_history", "dbt": "dbt_results", "inputs": "inputs",
          "quarantine": "quarantine", "plan_files": "plan_files", "my_tasks": "my_tasks", "my_uploads": "my_uploads",
          "audit_log": "audit_log", "accounts": "accounts", "review_queue": "review_queue",
          "escalations": "escalations"}
EXCEL_FORMATS = {"percent": "0.0%", "number": "#,##0", "value": "General", "day": {"zh": 'yyyy"年"m"月"d"日"', "en": "yyyy-mm-dd"}}


def title_row(name: str, query: dict) -> str:
    """What a forwarded file must say about itself: the table, whose regions, as of when, from which
    snapshot, and 示例数据 when its numbers are generated."""
    lang = lang_of(query)
    h, info = data.headline(), data.snapshot_info()
    acc = access.account()
    scope = query.get("region") or (acc.region if acc and acc.role in access.SCOPED and acc.region else None)
    colon = ": " if lang == "en" else "："
    parts = [t(TITLES.get(name, "title"), lang),
             f"{t('scope', lang)}{colon}{scope or t('all_regions', lang)}",
             f"{t('as_of', lang)}{colon}{formats.day(h['as_of'], lang)}",
             f"{t('snapshot', lang)}{colon}{formats.moment(info.published_at, lang) if info else ''}"
             f"{t('beijing_time', lang)}"]
    if h.get("includes_sample_data"):
        parts.append(t("sample_banner", lang))
    return " · ".join(parts)


def _width(values: pd.Series, header: str) -> float:
    """A column's width in Excel's characters: a CJK character is two; the longest of most rows, capped."""
    def size(text) -> int:
        return sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(text))
    sizes = values.dropna().astype(str).head(500).map(size)
    body = float(sizes.quantile(0.9)) if len(sizes) else 0
    return min(max(size(header) + 2, body + 2, 8), 60)


def workbook(df: pd.DataFrame, kinds: dict[str, str], name: str, query: dict) -> bytes:
    """The table as an .xlsx: a title row (table, scope, as-of, snapshot, 示例数据), the header frozen with
    filters, rates and dates as numbers shown as on screen, columns as wide as their text, a Chinese sheet
    name."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    lang = lang_of(query)
    wb = Workbook()
    ws = wb.active
    ws.title = re.sub(r"[\\/*?:\[\]]", "", t(TITLES.get(name, "title"), lang))[:31] or name
    ws.append([title_row(name, query)])
    ws.append(list(df.columns))
    for row in df.itertuples(index=False):
        ws.append([None if formats.missing(v) else (v.to_pydatetime() if hasattr(v, "to_pydatetime") else v)
                   for v in row])
    last_col = get_column_letter(max(len(df.columns), 1))
    ws.merge_cells(f"A1:{last_col}1")
    ws["A1"].font = Font(bold=True, size=12)
    ws["A1"].alignment = Alignment(wrap_text=True, vertical="center")
    ws.row_dimensions[1].height = 36
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="D1E7DD")
    ws.freeze_panes = "A3"
    ws.auto_filter.ref = f"A2:{last_col}{len(df) + 2}"
    for i, header in enumerate(df.columns, start=1):
        letter = get_column_letter(i)
        width = _width(df[header], header)
        ws.column_dimensions[letter].width = width
        kind = kinds.get(header)
        if kind is None and width < 60:
            continue
        number_format = EXCEL_FORMATS[kind] if kind else None
        number_format = number_format[lang] if isinstance(number_format, dict) else number_format
        for (cell,) in ws.iter_rows(min_row=3, min_col=i, max_col=i):
            if number_format:
                cell.number_format = number_format
            if width >= 60:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def table_file(name: str, fmt: str, query: dict) -> bytes:
    """The table as the page of ``query`` shows it, as file bytes: CSV with a BOM or an Excel workbook;
    headers in the reader's language."""
    if fmt == "csv" and name in QUERIES:
        return BOM + csv_from_snapshot(name, query)
    if fmt == "csv":
        return BOM + csv_text(labelled(TABLES[name](query), lang_of(query))).encode("utf-8")
    df, kinds = spreadsheet_frame(name, query)
    return workbook(df, kinds, name, query)


def _disposition(name: str) -> str:
    """An attachment's name: ASCII for old clients, the full (Chinese) name for the rest (RFC 6266)."""
    plain = name.encode("ascii", "ignore").decode().replace("__", "_") or "plankpi"
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(name)}"


def register_routes(server) -> None:
    @server.route("/download/<name>.<fmt>")
    def download_table(name: str, fmt: str):
        if fmt not in FORMATS or name not in TABLES:
            abort(404)
        if not access.may_see_table(name):  # a hand-made link to a table the role may not see
            abort(403)
        query = request.args.to_dict()
        data.pin_snapshot(query.pop("snapshot", None))
        return Response(table_file(name, fmt, query), mimetype=FORMATS[fmt],
                        headers={"Content-Disposition": _disposition(file_name(name, fmt)),
                                 "Cache-Control": "private, no-store"})
