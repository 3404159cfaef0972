"""Filters over many values (regions, plans, categories, units): the page carries the chosen value and the
first of the others; the rest are found by DuckDB as the reader types — on the published snapshot."""
from __future__ import annotations

import duckdb
import pytest

from dashboards import components, data
from dashboards.callback_requests import router_body
from pipelines.warehouse.publish import current_snapshot
from tests.browser.conftest import login_client

pytestmark = pytest.mark.browser


def _sql(world, sql, params=None):
    with duckdb.connect(str(current_snapshot(world.paths.serving).path), read_only=True) as con:
        return [v for (v,) in con.execute(sql, params or []).fetchall()]


def _search_body(name: str, text: str, value, path: str = "/tasks") -> dict:
    """The request a searched filter sends as the reader types ``text``."""
    key = f'{{"name":"{name}","type":"filter-search"}}'
    return {"output": '{"name":["MATCH"],"type":"filter-search"}.options', "outputs": {"id": {"name": name, "type": "filter-search"}, "property": "options"},
            "inputs": [{"id": {"name": name, "type": "filter-search"}, "property": "search_value", "value": text}],
            "state": [{"id": {"name": name, "type": "filter-search"}, "property": "value", "value": value},
                      {"id": "url", "property": "pathname", "value": path}],
            "changedPropIds": [f"{key}.search_value"]}


def test_the_first_values_and_the_chosen_one(world, app_for):
    app = app_for(world.paths.root)
    # a plan's value is its plan_id, listed by its label (the title made unique)
    plans = _sql(world, "select value from marts.mart_task_facets where facet = 'plan' order by label, value")
    labels = dict(zip(plans, _sql(world, "select label from marts.mart_task_facets where facet = 'plan' order by label, value")))
    assert len(plans) > 3
    with app.server.test_request_context("/"):
        data.clear_cache()
        values, total = data.listed_values(data.task_facet("plan"), limit=2)
        assert (values, total) == (plans[:2], len(plans))
        values, total = data.listed_values(data.task_facet("plan"), chosen=plans[-1], limit=2)
        assert (values, total) == ([plans[-1]] + plans[:2], len(plans))  # the chosen one first, then two others
        values, _ = data.listed_values(data.task_facet("plan"), chosen="不存在的计划", limit=2)
        assert values == plans[:2]  # a value the snapshot does not hold is not offered
        word = labels[plans[0]][2:4]
        options, matching = data.listed_options(data.task_facet("plan"), text=word.lower(), limit=100)
        assert [o["value"] for o in options] == [p for p in plans if word in labels[p]] and matching == len(options) > 0
        assert all(o["label"] == labels[o["value"]] for o in options)  # the reader sees the label, not the id
        regions = _sql(world, """select region from marts.mart_kpi_trends union
                                 select region from marts.mart_target_attainment order by 1""")
        assert data.listed_values(data.trend_regions())[0] == regions
        assert data.listed_values(data.scorecard_regions())[0] == _sql(
            world, "select distinct region from marts.mart_unit_scorecard order by 1")


def test_a_page_carries_the_first_values_and_typing_finds_the_rest(world, app_for, passwords, monkeypatch):
    monkeypatch.setattr(components, "OPTIONS_INLINE", 2)  # the seeds have a few plans; a province has 7,200
    app = app_for(world.paths.root)
    leader = login_client(app, "leader", passwords["leader"])
    regions = _sql(world, "select distinct value from marts.mart_task_facets where facet = 'region' order by value")
    page = leader.post("/_dash-update-component", json=router_body(f"/tasks?region={regions[-1]}")).get_json()
    dropdowns = {}

    def walk(node):
        if isinstance(node, dict):
            props = node.get("props", {})
            if isinstance(props.get("id"), dict) and props["id"].get("type") == "filter-search":
                dropdowns[props["id"]["name"]] = props
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)
    walk(page)
    region = dropdowns["region"]
    assert [o["value"] for o in region["options"]] == [regions[-1]] + regions[:2] and region["value"] == regions[-1]
    assert region["placeholder"] == f"全部（共 {len(regions)} 项，输入文字查找）"
    city = "城"
    found = leader.post("/_dash-update-component", json=_search_body("region", city, regions[-1])).get_json()
    options = found["response"]['{"name":"region","type":"filter-search"}']["options"]
    hits = [r for r in regions if city in r and r != regions[-1]]
    assert [o["value"] for o in options] == ([regions[-1]] + hits)[:3] and len(hits) > 0
    unit = login_client(app, "yq_sthjj", passwords["yq_sthjj"])  # a unit may not see the tasks page
    assert unit.post("/_dash-update-component", json=_search_body("region", city, None)).status_code == 204
