"""The targets page's charts, rendered by the page router on the published snapshot, next to SQL."""
from __future__ import annotations

import duckdb
import pytest

from dashboards import formats

from dashboards.callback_requests import router_body
from pipelines.warehouse.publish import current_snapshot
from tests.browser.conftest import login_client

pytestmark = pytest.mark.browser


def _sql(world, sql, params=None):
    with duckdb.connect(str(current_snapshot(world.paths.serving).path), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def _panels(node, found=None) -> dict[str, dict]:
    """Every chart panel of a rendered page: its id -> its figure (None when it has no monthly values)."""
    found = {} if found is None else found
    if isinstance(node, dict):
        props = node.get("props", {})
        if isinstance(props.get("id"), str) and props["id"].startswith("panel-"):
            figures = []
            _figures(node, figures)
            found[props["id"]] = figures[0] if figures else None
        for child in node.values():
            _panels(child, found)
    elif isinstance(node, list):
        for child in node:
            _panels(child, found)
    return found


def _figures(node, out: list) -> None:
    if isinstance(node, dict):
        if "figure" in node.get("props", {}):
            out.append(node["props"]["figure"])
        for child in node.values():
            _figures(child, out)
    elif isinstance(node, list):
        for child in node:
            _figures(child, out)


_KEYS = """select kpi, region, year from marts.mart_kpi_trends where region in ({regions})
           union select kpi, region, year from marts.mart_target_attainment where region in ({regions})"""


def test_a_regions_charts_are_its_trends_and_targets(world, app_for, passwords):
    leader = login_client(app_for(world.paths.root), "leader", passwords["leader"])
    page = leader.post("/_dash-update-component", json=router_body("/targets?region=阳泉市")).get_json()
    panels = _panels(page)
    keys = _sql(world, _KEYS.format(regions="'阳泉市'"))
    assert set(panels) == {f"panel-{k}-{r}-{y}" for k, r, y in keys} and len(keys) > 1
    kpi, region, year = next((k, r, y) for k, r, y in sorted(keys) if panels[f"panel-{k}-{r}-{y}"])
    bars = panels[f"panel-{kpi}-{region}-{year}"]["data"][0]
    expected = _sql(world, """select period, value, file_name, row_number from marts.mart_kpi_trends
                              where kpi = ? and region = ? and year = ? order by month""", [kpi, region, year])
    assert bars["x"] == [formats.month(p, "zh") for p, *_ in expected]  # 2023年1月, as people write it
    assert bars["y"] == pytest.approx([v for _, v, *_ in expected])
    assert [tuple(c) for c in bars["customdata"]] == [(f, n) for *_, f, n in expected]  # each bar's source row


def test_a_city_leader_sees_the_charts_of_the_scope_only(world, app_for, passwords):
    leader = login_client(app_for(world.paths.root), "jc_leader", passwords["jc_leader"])
    panels = _panels(leader.post("/_dash-update-component", json=router_body("/targets")).get_json())
    scope = ", ".join(f"'{r}'" for (r,) in _sql(world, "select region from intermediate.int_region_scopes "
                                                       "where scope = '晋城市'"))
    keys = _sql(world, _KEYS.format(regions=scope))
    assert set(panels) == {f"panel-{k}-{r}-{y}" for k, r, y in keys} and len(keys) > 1
