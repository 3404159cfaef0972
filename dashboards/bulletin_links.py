"""The monthly 通报 for leaders and auditors: download links (a small component the overview shows in
one line) and the route that serves the files.

GET /bulletin/<YYYY-MM>.<docx|pdf|xlsx>: the bulletin of the reader's scope — a city leader's own region, any
other leader's or an auditor's the province's — from outbox/bulletins/. The request names only the
month and the format; the file is found by the name the pipeline gives it (pipelines.bulletin.file_stem),
never by a path from the request. Other roles are refused.
"""
from __future__ import annotations

from dash import html
from flask import abort, send_file

from dashboards import access, data
from pipelines.bulletin import BulletinError, Period, file_stem
from pipelines.config import data_paths

ROLES = access.ALL_READERS
FORMATS = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
           "pdf": "application/pdf",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}  # the full lists
SHOWN = 12  # the latest months listed; earlier ones stay downloadable by their link


def _folder():
    return data_paths().outbox / "bulletins"


def reader_scope() -> str | None:
    """The scope whose bulletin the reader gets: a leader's region, else the province; None: refused."""
    a = access.account()
    if a is None or a.role not in ROLES:
        return None
    if a.role in access.SCOPED and a.region:
        return a.region
    return data.default_scope()


def periods(scope: str) -> list[Period]:
    """The months with a bulletin of ``scope`` on disk, newest first."""
    prefix = f"{file_stem(scope, Period(2000, 1)).rsplit('_', 1)[0]}_"
    found = []
    for f in _folder().glob(f"{prefix}*.docx"):
        label = f.stem[len(prefix):]  # YYYY年MM月
        try:
            found.append(Period.parse(f"{label[:4]}-{label[5:7]}"))
        except BulletinError:
            continue
    return sorted(found, key=lambda p: p.key, reverse=True)


def bulletin_links() -> html.Div | None:
    """月度通报: this month's and earlier bulletins of the reader's scope, Word and PDF."""
    scope = reader_scope()
    if scope is None:
        return None
    months = periods(scope)
    if not months:
        return html.Div(f"月度通报 Bulletins：{scope}尚无通报", id="bulletin-links", className="small text-muted mb-2")
    items = []
    for p in months[:SHOWN]:
        items.append(html.Span([f"{p.label} ", html.A("Word", href=f"/bulletin/{p.key}.docx"), " · ",
                                html.A("PDF", href=f"/bulletin/{p.key}.pdf"), " · ",
                                html.A("清单 Excel", href=f"/bulletin/{p.key}.xlsx")], className="me-3"))
    return html.Div([html.Span(f"月度通报 Bulletins（{scope}）：", className="fw-bold me-2"), *items],
                    id="bulletin-links", className="small mb-2")


def register_routes(server) -> None:
    @server.route("/bulletin/<period>.<fmt>")
    def download_bulletin(period: str, fmt: str):
        scope = reader_scope()
        if scope is None:
            abort(403)
        try:
            p = Period.parse(period)
        except BulletinError:
            abort(404)
        if fmt not in FORMATS:
            abort(404)
        path = _folder() / f"{file_stem(scope, p)}.{fmt}"
        if not path.is_file():
            abort(404)
        return send_file(path, mimetype=FORMATS[fmt], as_attachment=True, download_name=path.name,
                         max_age=0)
