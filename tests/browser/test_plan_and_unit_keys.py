"""Plans are keyed by plan_id and units by (region, unit), never by a name (issue 23).

Two counties of 阳泉 each issue a 《2023年大气污染防治工作方案》 (the title printed without the county, as
county notices often do; tests/fixtures/plans_same_title, written in two counties' own shapes), each with
its own 县生态环境局: they stay two plans and two offices in the marts, the filters, the overview's bars
and the task list — and an old link by the title or the name alone is resolved when it names one, or
answered with the plans or offices it could mean. On the seeds, 阳泉's and 晋城's 市生态环境局 stay apart.
"""
from __future__ import annotations

import shutil

import dagster as dg
import duckdb
import pytest

from dashboards import data
from dashboards.callback_requests import grid_rows_body, router_body
from pipelines.config import REPO_ROOT, DataPaths
from pipelines.warehouse.publish import current_snapshot
from tests.browser.conftest import login_client, passwords_for

pytestmark = pytest.mark.browser

PLANS = REPO_ROOT / "tests" / "fixtures" / "plans_same_title"
TITLE = "2023年大气污染防治工作方案"


@pytest.fixture(scope="module")
def twins(tmp_path_factory) -> DataPaths:
    """A data folder holding only the two same-titled plans, published by the daily job (no submissions)."""
    from pipelines.definitions import build_defs
    from pipelines.defs.resources import PlanKpiResource
    paths = DataPaths(tmp_path_factory.mktemp("same_title")).ensure()
    for f in PLANS.iterdir():
        shutil.copy2(f, paths.plans / f.name)
    defs = build_defs(PlanKpiResource(data_dir=str(paths.root), as_of="2024-06-30"))
    result = defs.resolve_job_def("publish_job").execute_in_process(instance=dg.DagsterInstance.ephemeral(),
                                                                     raise_on_error=False)
    assert result.success
    return paths


def _sql(paths: DataPaths, sql: str, params=None) -> list[tuple]:
    with duckdb.connect(str(current_snapshot(paths.serving).path), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def test_two_plans_with_one_title_stay_two(twins):
    plans = _sql(twins, "select plan_id, plan_title, plan_label, region from marts.mart_plans order by region")
    assert [(t, lb, r) for _, t, lb, r in plans] == [(TITLE, f"{TITLE}（平定县）", "平定县"), (TITLE, f"{TITLE}（盂县）", "盂县")]
    ids = [p for p, *_ in plans]
    assert _sql(twins, """select dimension_value, dimension_label, tasks_total from marts.mart_completion
                          where dimension = 'plan' order by dimension_label""") == [
        (ids[0], f"{TITLE}（平定县）", 3), (ids[1], f"{TITLE}（盂县）", 3)]
    assert _sql(twins, """select value, label from marts.mart_task_facets where facet = 'plan'
                          order by label""") == [(ids[0], f"{TITLE}（平定县）"), (ids[1], f"{TITLE}（盂县）")]
    months = _sql(twins, """select count(distinct dimension_value), count(distinct dimension_label)
                            from marts.mart_completion_monthly where dimension = 'plan'""")
    assert months == [(2, 2)]


def test_units_of_one_name_in_two_counties_stay_two(twins):
    rows = _sql(twins, """select region, unit, lead_tasks, support_tasks from marts.mart_unit_scorecard
                          where unit = '县生态环境局' order by region""")
    assert rows == [("平定县", "县生态环境局", 1, 1), ("盂县", "县生态环境局", 2, None)]  # no support task: null, as the scorecard shows it
    assert _sql(twins, """select value, label from marts.mart_task_facets
                          where facet = 'unit' and name = '县生态环境局' order by value""") == [
        ("平定县/县生态环境局", "县生态环境局（平定县）"), ("盂县/县生态环境局", "县生态环境局（盂县）")]


def test_the_data_layer_filters_by_key_and_resolves_old_links(twins, app_for):
    app = app_for(twins.root)
    ids = dict(_sql(twins, "select region, plan_id from marts.mart_plans"))
    with app.server.test_request_context("/"):
        data.clear_cache()

        def tasks(**query) -> set[str]:
            view = data.task_view(query)
            return set(data.view_frame(view, ["task_id", "region"])["region"])

        def count(**query) -> int:
            return len(data.view_frame(data.task_view(query), ["task_id"]))
        assert count(plan=ids["平定县"]) == 3 and tasks(plan=ids["盂县"]) == {"盂县"}
        # an old link by the title alone: two plans bear it, so it shows none of them (the page says why)
        found, candidates = data.facet_key("plan", TITLE)
        assert found is None and [c["value"] for c in candidates] == [ids["平定县"], ids["盂县"]]
        assert count(plan=TITLE) == 0
        # … and resolves when the page's region says which
        assert count(plan=TITLE, region="盂县") == 3 and tasks(plan=TITLE, region="盂县") == {"盂县"}
        assert count(unit="盂县/县生态环境局") == 2 and tasks(unit="平定县/县生态环境局") == {"平定县"}
        assert count(unit="平定县/县生态环境局", role="lead") == 1
        assert count(unit="县生态环境局") == 0 and count(unit="县生态环境局", region="平定县") == 2
        bars = data.lowest_completion("plan")
        assert sorted(bars["dimension_label"]) == [f"{TITLE}（平定县）", f"{TITLE}（盂县）"]
        options, total = data.listed_options(data.task_facet("plan"), text="盂县")
        assert options == [{"label": f"{TITLE}（盂县）", "value": ids["盂县"]}] and total == 1


def _find(node, wanted: str):
    """The component of id ``wanted`` in a rendered page's JSON."""
    if isinstance(node, dict):
        if node.get("props", {}).get("id") == wanted:
            return node
        node = list(node.values())
    if isinstance(node, list):
        for child in node:
            found = _find(child, wanted)
            if found is not None:
                return found
    return None


def _text(node) -> str:
    if isinstance(node, str):
        return node
    if isinstance(node, dict):
        return _text(node.get("props", {}).get("children"))
    if isinstance(node, list):
        return "".join(_text(c) for c in node)
    return ""


def test_the_page_answers_an_old_title_link_with_the_plans_it_could_mean(twins, app_for):
    app = app_for(twins.root)
    leader = login_client(app, "leader", passwords_for(twins.root)["leader"])
    ids = dict(_sql(twins, "select region, plan_id from marts.mart_plans"))
    page = leader.post("/_dash-update-component", json=router_body(f"/tasks?plan={TITLE}")).get_json()
    alert = _find(page, "plan-not-resolved")
    assert alert is not None and f"「{TITLE}」是 2 个计划共用的标题" in _text(alert)
    links = [c["props"]["href"] for c in alert["props"]["children"] if isinstance(c, dict) and "href" in c["props"]]
    assert sorted(links) == sorted(f"/tasks?plan={ids[r]}" for r in ("平定县", "盂县"))
    rows = leader.post("/_dash-update-component", json=grid_rows_body("tasks", f"?plan={TITLE}")).get_json()
    assert rows["response"]["grid-tasks"]["getRowsResponse"]["rowCount"] == 0
    rows = leader.post("/_dash-update-component", json=grid_rows_body("tasks", f"?plan={ids['盂县']}")).get_json()
    assert {r["region"] for r in rows["response"]["grid-tasks"]["getRowsResponse"]["rowData"]} == {"盂县"}
    # a plan's key in the URL needs no message, and the filter shows the plan's label
    page = leader.post("/_dash-update-component", json=router_body(f"/tasks?plan={ids['盂县']}")).get_json()
    assert _find(page, "plan-not-resolved") is None


def test_seed_bureaus_of_yangquan_and_jincheng_stay_apart(world, app_for):
    """The seeds' 市生态环境局 of 阳泉 and of 晋城: two rows of the scorecard, each with its own region's
    lead tasks (counted here from the snapshot's task units), two filter values, two task lists."""
    paths = world.paths
    expected = dict(_sql(paths, """select t.region, count(distinct u.task_id) from marts.mart_task_units u
                                   join marts.mart_task_status t using (task_id)
                                   where u.unit = '市生态环境局' and u.role = 'lead' group by t.region"""))
    assert {"阳泉市", "晋城市"} <= set(expected)
    scorecard = dict(_sql(paths, """select region, lead_tasks from marts.mart_unit_scorecard
                                    where unit = '市生态环境局'"""))
    assert scorecard == expected
    app = app_for(paths.root)
    with app.server.test_request_context("/"):
        data.clear_cache()
        for region in ("阳泉市", "晋城市"):
            view = data.task_view({"unit": f"{region}/市生态环境局", "role": "lead"})
            found = data.view_frame(view, ["task_id", "region"])
            assert set(found["region"]) == {region} and len(found) == expected[region]
        _, candidates = data.facet_key("unit", "市生态环境局")
        assert {c["region"] for c in candidates} >= {"阳泉市", "晋城市"}


def test_the_overview_draws_two_bars_each_keyed_by_its_plan(twins, app_for):
    """Two bars of one title would be drawn as one (plotly groups a category axis by its text): each bar is
    labelled with its plan_label, and carries its plan_id last in customdata, which a click opens."""
    app = app_for(twins.root)
    leader = login_client(app, "leader", passwords_for(twins.root)["leader"])
    ids = dict(_sql(twins, "select plan_label, plan_id from marts.mart_plans"))
    page = leader.post("/_dash-update-component", json=router_body("/")).get_json()
    bars = _find(page, "completion-by-plan")["props"]["figure"]["data"][0]
    assert sorted(bars["y"]) == sorted(ids)
    assert [c[-1] for c in bars["customdata"]] == [ids[label] for label in bars["y"]]
