"""The KPI marts of issue 23 on the cockpit, in headless Chromium on the default data: the overview's
completion over the months has one point per month end of mart_completion_monthly in the reader's scope (a
city leader: their region's series; the province: 'all'), at the mart's rates; the task detail and the task
list say a due date's basis in words — 推定 for a date assumed at the plan-year end, in zh and en."""
import pytest

from dashboards.i18n import DUE_BASIS
from tests.browser.conftest import login, start
from tests.browser.test_cockpit import _snapshot, _visible_cells, _wait

pytestmark = pytest.mark.browser


@pytest.fixture
def app(world, monkeypatch):
    monkeypatch.setenv("PLANKPI_DATA", str(world.paths.root))
    from dashboards.app import create_app
    return create_app()


def _months_trace(dash_duo) -> dict:
    return dash_duo.driver.execute_script(
        "const g = document.querySelector('#completion-by-month .js-plotly-plot');"
        "return g && g.data ? {x: g.data[0].x, y: g.data[0].y, n: g.querySelectorAll('.scatterlayer .point').length}"
        " : null")


def _expected_months(world, dimension: str, value: str) -> list[tuple[str, float | None]]:
    return [(str(m), None if r is None else round(r * 100, 1)) for m, r in _snapshot(world, """
        select month_end, completion_rate from marts.mart_completion_monthly
        where dimension = ? and dimension_value = ? order by month_end""", [dimension, value])]


@pytest.mark.parametrize("user,dimension,value", [("jc_leader", "region", "晋城市"), ("leader", "all", "全部")])
def test_the_months_chart_has_one_point_per_month_end_of_the_readers_scope(world, app, dash_duo, passwords,
                                                                         user, dimension, value):
    expected = _expected_months(world, dimension, value)
    assert len(expected) > 1  # the default data spans months, or this test pins nothing
    start(dash_duo, app)
    login(dash_duo, user, passwords[user])
    dash_duo.wait_for_element("#completion-by-month .js-plotly-plot", timeout=20)
    _wait(lambda: _months_trace(dash_duo) is not None)
    trace = _months_trace(dash_duo)
    assert trace["x"] == [m for m, _ in expected]  # one point per month end, in order, no month added
    assert trace["y"] == [r for _, r in expected]
    assert trace["n"] == sum(r is not None for _, r in expected)  # each drawn
    if dimension == "region":  # a city's series is not the province's
        assert expected != _expected_months(world, "all", "全部")
    assert value in dash_duo.find_element("#completion-by-month").find_element("xpath", "..").text \
        or dimension == "all"


def test_an_assumed_deadline_says_推定_in_the_detail_and_the_list(world, app, dash_duo, passwords):
    rows = _snapshot(world, """select s.task_id, d.due_basis_zh from marts.mart_task_status s
                               join intermediate.int_task_deadline d using (task_id)
                               where s.due_basis = 'plan_year' and s.region in
                                 (select region from intermediate.int_region_scopes where scope = '晋城市')
                               order by s.list_order limit 1""")
    assert rows, "the default data has no assumed deadline in 晋城市"
    task_id, mart_words = rows[0]
    assert DUE_BASIS["plan_year"][0] == mart_words  # one wording: the dashboard says what the mart says
    start(dash_duo, app)
    login(dash_duo, "jc_leader", passwords["jc_leader"])
    for lang, words in (("zh", "推定"), ("en", "assumed (plan-year end)")):
        dash_duo.driver.get(dash_duo.server_url + f"/tasks?task={task_id}&lang={lang}")
        dash_duo.wait_for_element("#task-due-basis", timeout=15)
        assert words in dash_duo.find_element("#task-due-basis").text
        _wait(lambda: any(c.strip() for c in _visible_cells(dash_duo)))
        basis_cells = dash_duo.driver.execute_script(
            "return Array.from(document.querySelectorAll('.ag-cell[col-id=\"due_basis\"]'))"
            ".map(c => c.textContent.trim())")
        assert basis_cells, "the task list shows the due_basis column"
        assert not set(basis_cells) - {w[1 if lang == "en" else 0] for w in DUE_BASIS.values()} - {""}
    dash_duo.driver.get(dash_duo.server_url + "/tasks")
    _wait(lambda: any("推定" in c for c in dash_duo.driver.execute_script(
        "return Array.from(document.querySelectorAll('.ag-cell[col-id=\"due_basis\"]')).map(c => c.textContent)")))
