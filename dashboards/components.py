"""The pieces every page is built from, and the callbacks they share.

A page is a pure function of its URL: filters, the selected task and the language live in the query
string, so a link reproduces a view. Controls only rewrite the URL; the page then renders from it.
"""
from __future__ import annotations

import functools
from urllib.parse import parse_qsl, urlencode

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboards import access, data
from dashboards.i18n import GRID_LOCALE_ZH, column, lang_of, t
from dashboards.tables import TABLES

PAGES = (("/", "overview"), ("/tasks", "tasks_page"), ("/targets", "targets_page"), ("/units", "units_page"),
         ("/quality", "quality_page"), ("/my", "my_page"), ("/audit", "audit_page"), ("/accounts", "accounts_page"))
PAGE_SIZE = 20
# A grid holds at most this many rows in the browser (the first, in the table's order); the count above
# it is the whole view's, and the CSV / Excel downloads hold every row. A province's 140,000 tasks in
# one page would be tens of MB of JSON per click.
GRID_MAX_ROWS = 1000


def parse_query(search: str | None) -> dict:
    return dict(parse_qsl((search or "").lstrip("?")))


def href(path: str, query: dict, **changes) -> str:
    merged = {k: v for k, v in {**query, **changes}.items() if v not in (None, "", [])}
    return path + ("?" + urlencode(merged) if merged else "")


def _navbar(path: str, query: dict, lang: str) -> dbc.Navbar:
    keep = {"lang": query.get("lang")}
    acc = access.account()
    links = [dbc.NavItem(dbc.NavLink(t(key, lang), href=href(p, keep), active=p == path, id=f"nav-{key}"))
             for p, key in PAGES if acc is not None and p in access.pages_for(acc.role)]
    toggle = dcc.Link(t("switch_lang", lang), href=href(path, query, lang=None if lang == "en" else "en"),
                      id="lang-toggle", className="btn btn-outline-light btn-sm ms-3")
    who = html.Span(f"{acc.label}（{t('role_' + acc.role, lang)}）" if acc else "", id="who",
                    className="text-white small ms-3")
    return dbc.Navbar(dbc.Container([
        dbc.NavbarBrand(t("title", lang), href=href(access.HOME.get(acc.role, "/") if acc else "/", keep)),
        dbc.Nav(links, navbar=True, className="me-auto"),
        toggle, who,
        html.A(t("logout", lang), href="/logout", id="logout", className="btn btn-outline-light btn-sm ms-3"),
    ], fluid=True), color="success", dark=True, className="mb-3")


def refusal(path: str, query: dict) -> html.Div:
    return html.Div([_navbar(path, query, lang_of(query)),
                     dbc.Alert(t("forbidden", lang_of(query)), color="danger", id="forbidden")])


def guarded(path: str):
    """A page layout that renders nothing (not even its queries run) for a role that may not see it,
    and only the frame (which says so) while no snapshot is published."""
    def wrap(layout):
        @functools.wraps(layout)
        def checked(**query):
            if not access.may_see_page(path):
                return refusal(path, query)
            return layout(**query) if data.snapshot_info() is not None else frame(path, query)
        return checked
    return wrap


def frame(path: str, query: dict, *children) -> html.Div:
    """Navigation, the as-of date and snapshot time (always visible), then the page (pages are
    @guarded: only a role that may see ``path`` gets here)."""
    lang = lang_of(query)
    info = data.snapshot_info()
    if info is None:
        return html.Div([_navbar(path, query, lang), dbc.Alert(t("no_snapshot", lang), color="warning",
                                                               id="no-snapshot")])
    h = data.headline()
    return html.Div([
        _navbar(path, query, lang),
        dbc.Alert(t("sample_banner", lang), color="warning", id="sample-banner", className="py-2")
        if h["includes_sample_data"] else None,
        html.Div([
            html.Span(f"{t('as_of', lang)}：{str(h['as_of'])[:10]}", id="as-of", className="me-4"),
            html.Span(f"{t('snapshot', lang)}：{info.published_at}（{t('run', lang)} {info.run_id[:8]}）",
                      id="snapshot-time"),
        ], className="text-muted small mb-3"),
        *children,
    ], lang="en" if lang == "en" else "zh-CN")


def pct(x) -> str:
    return "—" if x is None or x != x else f"{x * 100:.1f}%"


def card(label: str, value: str, test_id: str) -> dbc.Col:
    return dbc.Col(dbc.Card(dbc.CardBody([
        html.Div(label, className="text-muted small"),
        html.Div(value, className="fs-4 fw-bold", id=test_id),
    ])), lg=True, md=3, xs=6, className="mb-2")


def table_block(name: str, query: dict, frame_: pd.DataFrame | None = None, row_id: str | None = None,
                height: int = 560) -> html.Div:
    """A sortable, paged grid of TABLES[name] with its row count and CSV / Excel downloads."""
    lang = lang_of(query)
    if frame_ is None:
        shown = TABLES[name](query, limit=GRID_MAX_ROWS)
        total = int(shown["_total"].iat[0]) if len(shown) else 0
        shown = shown.drop(columns="_total")
    else:
        shown, total = frame_.head(GRID_MAX_ROWS), len(frame_)
    grid = dag.AgGrid(
        id=f"grid-{name}",
        rowData=shown.astype(object).where(shown.notna(), None).to_dict("records"),
        columnDefs=[{"field": c, "headerName": column(c, lang)} for c in shown.columns],
        defaultColDef={"sortable": True, "resizable": True, "filter": True, "minWidth": 90},
        dashGridOptions={"pagination": True, "paginationPageSize": PAGE_SIZE, "animateRows": False,
                         "enableCellTextSelection": True,
                         **({} if lang == "en" else {"localeText": GRID_LOCALE_ZH})},
        getRowId=f"params.data.{row_id}" if row_id else None,
        columnSize="autoSize",
        style={"height": f"{height}px"},
    )
    return html.Div([
        html.Div([
            html.Span(t("rows", lang, n=total), id=f"count-{name}", className="me-3 text-muted"),
            *([html.Span(t("rows_shown", lang, n=GRID_MAX_ROWS), id=f"capped-{name}", className="me-3 text-warning")]
              if total > GRID_MAX_ROWS else []),
            dbc.Button(t("download_csv", lang), id={"type": "download", "table": name, "fmt": "csv"},
                       size="sm", color="secondary", outline=True, className="me-2"),
            dbc.Button(t("download_xlsx", lang), id={"type": "download", "table": name, "fmt": "xlsx"},
                       size="sm", color="secondary", outline=True),
            dcc.Download(id={"type": "download-file", "table": name}),
        ], className="mb-2"),
        grid,
    ], className="mb-4")


def filter_dropdown(name: str, label_key: str, options: list, value, lang: str) -> dbc.Col:
    """A filter whose value is written to the URL query under ``name``."""
    return dbc.Col([
        dbc.Label(t(label_key, lang), className="small mb-0"),
        dcc.Dropdown(id={"type": "filter", "name": name}, options=options, value=value,
                     placeholder=t("all", lang), clearable=True),
    ], md=3, lg=True, className="mb-2")
