"""The dashboard's callbacks, attached to each app that create_app() builds (Dash's global @callback
list is consumed by the first app only, and tests build several)."""
from __future__ import annotations

import dash
from dash import ALL, MATCH, Input, Output, State, ctx
from dash.exceptions import PreventUpdate
from flask import Response, abort

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboards import access, auth, data, formats, uploads
from pipelines.accounts import AccountError, check_place
from pipelines.config import data_paths
from dashboards.components import href, options_matching, parse_query
from dashboards.grid_model import BadGridRequest, Window
from dashboards.i18n import lang_of, t
from dashboards.tables import COLUMNS, HIDDEN, TABLES, rows


def register(app: dash.Dash) -> None:
    """Controls rewrite the URL (the page then renders from it); grids fetch their rows."""
    @app.callback(Output("url", "search", allow_duplicate=True),
                  Input({"type": "filter", "name": ALL}, "value"),
                  Input({"type": "filter-search", "name": ALL}, "value"),
                  State("url", "search"),
                  prevent_initial_call=True)
    def filters_to_url(values, searched_values, search):
        query = parse_query(search)
        chosen = {spec["id"]["name"]: ("1" if value else None) if isinstance(value, list) else value
                  for specs, given in zip(ctx.inputs_list, (values, searched_values))
                  for spec, value in zip(specs, given)}  # a checklist is on or off
        if all(query.get(name) == value for name, value in chosen.items()):
            raise PreventUpdate  # the page was just rendered from this URL
        query.update(chosen)
        query.pop("task", None)  # a new selection closes the detail of a task that may not be in it
        return href("", query)

    for name in TABLES:
        _serve_grid_rows(app, name)

    # The phone's menu: the toggler opens and closes it (in the browser, no round trip).
    app.clientside_callback("function(n, open) { return n ? !open : open; }",
                            Output("nav-collapse", "is_open"), Input("nav-toggler", "n_clicks"),
                            State("nav-collapse", "is_open"), prevent_initial_call=True)

    for dimension in ("plan", "region"):
        _open_bar(app, dimension)
    _manage_accounts(app)

    @app.callback(Output("url", "href", allow_duplicate=True),
                  Input("region-map", "clickData"),
                  State("region-map", "figure"),
                  State("url", "search"),
                  prevent_initial_call=True)
    def open_region(clicked, figure, search):
        """A click on a region of the map opens its tasks."""
        try:
            region = figure["data"][clicked["points"][0]["curveNumber"]]["name"]
        except (TypeError, KeyError, IndexError):
            raise PreventUpdate
        return href("/tasks", {"lang": parse_query(search).get("lang")}, region=region)

    @app.callback(Output({"type": "filter-search", "name": MATCH}, "options"),
                  Input({"type": "filter-search", "name": MATCH}, "search_value"),
                  State({"type": "filter-search", "name": MATCH}, "value"),
                  State("url", "pathname"),
                  prevent_initial_call=True)
    def search_filter_options(text, value, path):
        if not text or not access.may_see_page(path):
            raise PreventUpdate
        return options_matching(path, ctx.triggered_id["name"], text, value)

    @app.callback(Output("upload-result", "children"),
                  Input("upload", "contents"),
                  State("upload", "filename"),
                  State("url", "search"),
                  prevent_initial_call=True)
    def upload_report(contents, filename, search):
        if not contents or not access.may_see_page("/my"):
            raise PreventUpdate
        return uploads.receive(contents, filename, lang_of(parse_query(search)))

    for grid in ("grid-tasks", "grid-my_tasks"):  # a leader's task list, a unit's own
        _open_task(app, grid)

    @app.callback(Output("url", "href", allow_duplicate=True),
                  Input("grid-units", "cellClicked"),
                  State("url", "search"),
                  prevent_initial_call=True)
    def open_unit(clicked, search):
        """A unit's row (click, or Enter on it) opens its tasks."""
        try:
            region, unit = clicked["rowId"].split("\t", 1)
        except (TypeError, KeyError, AttributeError, ValueError):
            raise PreventUpdate
        return href("/tasks", {"lang": parse_query(search).get("lang")}, region=region, unit=unit)


def _open_task(app: dash.Dash, grid: str) -> None:
    """A task's row (click, or Enter on it) opens its detail on the same page."""
    @app.callback(Output("url", "search", allow_duplicate=True),
                  Input(grid, "cellClicked"),
                  State("url", "search"),
                  prevent_initial_call=True)
    def open_task(clicked, search):
        if not clicked or not clicked.get("rowId"):
            raise PreventUpdate
        return href("", parse_query(search), task=clicked["rowId"])


def _manage_accounts(app: dash.Dash) -> None:
    """The administrators' account changes: add, disable, reset; each made and audited by the account store
    with the administrator as the actor. The role is checked here, on the server, for every change."""
    @app.callback(Output("account-result", "children"),
                  Input("account-add", "n_clicks"), Input("account-disable", "n_clicks"),
                  Input("account-reset", "n_clicks"),
                  State("account-username", "value"), State("account-role", "value"),
                  State("account-region", "value"), State("account-unit", "value"),
                  State("account-target", "value"), State("url", "search"),
                  prevent_initial_call=True)
    def change_account(_add, _disable, _reset, username, role, region, unit, target, search):
        acc = access.account()
        if acc is None or acc.role != "admin" or not access.may_see_page("/accounts"):
            raise PreventUpdate
        lang = lang_of(parse_query(search))
        action = ctx.triggered_id
        name = ((username if action == "account-add" else target) or "").strip()
        if not name:
            return dbc.Alert(t("account_name_needed", lang), color="warning")
        store, actor = auth.store(), f"web:{acc.username}"
        try:
            if action == "account-add":
                unit = (unit or "").strip() or None
                check_place(data_paths().reference, role, region, unit)
                shown = [t("account_added", lang, u=name), html.Code(store.add(name, role, region, unit, actor=actor),
                                                                      id="account-password", className="ms-2 fs-5")]
            elif action == "account-disable":
                store.disable(name, actor=actor)
                shown = [t("account_disabled", lang, u=name)]
            else:
                shown = [t("account_reset_done", lang, u=name),
                         html.Code(store.reset(name, actor=actor), id="account-password", className="ms-2 fs-5")]
        except AccountError as exc:
            return dbc.Alert(str(exc), color="danger", id="account-error")
        # the list below shows the change once the page is opened again (the link keeps the password here)
        refresh = dcc.Link(t("account_list_refresh", lang), href=href("/accounts", parse_query(search)),
                           refresh=True, className="ms-3 small")
        return dbc.Alert([*shown, refresh], color="success", id="account-done")


def _open_bar(app: dash.Dash, dimension: str) -> None:
    """A click on a bar of the overview's completion chart opens the tasks of that plan or region, by its
    key (the bar's last customdata: a plan_id, not the title it is labelled with)."""
    @app.callback(Output("url", "href", allow_duplicate=True),
                  Input(f"completion-by-{dimension}", "clickData"),
                  State("url", "search"),
                  prevent_initial_call=True)
    def open_bar(clicked, search):
        try:
            value = clicked["points"][0]["customdata"][-1]
        except (TypeError, KeyError, IndexError):
            raise PreventUpdate
        return href("/tasks", {"lang": parse_query(search).get("lang")}, **{dimension: value})


def _serve_grid_rows(app: dash.Dash, name: str) -> None:
    """The block of rows the grid of table ``name`` asks for (as it is shown, scrolled, sorted or
    filtered), over the view of the page's URL, and the view's row count above the grid."""
    @app.callback(Output(f"grid-{name}", "getRowsResponse"),
                  Output(f"count-{name}", "children"),
                  Input(f"grid-{name}", "getRowsRequest"),
                  State("url", "search"),
                  prevent_initial_call=True)
    def grid_rows(request, search):
        if not request or not access.may_see_table(name):  # a forged request for a table the role may not see
            raise PreventUpdate
        data.pin_snapshot((request.get("context") or {}).get("snapshot"))
        query = parse_query(search)
        try:  # a forged or broken request: 400 and why, never a 500
            # only the columns on screen may sort or filter: hidden ones (ids, codes) are not the reader's
            block, total = rows(name, query, Window.from_request(request, [c for c in COLUMNS[name] if c not in HIDDEN]))
        except BadGridRequest as bad:
            abort(Response(str(bad), 400, mimetype="text/plain"))
        return {"rowData": block, "rowCount": total}, t("rows", lang_of(query), n=formats.number(total))
