"""The download of a table on screen: GET /download/<table>.csv or .xlsx ? <the page's query> & snapshot=<file>.

A plain route, not a Dash callback: the file goes to the browser as it is and the browser saves it under
its name. Inside a callback a province's 51,200-row scorecard (3.5 MB of CSV) was wrapped in JSON on the
server and unwrapped in the page. The link is written as the page renders, from the page's own query and
snapshot, so the file is the view on screen (filters, language, a leader's regions) even when a newer
snapshot has been published since.
"""
from __future__ import annotations

import io
from urllib.parse import urlencode

from flask import Response, abort, request

from dashboards import access, data
from dashboards.i18n import lang_of
from dashboards.tables import QUERIES, TABLES, csv_from_snapshot, csv_text, labelled

FORMATS = {"csv": "text/csv; charset=utf-8",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
BOM = "\ufeff".encode("utf-8")  # Excel opens a UTF-8 CSV's Chinese correctly only with it


def download_href(name: str, fmt: str, query: dict) -> str:
    """The link of table ``name``'s download in ``fmt``, as the page of ``query`` shows it now."""
    info = data.snapshot_info()
    keep = {k: v for k, v in query.items() if v not in (None, "") and k != "snapshot"}
    return f"/download/{name}.{fmt}?" + urlencode({**keep, "snapshot": info.name if info else ""})


def file_name(name: str, fmt: str) -> str:
    return f"plankpi_{name}_{data.headline()['as_of'].strftime('%Y-%m-%d')}.{fmt}"


def table_file(name: str, fmt: str, query: dict) -> bytes:
    """The table as the page of ``query`` shows it, as file bytes: CSV with a BOM or an Excel workbook;
    headers in the reader's language."""
    if fmt == "csv" and name in QUERIES:
        return BOM + csv_from_snapshot(name, query)
    df = labelled(TABLES[name](query), lang_of(query))
    if fmt == "csv":
        return BOM + csv_text(df).encode("utf-8")
    buf = io.BytesIO()
    df.to_excel(buf, index=False, sheet_name=name)
    return buf.getvalue()


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
                        headers={"Content-Disposition": f'attachment; filename="{file_name(name, fmt)}"',
                                 "Cache-Control": "private, no-store"})
