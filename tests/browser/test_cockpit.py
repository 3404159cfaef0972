"""The cockpit as a reader meets it in headless Chromium on the default data: no id, hash, code or raw
fraction in a visible cell; a card lands on the list behind it with the same count; a bad or out-of-scope
task link says so; a 390-px phone has no horizontal scroll; the map draws one shape per region offline;
the auditors' GX Data Docs load with no request leaving the server."""
import re
import time

import duckdb
import pytest

from pipelines.reference import regions as reference_regions
from pipelines.warehouse.publish import current_snapshot
from tests.browser.conftest import login, open_on_phone, start

pytestmark = pytest.mark.browser

STATUS_CODES = {"met", "missed", "at_risk", "on_track", "no_data", "overdue", "not_due", "ongoing",
                "completed_on_time", "completed_late", "true", "false", "True", "False", "warning", "critical",
                "pass", "fail", "parsed", "rejected"}
TASK_ID = re.compile(r"\bT[0-9a-f]{11}\b")
FILE_HASH = re.compile(r"[0-9a-f]{16}")
RAW_FRACTION = re.compile(r"\d\.\d{4,}")  # 0.4894, −1.5598: a rate or a ratio as the database holds it
PERCENT = re.compile(r"^[-−]?[\d,]+\.\d%$|^—$|^$")  # d3 writes a minus as −
RATE_COLUMNS = ("progress_from_baseline", "lead_completion_rate", "lead_on_time_rate", "reporting_rate")


@pytest.fixture
def app(world, monkeypatch):
    monkeypatch.setenv("PLANKPI_DATA", str(world.paths.root))
    from dashboards.app import create_app
    return create_app()


def _snapshot(world, sql: str, params=None):
    with duckdb.connect(str(current_snapshot(world.paths.serving).path), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def _number(text: str) -> int:
    return int("".join(ch for ch in text.split("/")[0] if ch.isdigit()))


def _wait(condition, timeout: float = 15):
    end = time.time() + timeout
    while time.time() < end:
        try:
            if condition():
                return
        except Exception:  # the page is re-rendering
            pass
        time.sleep(0.25)
    assert condition()


def _rate_cells(dash_duo) -> list[str]:
    return dash_duo.driver.execute_script(
        "return Array.from(document.querySelectorAll('.ag-cell')).filter(c => arguments[0].includes("
        "c.getAttribute('col-id'))).map(c => c.textContent)", list(RATE_COLUMNS))


def _visible_cells(dash_duo) -> list[str]:
    return dash_duo.driver.execute_script(
        "return Array.from(document.querySelectorAll('.ag-center-cols-container .ag-cell, "
        ".ag-pinned-left-cols-container .ag-cell')).filter(c => c.offsetParent !== null).map(c => c.textContent)")


def _external_requests(dash_duo) -> list[str]:
    base = dash_duo.server_url
    return [u for u in dash_duo.driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name).concat([location.href])")
        if not u.startswith(base) and not u.startswith("data:") and not u.startswith("blob:")]


def test_no_visible_cell_shows_an_id_a_hash_a_code_or_a_raw_fraction(world, app, dash_duo, passwords):
    start(dash_duo, app)
    login(dash_duo, "leader", passwords["leader"])
    for path, grid in (("/", "targets"), ("/tasks", "tasks"), ("/tasks?lang=en", "tasks"), ("/units", "units"),
                       ("/targets", "targets")):
        dash_duo.driver.get(dash_duo.server_url + path)
        _wait(lambda: len([c for c in _visible_cells(dash_duo) if c.strip()]) > 10
              and re.search(r"\d", dash_duo.find_element(f"#count-{grid}").text))
        cells = _visible_cells(dash_duo)
        shown = [c for c in cells if c.strip()]
        assert shown, path
        assert not [c for c in shown if TASK_ID.search(c)], path
        assert not [c for c in shown if FILE_HASH.search(c)], path
        assert not [c for c in shown if c.strip() in STATUS_CODES], path
        assert not [c for c in shown if RAW_FRACTION.search(c)], path
        assert not [c for c in _rate_cells(dash_duo) if not PERCENT.match(c.strip())], path
        assert not [c for c in shown if re.match(r"^\d{4}-\d{2}-\d{2}$", c.strip())] or "lang=en" in path, path


def test_each_card_lands_on_the_list_behind_it_with_the_same_count(world, app, dash_duo, passwords):
    start(dash_duo, app)
    login(dash_duo, "jc_leader", passwords["jc_leader"])  # a city's leader: the cards and lists of the city
    overdue, at_risk, missed = _snapshot(world, """select tasks_overdue, targets_at_risk, targets_missed
                                                   from marts.mart_scope_headline where scope = '晋城市'""")[0]
    for card, grid, expected, words in (("kpi-overdue", "tasks", overdue, "status=overdue"),
                                        ("kpi-targets-missed", "targets", missed, "status=missed"),
                                        ("kpi-targets-at-risk", "targets", at_risk, "status=at_risk")):
        dash_duo.driver.get(dash_duo.server_url + "/")
        dash_duo.wait_for_element(f"#{card}-link", timeout=15)
        assert _number(dash_duo.find_element(f"#{card}").text) == expected
        assert dash_duo.find_element(f"#{card}-level").text  # judged in words, not colour only
        dash_duo.find_element(f"#{card}-link").click()
        _wait(lambda: words in dash_duo.driver.current_url)
        # the page behind the card replaces the overview (whose targets grid has a count of its own)
        _wait(lambda: dash_duo.find_element(f"#nav-{'tasks' if grid == 'tasks' else 'targets'}_page.active"))
        _wait(lambda: _number(dash_duo.find_element(f"#count-{grid}").text) == expected)
    # the overdue list is the city's (scoped before the top ten), and says how many there are in all
    dash_duo.driver.get(dash_duo.server_url + "/")
    dash_duo.wait_for_element("#overdue-see-all", timeout=15)
    assert _number(dash_duo.find_element("#overdue-see-all").text) == overdue
    city = {r for (r,) in _snapshot(world, "select region from intermediate.int_region_scopes where scope = '晋城市'")}
    items = dash_duo.find_elements("#overdue-list .overdue-item")
    assert 0 < len(items) <= 10
    hrefs = [i.get_attribute("href") for i in items]
    ids = [re.search(r"task=(T[0-9a-f]+)", h).group(1) for h in hrefs]
    shown_regions = {r for (r,) in _snapshot(world, "select region from marts.mart_task_status where task_id in "
                                                    "(select unnest(?))", [ids])}
    assert shown_regions <= city


def test_a_bad_or_out_of_scope_task_link_says_so_with_a_way_back(world, app, dash_duo, passwords):
    start(dash_duo, app)
    login(dash_duo, "jc_leader", passwords["jc_leader"])
    dash_duo.driver.get(dash_duo.server_url + "/tasks?task=T000000000000")
    dash_duo.wait_for_contains_text("#task-detail", "未找到该任务", timeout=15)
    assert dash_duo.find_element("#task-back").get_attribute("href").endswith("/tasks")
    (outside,) = _snapshot(world, """select task_id from marts.mart_task_status where region not in
                                     (select region from intermediate.int_region_scopes where scope = '晋城市')
                                     limit 1""")[0]
    dash_duo.driver.get(dash_duo.server_url + f"/tasks?task={outside}")
    dash_duo.wait_for_contains_text("#task-detail", "该任务不在您的查看范围", timeout=15)
    assert outside not in dash_duo.find_element("#task-detail").text
    assert dash_duo.get_logs() in ([], None)  # no TypeError in the browser either


def test_the_phone_overview_has_no_horizontal_scroll_and_a_folded_menu(world, app, dash_duo, passwords):
    start(dash_duo, app)
    login(dash_duo, "leader", passwords["leader"])
    open_on_phone(dash_duo, "/", "#kpi-completion")
    assert not dash_duo.find_element("#nav-overview").is_displayed()  # folded behind the toggler
    dash_duo.find_element("#nav-toggler").click()
    _wait(lambda: dash_duo.find_element("#nav-tasks_page").is_displayed())


def test_the_map_draws_one_shape_per_region_offline(world, app, dash_duo, passwords):
    start(dash_duo, app)
    login(dash_duo, "leader", passwords["leader"])
    dash_duo.wait_for_element("#region-map .js-plotly-plot", timeout=20)
    with_code = {r["region"] for r in reference_regions(world.paths.reference) if r.get("adcode")}
    of_data = {r for (r,) in _snapshot(world, "select dimension_value from marts.mart_completion "
                                              "where dimension = 'region'")}
    expected = of_data & with_code
    assert expected
    names = dash_duo.driver.execute_script(
        "return document.querySelector('#region-map .js-plotly-plot').data.map(t => t.name)")
    assert sorted(names) == sorted(expected)  # one shape per region, each once
    assert len(dash_duo.find_elements("#region-map .scatterlayer .trace")) == len(expected)
    assert _external_requests(dash_duo) == []


def test_gx_data_docs_load_with_no_external_request_for_auditors_only(world, app, dash_duo, passwords):
    start(dash_duo, app)
    login(dash_duo, "auditor", passwords["auditor"])
    dash_duo.driver.get(dash_duo.server_url + "/quality-docs/")
    _wait(lambda: dash_duo.driver.execute_script("return document.readyState") == "complete")
    time.sleep(1)
    assert _external_requests(dash_duo) == []
    loaded = dash_duo.driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)")
    assert any("bootstrap.min.css" in u for u in loaded) and any("jquery" in u for u in loaded)
    assert dash_duo.driver.execute_script("return typeof jQuery !== 'undefined' && !!jQuery.fn.bootstrapTable")
    assert dash_duo.find_elements("table tbody tr")  # the validation list is filled in
    leader = app.server.test_client()
    from tests.browser.conftest import login_client
    leader = login_client(app, "leader", passwords["leader"])
    assert leader.get("/quality-docs/").status_code == 403
