"""The JSON bodies the browser posts to /_dash-update-component, for clients that are not a browser
(the load test, the benchmark, tests of forged requests), and the CSRF token such a client sends as a
browser does: the login form's hidden field, then the `_csrf_token` cookie's value in the X-CSRFToken
header of every callback (dashboards/auth.py)."""
from __future__ import annotations

import re

_CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def login_form_token(login_page: str) -> str:
    """The CSRF token of a rendered login page."""
    found = _CSRF_FIELD.search(login_page)
    if not found:
        raise ValueError("登录页没有安全令牌 / the login page carries no CSRF token")
    return found.group(1)


def signed_in_client(server, username: str, password: str, **client_options):
    """Flask's test client of ``server``, signed in through the login form (its CSRF token included); its
    callbacks then carry the session's token as Dash's renderer sends it. The login's response is kept
    on it as ``login_response``."""
    client = server.test_client(**client_options)
    token = login_form_token(client.get("/login").get_data(as_text=True))
    client.login_response = client.post("/login", data={"username": username, "password": password,
                                                        "csrf_token": token})
    cookie = client.get_cookie("_csrf_token")
    if cookie is not None:
        client.environ_base["HTTP_X_CSRFTOKEN"] = cookie.value
    return client


def router_body(page: str) -> dict:
    """Dash's page router: render the page of a URL (path and query)."""
    path, _, search = page.partition("?")
    return {"output": ".._pages_content.children..._pages_store.data..",
            "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
            "inputs": [{"id": "_pages_location", "property": "pathname", "value": path},
                       {"id": "_pages_location", "property": "search", "value": "?" + search if search else ""}],
            "changedPropIds": ["_pages_location.pathname"], "state": []}


def grid_rows_body(table: str, search: str = "", start: int = 0, end: int = 100,
                   sort: list | None = None, filters: dict | None = None, snapshot: str | None = None) -> dict:
    """A grid asking for a block of its rows (AG Grid's infinite row model), on the page whose URL query
    is ``search``, rendered from ``snapshot`` (the grid's context)."""
    request = {"startRow": start, "endRow": end, "sortModel": sort or [], "filterModel": filters or {},
               "context": {"snapshot": snapshot}}
    return {"output": f"..grid-{table}.getRowsResponse...count-{table}.children..",
            "outputs": [{"id": f"grid-{table}", "property": "getRowsResponse"},
                        {"id": f"count-{table}", "property": "children"}],
            "inputs": [{"id": f"grid-{table}", "property": "getRowsRequest", "value": request}],
            "state": [{"id": "url", "property": "search", "value": search}],
            "changedPropIds": [f"grid-{table}.getRowsRequest"]}


_GRID_ID = re.compile(r'"id":\s*"grid-([a-z_]+)"')
_GRID_SNAPSHOT = re.compile(r'"context":\s*\{"snapshot":\s*"([^"]+)"')


def page_search(body: dict) -> str | None:
    """The URL query of a page-router request (None for any other callback)."""
    outputs = body.get("outputs")
    if not isinstance(outputs, list) or outputs[0].get("id") != "_pages_content":
        return None
    return body["inputs"][1]["value"]


def first_blocks(search: str, rendered: str) -> list[dict]:
    """The requests the grids of a rendered page make as they appear: the first block of each."""
    snapshot = _GRID_SNAPSHOT.search(rendered)
    return [grid_rows_body(name, search, snapshot=snapshot.group(1) if snapshot else None)
            for name in dict.fromkeys(_GRID_ID.findall(rendered))]
