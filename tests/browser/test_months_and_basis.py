"""The KPI marts of issues 23 and 24 on the cockpit, in headless Chromium on the default data: the overview's
months chart covers the reader's whole scope (a city and its counties; the province for a reader of every
region) — at the last month end its states add up to the scope's tasks, counted here from the task mart and
the regions file, and equal the headline cards; the task detail and the task list say a due date's basis in
words — 推定 for a date assumed at the plan-year end, in zh and en."""
import pytest

from dashboards.i18n import DUE_BASIS, TASK_STATUS
from pipelines.accounts import store_for
from tests.browser.conftest import login, start
from tests.browser.test_cockpit import _number, _snapshot, _visible_cells, _wait

pytestmark = pytest.mark.browser


@pytest.fixture
def app(world, monkeypatch):
    monkeypatch.setenv("PLANKPI_DATA", str(world.paths.root))
    from dashboards.app import create_app
    return create_app()


def _months_traces(dash_duo) -> list | None:
    return dash_duo.driver.execute_script(
        "const g = document.querySelector('#completion-by-month .js-plotly-plot');"
        "return g && g.data ? g.data.map(t => ({type: t.type, name: t.name, x: t.x, y: t.y})) : null")


def _scope_regions(world, scope: str | None) -> list[str]:
    """The regions a leader of ``scope`` reads, from the regions file as loaded (parent links), not from the
    scope marts: the city and every region below it; every region for the province (None)."""
    return [r for (r,) in _snapshot(world, """
        with recursive below(region) as (
            select region from raw.ref_regions where region = $scope or $scope is null
            union select r.region from raw.ref_regions r join below b on r.parent = b.region)
        select distinct region from below""", {"scope": scope})]


@pytest.mark.parametrize("user,scope", [("yq_leader", "阳泉市"), ("jc_leader", "晋城市"), ("leader", None)])
def test_the_months_chart_covers_the_readers_whole_scope(world, app, dash_duo, passwords, user, scope):
    if user == "yq_leader":  # a 阳泉 leader (the test accounts have 晋城's)
        passwords[user] = store_for(world.paths.root).ensure(user, "leader", "阳泉市", None, actor="test")
    regions = _scope_regions(world, scope)
    (as_of,), = _snapshot(world, "select as_of from marts.mart_headline")
    # the scope's tasks and their states at the as-of date, from the task mart (a month end in the test world)
    states = dict(_snapshot(world, """select status_class, count(*) from marts.mart_task_status
                                      where region in (select unnest($regions)) group by 1""", {"regions": regions}))
    own = _snapshot(world, "select count(*) from marts.mart_task_status where region = $scope", {"scope": scope})[0][0]
    months = [str(m) for (m,) in _snapshot(world, """select distinct month_end from marts.mart_task_status_monthly
                                                    where region in (select unnest($regions)) order by 1""",
                                           {"regions": regions})]
    assert len(months) > 1 and months[-1] == str(as_of)
    start(dash_duo, app)
    login(dash_duo, user, passwords[user])
    dash_duo.wait_for_element("#completion-by-month .js-plotly-plot", timeout=20)
    _wait(lambda: _months_traces(dash_duo) is not None)
    traces = _months_traces(dash_duo)
    bars = {t["name"]: t for t in traces if t["type"] == "bar"}
    assert set(bars) == {words for words, _ in TASK_STATUS.values()}  # every state, in words
    for t in traces:
        assert t["x"] == months  # one point per month end of the scope, in order
    at_last = {name: t["y"][-1] for name, t in bars.items()}
    assert sum(at_last.values()) == sum(states.values())  # the whole scope's tasks, counties included
    assert {TASK_STATUS[code][0]: n for code, n in states.items()} == {k: v for k, v in at_last.items() if v}
    if scope == "晋城市":  # its county 阳城县 has plans: the chart is more than the city's own tasks
        assert sum(at_last.values()) > own
    # the same counts as the headline cards above it
    assert sum(at_last.values()) == _number(dash_duo.find_element("#kpi-tasks").text)
    assert at_last[TASK_STATUS["overdue"][0]] == _number(dash_duo.find_element("#kpi-overdue").text)
    line = next(t for t in traces if t["type"] == "scatter")
    assert f"{line['y'][-1]:.1f}%" == dash_duo.find_element("#kpi-completion").text
    assert (scope or "山西省") in dash_duo.find_element("#months-chart").text


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
