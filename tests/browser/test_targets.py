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


def _nodes(node, keep, out=None) -> list[dict]:
    """Every component of a tree that ``keep`` accepts, in page order."""
    out = [] if out is None else out
    if isinstance(node, dict):
        if keep(node):
            out.append(node)
        for value in node.values():
            _nodes(value, keep, out)
    elif isinstance(node, list):
        for child in node:
            _nodes(child, keep, out)
    return out


def _in_order(node) -> list[tuple[str, dict]]:
    """(id, node) of every status heading (targets-<status>) and chart panel (panel-…), in page order."""
    def headed(n: dict) -> bool:
        node_id = n.get("props", {}).get("id")
        return isinstance(node_id, str) and (node_id.startswith("panel-") or node_id.startswith("targets-"))
    return [(n["props"]["id"], n) for n in _nodes(node, headed)]


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


def _notes(node) -> list[dict]:
    """Every target note under a chart (className target-note)."""
    return _nodes(node, lambda n: "target-note" in str(n.get("props", {}).get("className", "")))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_allocated_target_shows_its_document_and_the_plan_sentence_that_took_it_on(world, app_for, passwords, lang):
    """省下达 targets (printed without a number, the value from data/reference/allocated_targets.csv): under
    their chart and in the grid, the allocating document as the table has it and the plan sentence that
    says 完成省下达…指标 with its plan and line (the file and line in the tooltip), in the reader's language;
    a printed target keeps its own sentence."""
    from dashboards.callback_requests import first_blocks
    allocated = _sql(world, """select t.kpi, t.region, t.year, t.allocated_document, t.commitment_text,
                                      p.plan_title, t.commitment_line, t.commitment_source
                               from marts.mart_target_attainment t join marts.mart_plans p on p.plan_id = t.commitment_plan_id
                               where t.value_source = 'allocated' and t.source = 'allocated'""")
    assert len(allocated) >= 2  # the seeds' two 晋城市 2022 targets, each bound to its plan's sentence
    assert all("完成省下达" in text for *_, text, _, _, _ in allocated)
    leader = login_client(app_for(world.paths.root), "leader", passwords["leader"])
    search = f"/targets?region=晋城市&lang={lang}"
    page = leader.post("/_dash-update-component", json=router_body(search)).get_json()
    said = "省下达目标，下达文件：" if lang == "zh" else "Allocated by the higher level (省下达), document: "
    line_word = "第{}行" if lang == "zh" else "line {}"
    notes = ["".join(_texts(n)) for n in _notes(page)]
    tooltips = [str(n) for n in _notes(page)]
    for kpi, region, year, document, text, plan, line, source in allocated:
        if region != "晋城市":
            continue
        cited = f"{plan} {line_word.format(line)}"
        shown = [n for n in notes if said + document in n]
        assert shown and all(formats.plain(text) in n and cited in n for n in shown), (kpi, shown)
        assert any(f"{source}:{line}" in tip for tip in tooltips)
    # a printed target's note is its own printed line, not an allocation
    printed = _sql(world, """select line_text from marts.mart_target_attainment
                             where region = '晋城市' and value_source = 'printed' and line_text is not null""")
    assert printed and any(formats.plain(printed[0][0]) in n and said not in n for n in notes)
    # the grid's rows: the source cell cites the document and the sentence's plan line, the tooltip the file
    rendered = leader.post("/_dash-update-component", json=router_body(search)).get_data(as_text=True)
    (block,) = [b for b in first_blocks("?" + search.split("?", 1)[1], rendered) if "grid-targets" in b["output"]]
    rows = leader.post("/_dash-update-component", json=block).get_json()["response"]["grid-targets"]["getRowsResponse"]["rowData"]
    for kpi, region, year, document, text, plan, line, source in allocated:
        if region == "晋城市":
            assert any(r["source"] == f"{said}{document}{'；' if lang == 'zh' else '; '}{plan} {line_word.format(line)}"
                       and r["source_reference"].startswith(f"{source}:{line}") for r in rows), kpi
