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


def _panels(page) -> dict[str, dict]:
    """Every chart panel of a rendered page: its id -> its figure (None when it has no monthly values)."""
    found = {}
    for node_id, node in _in_order(page):
        if node_id.startswith("panel-"):
            figures = []
            _figures(node, figures)
            found[node_id] = figures[0] if figures else None
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


def _in_order(node, out=None) -> list[tuple[str, dict]]:
    """(id, node) of every status heading (targets-<status>) and chart panel (panel-…), in page order."""
    out = [] if out is None else out
    if isinstance(node, dict):
        node_id = node.get("props", {}).get("id")
        if isinstance(node_id, str) and (node_id.startswith("panel-") or node_id.startswith("targets-")):
            out.append((node_id, node))
        for value in node.values():
            _in_order(value, out)
    elif isinstance(node, list):
        for child in node:
            _in_order(child, out)
    return out


def _texts(node, out=None) -> list[str]:
    """The text a reader sees in a component tree: its children's strings (not the charts' data, tooltips,
    class names or ids)."""
    out = [] if out is None else out
    if isinstance(node, str):
        out.append(node)
    elif isinstance(node, list):
        for child in node:
            _texts(child, out)
    elif isinstance(node, dict):
        if "props" in node:
            _texts(node["props"].get("children"), out)
        else:  # the answer's envelope
            for value in node.values():
                _texts(value, out)
    return out


def test_the_charts_go_by_status_coloured_against_the_line_saying_which_way_is_better(world, app_for, passwords):
    """/targets' small multiples: under headings missed → at risk → on track → met (each chart under its
    worst target's status, as SQL judges it), every bar green when its month meets the target line and red
    when not, 越低越好 on every chart whose KPI is better lower (ranks, concentrations) and 越高越好 on the
    others, and no target id or status code among the words."""
    from dashboards.data import STATUS_ORDER
    from dashboards.i18n import STATUS
    leader = login_client(app_for(world.paths.root), "leader", passwords["leader"])
    page = leader.post("/_dash-update-component", json=router_body("/targets")).get_json()
    found = _in_order(page)
    headings = [i.removeprefix("targets-") for i, _ in found if i.startswith("targets-") and i[8:] in STATUS_ORDER]
    assert len(headings) > 1 and headings == sorted(headings, key=STATUS_ORDER.index)
    worst = {(k, r, y): min(statuses, key=STATUS_ORDER.index) for k, r, y, statuses in _sql(world, """
        select kpi, region, year, list(status) from marts.mart_target_attainment group by all""")}
    lines = {(k, r, y): (d, t) for k, r, y, d, t in _sql(world, """
        select kpi, region, year, any_value(direction), coalesce(any_value(target_threshold), any_value(stretch_threshold))
        from marts.mart_kpi_trends group by all""")}
    heading, charts, lower = None, 0, 0
    for node_id, node in found:
        if node_id.startswith("targets-"):
            heading = node_id.removeprefix("targets-")
            continue
        kpi, region, year = node_id.removeprefix("panel-").rsplit("-", 2)
        key = (kpi, region, int(year))
        assert heading == worst.get(key, "no_data"), node_id  # under its worst target's status
        direction, line = lines[key]
        words = "".join(_texts(node))
        assert ("越低越好" in words) == (direction == "<=") and ("越高越好" in words) == (direction == ">=")
        lower += direction == "<="
        figures = []
        _figures(node, figures)
        bars = figures[0]["data"][0]
        for value, colour in zip(bars["y"], bars["marker"]["color"]):
            meets = None if value is None or line is None else (value <= line if direction == "<=" else value >= line)
            assert colour == {True: "#146c43", False: "#b02a37", None: "#9aa5b1"}[meets], (node_id, value, line)
        charts += 1
        # words, not codes: the status in words, no target id, no status code
        assert not {"missed", "at_risk", "on_track", "met", "no_data"} & set(words.split())
        assert STATUS[worst[key]][0] in words if key in worst else True
    target_ids = {t for (t,) in _sql(world, "select target_id from marts.mart_target_attainment")}
    assert not any(t in "".join(_texts(page)) for t in target_ids)
    assert charts > 10 and 0 < lower < charts  # both kinds are on the page, or the 越低越好 check pins nothing
