"""The dashboard's callbacks, attached to each app that create_app() builds (Dash's global @callback
list is consumed by the first app only, and tests build several)."""
from __future__ import annotations

import dash
from dash import ALL, MATCH, Input, Output, State, ctx
from dash.exceptions import PreventUpdate
from flask import Response, abort

from dashboards import access, data, uploads
from dashboards.components import href, options_matching, parse_query
from dashboards.grid_model import BadGridRequest, Window
from dashboards.i18n import lang_of, t
from dashboards.tables import COLUMNS, TABLES, rows


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

    @app.callback(Output("url", "search", allow_duplicate=True),
                  Input("grid-tasks", "cellClicked"),
                  State("url", "search"),
                  prevent_initial_call=True)
    def open_task(clicked, search):
        if not clicked or not clicked.get("rowId"):
            raise PreventUpdate
        return href("", parse_query(search), task=clicked["rowId"])


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
            block, total = rows(name, query, Window.from_request(request, COLUMNS[name]))
        except BadGridRequest as bad:
            abort(Response(str(bad), 400, mimetype="text/plain"))
        return {"rowData": block, "rowCount": total}, t("rows", lang_of(query), n=total)
