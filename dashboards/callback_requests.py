"""The JSON bodies the browser posts to /_dash-update-component, for clients that are not a browser
(the load test, the benchmark, tests of forged requests)."""
from __future__ import annotations


def router_body(page: str) -> dict:
    """Dash's page router: render the page of a URL (path and query)."""
    path, _, search = page.partition("?")
    return {"output": ".._pages_content.children..._pages_store.data..",
            "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
            "inputs": [{"id": "_pages_location", "property": "pathname", "value": path},
                       {"id": "_pages_location", "property": "search", "value": "?" + search if search else ""}],
            "changedPropIds": ["_pages_location.pathname"], "state": []}


def download_body(table: str, search: str = "", fmt: str = "csv") -> dict:
    """The download button of a table, on the page whose URL query is ``search``."""
    trigger = {"type": "download", "table": table, "fmt": fmt}
    return {"output": '{"table":["MATCH"],"type":"download-file"}.data',
            "outputs": {"id": {"type": "download-file", "table": table}, "property": "data"},
            "inputs": [[{"id": trigger, "property": "n_clicks", "value": 1}]],
            "state": [{"id": "url", "property": "search", "value": search}],
            "changedPropIds": ['{"fmt":"%s","table":"%s","type":"download"}.n_clicks' % (fmt, table)]}
