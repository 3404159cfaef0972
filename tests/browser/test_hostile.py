"""Issue 25, a hostile afternoon: each finding of the probe, reproduced as it was found (forged requests
through Flask's client, a browser on another origin as the attacker) against the default data."""
from __future__ import annotations

import csv
import io
import threading
from http.server import HTTPServer, SimpleHTTPRequestHandler

import pytest

from dashboards.callback_requests import grid_rows_body, login_form_token, router_body, signed_in_client
from dashboards.grid_model import MAX_BLOCK_ROWS
from pipelines.accounts import FREE_PER_PAIR, store_for
from tests.browser.conftest import login, login_client, passwords_for, start
from tests.conftest import world_after_a_good_run

pytestmark = pytest.mark.browser


@pytest.fixture
def fresh(world, tmp_path):
    """A copy of the world's data folder (its own accounts and audit log) and its test passwords."""
    paths, _ = world_after_a_good_run(world, tmp_path / "data")
    return paths, passwords_for(paths.root)


def _post_login(client, username, password, address):
    token = login_form_token(client.get("/login", environ_base={"REMOTE_ADDR": address}).get_data(as_text=True))
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token},
                       environ_base={"REMOTE_ADDR": address})


def test_a_stranger_cannot_lock_a_unit_out(fresh, app_for):
    """Was: 6 × POST /login with the victim's name locked the account for 15 min, the right password too."""
    paths, pw = fresh
    app = app_for(paths.root)
    stranger = app.server.test_client()
    answers = [_post_login(stranger, "yq_sthjj", "guess", "203.0.113.9") for _ in range(FREE_PER_PAIR + 3)]
    assert {a.status_code for a in answers} == {401}
    assert "too many attempts" in answers[-1].get_data(as_text=True)  # the stranger is slowed down
    victim = app.server.test_client()
    assert _post_login(victim, "yq_sthjj", pw["yq_sthjj"], "10.0.0.7").status_code == 302
    assert victim.get("/my", environ_base={"REMOTE_ADDR": "10.0.0.7"}).status_code == 200


def test_a_flood_of_failed_logins_hides_no_upload_from_any_audit_view(fresh, app_for):
    """Was: 1,000 failed logins under a unit's name emptied its "我的上传" and hid every upload record from
    /audit and audit_log.csv (the latest 1,000 rows, filtered after the limit)."""
    paths, pw = fresh
    store = store_for(paths.root)
    store.audit("yq_sthjj", "upload", "阳泉生态环境局_2024-06.xlsx", "rows 3", "ab" * 32)
    app = app_for(paths.root)
    unit = signed_in_client(app.server, "yq_sthjj", pw["yq_sthjj"])  # at work before the flood
    attacker = app.server.test_client()
    token = login_form_token(attacker.get("/login").get_data(as_text=True))
    for i in range(1000):
        attacker.post("/login", data={"username": "yq_sthjj", "password": f"guess{i}", "csrf_token": token},
                      environ_base={"REMOTE_ADDR": f"203.0.113.{i % 4}"})
    log = store.audit_log()
    failed = [e for e in log if e["action"] == "login_failed"]
    assert len([e for e in failed if e["actor"] == "yq_sthjj"]) == 10  # counted (1st … 512th), not a row each
    assert len(failed) <= 10 + 4 * 8  # and each of the 4 addresses' 250 the same way
    # (from 4 addresses the name may have locked, as a spread guessing attack: a session at work goes on)
    mine = unit.post("/_dash-update-component", json=grid_rows_body("my_uploads")).get_json()
    assert "阳泉生态环境局_2024-06.xlsx" in str(mine["response"]["grid-my_uploads"]["getRowsResponse"]["rowData"])
    auditor = login_client(app, "auditor", pw["auditor"])
    total = len(store.audit_log())
    rows = auditor.post("/_dash-update-component", json=grid_rows_body(
        "audit_log", filters={"action": {"filterType": "text", "type": "equals", "filter": "upload"}})).get_json()
    found = rows["response"]["grid-audit_log"]["getRowsResponse"]
    assert [r["acted_on"] for r in found["rowData"]] == ["阳泉生态环境局_2024-06.xlsx"]
    # the whole log pages through, to its first entry
    whole = auditor.post("/_dash-update-component", json=grid_rows_body("audit_log", start=total - 5, end=total + 95))
    last_block = whole.get_json()["response"]["grid-audit_log"]["getRowsResponse"]
    assert last_block["rowCount"] == total and last_block["rowData"][-1]["seq"] == min(e["seq"] for e in log)
    download = auditor.get("/download/audit_log.csv").get_data().decode("utf-8-sig")
    downloaded = list(csv.reader(io.StringIO(download)))[1:]
    assert len(downloaded) == total and any("阳泉生态环境局_2024-06.xlsx" in r for r in downloaded)


@pytest.mark.parametrize("end", ["logout", "reset", "disable", "role change"])
def test_a_saved_session_cookie_stops_working(fresh, app_for, end):
    """Was: a session cookie still worked after logout and after a password reset (client-side, 8 h)."""
    paths, pw = fresh
    app = app_for(paths.root)
    leader = login_client(app, "leader", pw["leader"])
    saved = leader.get_cookie("session").value
    assert leader.get("/tasks").status_code == 200
    store = store_for(paths.root)
    {"logout": lambda: leader.get("/logout"), "reset": lambda: store.reset("leader"),
     "disable": lambda: store.disable("leader"),
     "role change": lambda: store.change_role("leader", "auditor")}[end]()
    replay = app.server.test_client()
    replay.set_cookie("session", saved)
    assert replay.get("/tasks").status_code == 302  # to the login page
    assert replay.post("/_dash-update-component", json=router_body("/tasks")).status_code == 401


def test_login_and_callbacks_need_the_token_and_our_origin(fresh, app_for):
    """Was: a form on another origin posting to /login signed the browser in (no CSRF token, no Origin check)."""
    paths, pw = fresh
    app = app_for(paths.root)
    client = app.server.test_client()
    form = {"username": "leader", "password": pw["leader"]}
    assert client.post("/login", data=form).status_code == 403  # no token
    token = login_form_token(client.get("/login").get_data(as_text=True))
    assert client.post("/login", data={**form, "csrf_token": "x" + token}).status_code == 403
    assert client.post("/login", data={**form, "csrf_token": token},
                       headers={"Origin": "http://evil.example"}).status_code == 403
    assert client.get("/tasks").status_code == 302  # none of these signed in
    leader = login_client(app, "leader", pw["leader"])
    assert leader.post("/_dash-update-component", json=router_body("/tasks")).status_code == 200
    del leader.environ_base["HTTP_X_CSRFTOKEN"]  # a callback (an upload, account admin) without the token
    assert leader.post("/_dash-update-component", json=router_body("/tasks")).status_code == 403
    forged = leader.post("/_dash-update-component", json=router_body("/tasks"),
                         headers={"Origin": "http://evil.example", "X-CSRFToken": leader.get_cookie("_csrf_token").value})
    assert forged.status_code == 403


@pytest.mark.parametrize("request_, reason", [
    ({"sort": [{"colId": "password_hash", "sort": "asc"}]}, "no such column"),
    ({"sort": [{"colId": "status_code", "sort": "asc"}]}, "no such column"),  # in the view, hidden
    ({"filters": {"nope": {"filterType": "text", "type": "contains", "filter": "x"}}}, "no such column"),
    ({"filters": {"days_overdue": {"filterType": "number", "type": "greaterThan", "filter": "abc"}}}, "needs a number"),
])
def test_bad_grid_input_is_a_400_with_its_reason(world, app_for, passwords, request_, reason):
    """Was: 500s on an unknown or hidden sort/filter column and a non-numeric number filter."""
    auditor = login_client(app_for(world.paths.root), "auditor", passwords["auditor"])
    response = auditor.post("/_dash-update-component", json=grid_rows_body("tasks", **request_))
    assert response.status_code == 400 and reason in response.get_data(as_text=True)


def test_a_huge_end_row_is_a_bounded_block(world, app_for, passwords):
    """Was: endRow=1e30 answered 500."""
    auditor = login_client(app_for(world.paths.root), "auditor", passwords["auditor"])
    body = grid_rows_body("tasks")
    body["inputs"][0]["value"]["endRow"] = 1e30
    response = auditor.post("/_dash-update-component", json=body)
    assert response.status_code == 200
    rows = response.get_json()["response"]["grid-tasks"]["getRowsResponse"]
    assert len(rows["rowData"]) == min(rows["rowCount"], MAX_BLOCK_ROWS)


@pytest.mark.parametrize("pointer", ["x", "", "snapshot-gone.duckdb", None])
def test_a_broken_pointer_falls_back_to_the_newest_kept_snapshot(fresh, app_for, pointer):
    """Was: CURRENT pointing to a missing file gave 500 on downloads, grids and the template; an empty
    CURRENT 500 on every page."""
    paths, pw = fresh
    kept = (paths.serving / "CURRENT").read_text()
    if pointer is None:
        (paths.serving / "CURRENT").unlink()
    else:
        (paths.serving / "CURRENT").write_text(pointer)
    app = app_for(paths.root)
    auditor = login_client(app, "auditor", pw["auditor"])
    quality = auditor.post("/_dash-update-component", json=router_body("/quality")).get_data(as_text=True)
    assert "snapshot-fallback" in quality and kept in quality and "no-snapshot" not in quality
    assert auditor.get("/download/tasks.csv").status_code == 200
    assert auditor.post("/_dash-update-component", json=grid_rows_body("tasks")).status_code == 200
    assert auditor.post("/_dash-update-component", json=router_body("/")).status_code == 200
    unit = login_client(app, "yq_sthjj", pw["yq_sthjj"])
    assert unit.get("/my/template.xlsx").status_code == 200


def test_nothing_published_at_all_is_a_503_not_a_500(fresh, app_for):
    paths, pw = fresh
    for f in paths.serving.iterdir():
        f.unlink()
    auditor = login_client(app_for(paths.root), "auditor", pw["auditor"])
    assert auditor.get("/download/tasks.csv").status_code == 503
    assert auditor.post("/_dash-update-component", json=grid_rows_body("tasks")).status_code == 503
    page = auditor.post("/_dash-update-component", json=router_body("/tasks"))
    assert page.status_code == 200 and "no-snapshot" in page.get_data(as_text=True)


def test_security_headers_and_secure_cookies(fresh, app_for, monkeypatch):
    """Was: no Secure cookie option, no X-Frame-Options, no CSP."""
    paths, pw = fresh
    monkeypatch.setenv("PLANKPI_SECURE_COOKIES", "1")
    app = app_for(paths.root)
    client = app.server.test_client()
    page = client.get("/login")
    assert page.headers["X-Frame-Options"] == "DENY" and page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["Referrer-Policy"] == "same-origin"
    csp = page.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self' 'sha256-" in csp and "unsafe-eval" not in csp
    login = client.post("/login", data={"username": "leader", "password": pw["leader"],
                                        "csrf_token": login_form_token(page.get_data(as_text=True))},
                        base_url="https://localhost")
    cookies = login.headers.getlist("Set-Cookie")
    assert login.status_code == 302 and cookies and all("Secure" in c for c in cookies)


class _AttackerSite:
    """A page on another origin (127.0.0.1 on its own port; the dashboard is on localhost)."""
    def __init__(self, folder, html: str):
        (folder / "index.html").write_text(html, encoding="utf-8")
        handler = lambda *a, **k: SimpleHTTPRequestHandler(*a, directory=str(folder), **k)  # noqa: E731
        self.server = HTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/index.html"

    def close(self):
        self.server.shutdown()


def test_a_page_on_another_origin_cannot_sign_the_browser_in(fresh, app_for, dash_duo, tmp_path):
    """Login CSRF, with a browser as the victim: the attacker's page auto-submits the login form with the
    attacker's account; the browser must not end up signed in as the attacker."""
    paths, pw = fresh
    start(dash_duo, app_for(paths.root))
    site = _AttackerSite(tmp_path, f"""<html><body><form id="f" method="post" action="{dash_duo.server_url}/login">
        <input name="username" value="jc_sthjj"><input name="password" value="{pw['jc_sthjj']}"></form>
        <script>document.getElementById('f').submit()</script></body></html>""")
    try:
        dash_duo.driver.get(site.url)
        dash_duo.wait_for_contains_text("body", "cross-site request refused", timeout=10)
        dash_duo.driver.get(f"{dash_duo.server_url}/my")
        dash_duo.wait_for_element("#username", timeout=10)  # the login page: not signed in
        assert not [e for e in store_for(paths.root).audit_log(action="login") if e["actor"] == "jc_sthjj"]
        login(dash_duo, "jc_sthjj", pw["jc_sthjj"], "#my-unit")  # the real form still works
    finally:
        site.close()


def test_another_origin_cannot_frame_the_dashboard(fresh, app_for, dash_duo, tmp_path):
    paths, pw = fresh
    start(dash_duo, app_for(paths.root))
    site = _AttackerSite(tmp_path, f"""<html><body><p id="outer">outer</p>
        <iframe id="frame" src="{dash_duo.server_url}/login" width="800" height="600"></iframe></body></html>""")
    try:
        dash_duo.driver.get(site.url)
        dash_duo.wait_for_element("#frame", timeout=10)
        dash_duo.driver.switch_to.frame(dash_duo.driver.find_element("id", "frame"))
        assert not dash_duo.driver.find_elements("id", "username")  # the browser refused to show it
        dash_duo.driver.switch_to.default_content()
        dash_duo.driver.get(f"{dash_duo.server_url}/login")  # on its own origin the page shows
        dash_duo.wait_for_element("#username", timeout=10)
    finally:
        site.close()


def test_the_content_security_policy_lets_every_page_run(world, app_for, dash_duo, passwords):
    """The CSP allows only this server's scripts and Dash's inline ones by hash: pages, charts and grids
    still run, and the browser reports no violation."""
    start(dash_duo, app_for(world.paths.root))
    login(dash_duo, "auditor", passwords["auditor"])
    for path, shown in [("/", ".js-plotly-plot"), ("/tasks", ".ag-row"), ("/quality", ".ag-row"),
                        ("/targets", ".ag-row"), ("/audit", ".ag-row")]:
        dash_duo.driver.get(f"{dash_duo.server_url}{path}")
        dash_duo.wait_for_element(shown, timeout=20)
    violations = [e for e in dash_duo.driver.get_log("browser") if "Content Security Policy" in e["message"]]
    assert not violations, violations[:3]
