"""The dashboard's callbacks, attached to each app that create_app() builds (Dash's global @callback
list is consumed by the first app only, and tests build several)."""
from __future__ import annotations

import io

import dash
from dash import ALL, MATCH, Input, Output, State, ctx, dcc
from dash.exceptions import PreventUpdate

from dashboards import access, data, uploads
from dashboards.components import href, parse_query
from dashboards.i18n import lang_of
from dashboards.tables import TABLES, labelled


def register(app: dash.Dash) -> None:
    """Controls rewrite the URL (the page then renders from it); downloads rebuild the table on screen."""
    @app.callback(Output("url", "search", allow_duplicate=True),
                  Input({"type": "filter", "name": ALL}, "value"),
                  State("url", "search"),
                  prevent_initial_call=True)
    def filters_to_url(values, search):
        query = parse_query(search)
        chosen = {spec["id"]["name"]: ("1" if value else None) if isinstance(value, list) else value
                  for spec, value in zip(ctx.inputs_list[0], values)}  # a checklist is on or off
        if all(query.get(name) == value for name, value in chosen.items()):
            raise PreventUpdate  # the page was just rendered from this URL
        query.update(chosen)
        query.pop("task", None)  # a new selection closes the detail of a task that may not be in it
        return href("", query)

    @app.callback(Output({"type": "download-file", "table": MATCH}, "data"),
                  Input({"type": "download", "table": MATCH, "fmt": ALL}, "n_clicks"),
                  State("url", "search"),
                  prevent_initial_call=True)
    def download_table(clicks, search):
        if not any(clicks or []):
            raise PreventUpdate
        name, fmt = ctx.triggered_id["table"], ctx.triggered_id["fmt"]
        if not access.may_see_table(name):  # a forged request for a table the role may not see
            raise PreventUpdate
        query = parse_query(search)
        df = labelled(TABLES[name](query), lang_of(query))
        stem = f"plankpi_{name}_{data.headline()['as_of'].strftime('%Y-%m-%d')}"
        if fmt == "csv":  # with a BOM: Excel opens UTF-8 Chinese correctly only then
            return dict(content="\ufeff" + df.to_csv(index=False), filename=f"{stem}.csv")
        buf = io.BytesIO()
        df.to_excel(buf, index=False, sheet_name=name)
        return dcc.send_bytes(buf.getvalue(), f"{stem}.xlsx")

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
