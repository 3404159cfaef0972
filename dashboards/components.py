"""The pieces every page is built from, and the callbacks they share.

A page is a pure function of its URL: filters, the selected task and the language live in the query
string, so a link reproduces a view. Controls only rewrite the URL; the page then renders from it.
"""
from __future__ import annotations

import functools
from typing import Callable
from urllib.parse import parse_qsl, urlencode

import dash_ag_grid as dag
import pandas as pd
import dash_bootstrap_components as dbc
from dash import dcc, html
from dash.development.base_component import Component

from dashboards import access, data, formats, thresholds
from dashboards.downloads import FORMATS, download_href, file_name
from dashboards.i18n import GRID_LOCALE_ZH, STATUS_COLOR, column, lang_of, t
from dashboards.grid_model import BLOCK_ROWS
from dashboards.tables import COLUMNS, GRID_NUMBERS, HIDDEN, TOOLTIPS

PAGES = (("/", "overview"), ("/tasks", "tasks_page"), ("/targets", "targets_page"), ("/units", "units_page"),
         ("/review", "review_page"), ("/quality", "quality_page"), ("/my", "my_page"), ("/audit", "audit_page"), ("/accounts", "accounts_page"))
PAGE_SIZE = 20


def parse_query(search: str | None) -> dict:
    return dict(parse_qsl((search or "").lstrip("?")))


def href(path: str, query: dict, **changes) -> str:
    merged = {k: v for k, v in {**query, **changes}.items() if v not in (None, "", [])}
    return path + ("?" + urlencode(merged) if merged else "")


def _navbar(path: str, query: dict, lang: str) -> dbc.Navbar:
    """The menu; below Bootstrap's lg breakpoint (a phone) it folds behind a toggler (callbacks.py opens it)."""
    keep = {"lang": query.get("lang")}
    acc = access.account()
    links = [dbc.NavItem(dbc.NavLink(t(key, lang), href=href(p, keep), active=p == path, id=f"nav-{key}"))
             for p, key in PAGES if acc is not None and p in access.pages_for(acc.role)]
    toggle = dcc.Link(t("switch_lang", lang), href=href(path, query, lang=None if lang == "en" else "en"),
                      id="lang-toggle", className="btn btn-outline-light btn-sm ms-lg-3 my-1")
    who = html.Span(f"{acc.label}（{t('role_' + acc.role, lang)}）" if acc else "", id="who",
                    className="text-white small ms-lg-3 my-1 d-inline-block")
    return dbc.Navbar(dbc.Container([
        dbc.NavbarBrand(t("title", lang), href=href(access.HOME.get(acc.role, "/") if acc else "/", keep),
                        className="text-wrap"),
        dbc.NavbarToggler(id="nav-toggler", n_clicks=0),
        dbc.Collapse([
            dbc.Nav(links, navbar=True, className="me-auto"),
            html.Div([toggle, who,
                      html.A(t("logout", lang), href="/logout", id="logout",
                             className="btn btn-outline-light btn-sm ms-3 my-1")],
                     className="d-flex flex-wrap align-items-center"),
        ], id="nav-collapse", is_open=False, navbar=True),
    ], fluid=True), color="success", dark=True, expand="lg", className="mb-3 plankpi-nav")


def refusal(path: str, query: dict) -> html.Div:
    return html.Div([_navbar(path, query, lang_of(query)),
                     dbc.Alert(t("forbidden", lang_of(query)), color="danger", id="forbidden")])


def guarded(path: str):
    """A page layout that renders nothing (not even its queries run) for a role that may not see it,
    and only the frame (which says so) while no snapshot is published. The page goes out as plain JSON
    data (as_json_data)."""
    def wrap(layout):
        @functools.wraps(layout)
        def checked(**query):
            if not access.may_see_page(path):
                return as_json_data(refusal(path, query))
            return as_json_data(layout(**query) if data.snapshot_info() is not None else frame(path, query))
        return checked
    return wrap


_NOT_PROPS = frozenset(("_prop_names", "_valid_wildcard_attributes", "available_properties",
                        "available_wildcard_properties"))
# plain data, never components (a figure, a store, AG Grid's rows and options): not walked
_DATA_PROPS = frozenset(("figure", "rowData", "data", "columnDefs", "defaultColDef", "dashGridOptions"))


def as_json_data(value):
    """A component tree as the plain dicts and lists Dash sends for it (each component's
    ``to_plotly_json``: its type, namespace and the props set on it), the same JSON. Why: Dash hands a
    tree of components to orjson, which refuses the first component, and then plotly walks the whole
    tree value by value (clean_to_json_compatible) — ≈ 60 µs a component, 15–25 ms a page of 300; plain
    data is dumped by orjson in one pass."""
    if isinstance(value, Component):
        found = value.__dict__
        wildcards = value._valid_wildcard_attributes  # data-*, aria-*
        props = {k: v if k in _DATA_PROPS else as_json_data(v) for k, v in found.items()
                 if k not in _NOT_PROPS and (k in value._prop_names or any(k.startswith(w) for w in wildcards))}
        return {"props": props, "type": value._type, "namespace": value._namespace}
    if isinstance(value, (list, tuple)):
        return [as_json_data(v) for v in value]
    if isinstance(value, dict):
        return {k: as_json_data(v) for k, v in value.items()}
    return value


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
            html.Span(f"{t('as_of', lang)}{colon(lang)}{formats.day(h['as_of'], lang)}", id="as-of", className="me-4"),
            html.Span(f"{t('snapshot', lang)}{colon(lang)}{formats.moment(info.published_at, lang)}"
                      f"{t('beijing_time', lang)}", id="snapshot-time", className="me-4", title=f"{t('run', lang)} {info.run_id}"),
            _freshness(h, lang),
        ], className="text-muted small mb-3"),
        *children,
    ], lang="en" if lang == "en" else "zh-CN")


def colon(lang: str) -> str:
    return ": " if lang == "en" else "："


def _freshness(h: dict, lang: str) -> html.Span:
    """How old the newest data is (mart_headline.newest_data_date), a warning past two months."""
    newest = h.get("newest_data_date")
    if newest is None or newest != newest:
        return html.Span(t("freshness_none", lang), id="freshness", className="text-danger fw-bold")
    text = t("freshness", lang, date=str(newest)[:10], days=int(h["data_age_days"]))
    if h["data_stale"]:
        return html.Span(f"⚠ {text}{t('freshness_stale', lang)}", id="freshness", className="text-danger fw-bold")
    return html.Span(text, id="freshness")


def pct(x) -> str:
    return formats.percent(x)


def list_link(children: list, link: str, class_name: str) -> dcc.Link:
    """One row of a short list (the overview's lists, /tasks' phone cards): the row is a link (opened in the
    page, as dbc.ListGroupItem's href was) with Bootstrap's list-group classes on plain elements — dbc
    components cost several times an html one to build, and a list of ten rows was 40–60 of them."""
    return dcc.Link(children, href=link, className=f"list-group-item list-group-item-action {class_name}")


def card(label: str, value: str, test_id: str, level: str | None = "none", link: str | None = None,
         lang: str = "zh", note: str | None = None) -> dbc.Col:
    """A headline figure; with a ``level`` (thresholds.py) in its colour and its word, with ``link`` a way
    into the list behind it."""
    judged = level != "none"
    body = [html.Div(label, className="small card-label"),
            html.Div(value, className="fs-4 fw-bold", id=test_id),
            html.Div(thresholds.word(level, lang) + (f" · {note}" if note else ""), className="small",
                     id=f"{test_id}-level") if judged else (html.Div(note, className="small text-muted") if note else None)]
    look = (level or "nodata") if judged else "plain"
    inner = dbc.Card(dbc.CardBody(body), className=f"h-100 kpi-card kpi-{look}")
    content = dcc.Link(inner, href=link, className="text-decoration-none kpi-link", id=f"{test_id}-link") if link else inner
    return dbc.Col(content, lg=True, md=3, xs=6, className="mb-2")


# How a column looks beyond its words: a status in colour *and* words, so it reads in grey-scale
# (Bootstrap's text-bg-* classes, chosen in the browser from the row's status code).
TASK_STATUS_COLOR = {"overdue": "danger", "completed_late": "warning", "completed_on_time": "success",
                     "not_due": "light", "ongoing": "info", "awaiting_review": "primary"}
# The same colours where a chart draws them (Bootstrap 5's; "light" a shade darker, to show on white).
BOOTSTRAP_HEX = {"danger": "#dc3545", "warning": "#ffc107", "success": "#198754", "light": "#ced4da",
                 "info": "#0dcaf0", "primary": "#0d6efd", "secondary": "#6c757d"}


def _status_rules(codes: dict[str, str], field: str) -> dict:
    return {"cellClassRules": {f"text-bg-{color}": f"params.data && params.data.{field} === '{code}'"
                               for code, color in codes.items()}}


COLUMN_LOOKS = {("targets", "status"): _status_rules(STATUS_COLOR, "status_code"),
                ("tasks", "status"): _status_rules(TASK_STATUS_COLOR, "status_code")}
# Long text: wrapped in rows three lines tall; the task's title pinned on the left.
WIDE = {"title": 280, "task": 200, "lead_units": 180, "source": 190, "target": 180, "kpi_name_zh": 170,
        "reason_zh": 260, "reason_en": 260, "message": 260, "detail": 260, "original": 220, "expectation": 220,
        "name": 240, "plan_title": 220, "sample_unexpected": 200, "observed_value": 160, "file": 220,
        "file_name": 200, "acted_on": 180, "unit": 180, "narrative": 240, "category": 180}
NARROW = {"no": 70, "year": 80, "seq": 70, "row_number": 80, "days_overdue": 115, "domain": 80, "region": 100,
          "due_date": 140, "due_basis": 150, "latest_period": 120, "at": 170, "quarantined_at": 170,
          "validated_at": 170, "received_at": 170}


def column_def(table: str, name: str, lang: str) -> dict:
    """One grid column: its header, width (a minimum, growing into the free width), wrapping, tooltip,
    and hidden when it is an id, a file reference or a code (the download keeps it)."""
    spec = {"field": name, "headerName": column(name, lang), **COLUMN_LOOKS.get((table, name), {})}
    if name in HIDDEN:
        return {**spec, "hide": True}
    if name in WIDE:
        spec.update(minWidth=WIDE[name], flex=2, wrapText=True)
    else:
        spec.update(minWidth=NARROW.get(name, 110), flex=1)
    if name == "title":
        spec.update(pinned="left", flex=None, width=300)
    if name in TOOLTIPS:
        spec["tooltipField"] = TOOLTIPS[name]
    kind = GRID_NUMBERS.get(table, {}).get(name)
    if kind:
        spec.update(valueFormatter={"function": formats.GRID_FORMATTERS[kind]}, filter="agNumberColumnFilter",
                    type="rightAligned")
    return spec


def table_block(name: str, query: dict, row_id: str | None = None, height: int = 560,
                row_id_js: str | None = None) -> html.Div:
    """A grid of TABLES[name] with its row count and CSV / Excel downloads. The page carries its columns
    only: the grid fetches the rows it shows, a block at a time, sorted and filtered over the whole view
    (callbacks.grid_rows), which also writes the count. The downloads are links to the same view."""
    lang = lang_of(query)
    grid = dag.AgGrid(
        id=f"grid-{name}",
        rowModelType="infinite",
        columnDefs=[column_def(name, c, lang) for c in COLUMNS[name]],
        defaultColDef={"sortable": True, "resizable": True, "filter": True, "minWidth": 90,
                       "cellStyle": {"lineHeight": "1.4", "paddingTop": "6px", "paddingBottom": "6px"}},
        dashGridOptions={"pagination": True, "paginationPageSize": PAGE_SIZE, "cacheBlockSize": BLOCK_ROWS,
                         "maxBlocksInCache": 20, "animateRows": False, "enableCellTextSelection": True,
                         # every column in the page (a dozen at most): the browser's find (Ctrl+F) and screen
                         # readers reach a column scrolled out of sight, as they reach the rows of the block
                         "suppressColumnVirtualisation": True,
                         "tooltipShowDelay": 300, "suppressRowHoverHighlight": False,
                         # three lines of wrapped text (the infinite row model has no auto height); the whole
                         # text is the cell's tooltip
                         "rowHeight": 64,
                         "context": {"snapshot": data.snapshot_info().name},  # its blocks come from it too
                         **({} if lang == "en" else {"localeText": GRID_LOCALE_ZH})},
        getRowId=row_id_js or (f"params.data.{row_id}" if row_id else None),
        style={"height": f"{height}px"},
    )
    return html.Div([
        html.Div([
            html.Span("…", id=f"count-{name}", className="me-3 text-muted"),
            *[dbc.Button(t(f"download_{fmt}", lang), id=f"download-{name}-{fmt}", href=download_href(name, fmt, query),
                         download=file_name(name, fmt), external_link=True, size="sm", color="secondary",
                         outline=True, className="me-2") for fmt in FORMATS],
        ], className="mb-2"),
        grid,
    ], className="mb-4")


def rows_grid(grid_id: str, df: pd.DataFrame, lang: str) -> html.Div | dag.AgGrid:
    """A page's short list (a task's report history: tens of rows) as a grid holding its rows as data, all
    shown (the page grows with them), sortable, long text wrapped: one component, where a table of cells
    was one per cell (24 reports × 8 columns ≈ 220 components to build and serialise, ≈ 10 ms a page)."""
    if df.empty:
        return html.Div(t("none", lang), className="text-muted small mb-2", id=grid_id)
    columns = list(df.columns)
    defs = [column_def("", c, lang) for c in columns]
    for spec in defs:
        if spec.get("wrapText"):
            spec["autoHeight"] = True
    rows = [dict(zip(columns, ("" if v is None or v != v else str(v) for v in row)))
            for row in df.itertuples(index=False)]
    return dag.AgGrid(id=grid_id, rowData=rows, columnDefs=defs,
                      defaultColDef={"sortable": True, "resizable": True, "minWidth": 90,
                                     "cellStyle": {"lineHeight": "1.4", "paddingTop": "4px", "paddingBottom": "4px"}},
                      dashGridOptions={"domLayout": "autoHeight", "animateRows": False, "enableCellTextSelection": True,
                                       "suppressColumnVirtualisation": True,
                                       **({} if lang == "en" else {"localeText": GRID_LOCALE_ZH})},
                      className="mb-2")


# A dropdown of more values than this (a province's 7,200 plans, 2,000 regions) ships the chosen value and
# the first of them; the rest are found as the reader types (callbacks.search_filter_options). The
# whole list in every page was 1 MB of JSON on /tasks.
OPTIONS_INLINE = 100
_option_sources: dict[tuple[str, str], Callable[[], tuple[str, dict]]] = {}


def filter_dropdown(name: str, label_key: str, options: list, value, lang: str) -> dbc.Col:
    """A filter whose value is written to the URL query under ``name``."""
    return _filter_col(label_key, lang, dcc.Dropdown(id={"type": "filter", "name": name}, options=options,
                                                     value=value, placeholder=t("all", lang), clearable=True))


def searched_options(path: str, name: str, source: Callable[[], tuple[str, dict]]) -> None:
    """Registers, when a page module is imported (so every worker knows it), where the values of the
    filter ``name`` on ``path`` come from: a function giving the query of their ``value`` (data.py)."""
    _option_sources[(path, name)] = source


def searched_dropdown(path: str, name: str, label_key: str, value, lang: str,
                      listed: tuple[list[dict], int] | None = None) -> dbc.Col:
    """A filter over many values (registered by searched_options): the page carries the chosen one and
    the first OPTIONS_INLINE others — ``listed`` when the page has read them already (with its other
    filters', in one query: data.task_filter_options), else read here."""
    options, total = listed or data.listed_options(_option_sources[(path, name)](), value, limit=OPTIONS_INLINE)
    placeholder = t("all", lang) if total <= OPTIONS_INLINE else t("type_to_search", lang, n=total)
    return _filter_col(label_key, lang, dcc.Dropdown(id={"type": "filter-search", "name": name},
                                                     options=options, value=value,
                                                     placeholder=placeholder, clearable=True))


def options_matching(path: str, name: str, text: str, value) -> list[dict]:
    """The chosen option and the first OPTIONS_INLINE others whose label holds ``text`` (any case); none
    for a filter no page lists. A value is a key (a plan_id, a unit's 地区/单位), its label what is read."""
    if (path, name) not in _option_sources:
        return []
    return data.listed_options(_option_sources[(path, name)](), value, text, OPTIONS_INLINE)[0]


def _filter_col(label_key: str, lang: str, dropdown: dcc.Dropdown) -> dbc.Col:
    return dbc.Col([dbc.Label(t(label_key, lang), className="small mb-0"), dropdown], xs=6, md=3, lg=True,
                   className="mb-2")  # two a row on a phone
