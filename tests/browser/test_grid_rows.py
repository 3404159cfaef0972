"""The grids' rows on the default data, as the grids ask for them (a block at a time, sorted and filtered
over the whole view), next to the same numbers computed in SQL on the published snapshot."""
from __future__ import annotations

import shutil

import duckdb
import pytest

from dashboards.callback_requests import grid_rows_body, router_body
from dashboards import formats
from dashboards.i18n import INPUT_KIND, INPUT_STATUS, STATUS, pick
from pipelines.warehouse.publish import current_snapshot
from tests.browser.conftest import login_client

pytestmark = pytest.mark.browser


def _sql(world, sql, params=None):
    with duckdb.connect(str(current_snapshot(world.paths.serving).path), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


@pytest.fixture
def auditor(world, app_for, passwords):
    return login_client(app_for(world.paths.root), "auditor", passwords["auditor"])


def _rows(client, table, **request):
    response = client.post("/_dash-update-component", json=grid_rows_body(table, **request))
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    out = response.get_json()["response"]
    return out[f"grid-{table}"]["getRowsResponse"], out[f"count-{table}"]["children"]


def test_a_page_carries_columns_and_the_grid_fetches_its_rows(auditor, world):
    page = auditor.post("/_dash-update-component", json=router_body("/tasks")).get_data(as_text=True)
    assert '"rowModelType":"infinite"' in page.replace(" ", "") and "rowData" not in page
    assert current_snapshot(world.paths.serving).path.name in page  # the grid's context: where its rows come from
    total = _sql(world, "select count(*) from marts.mart_task_status")[0][0]
    first, count = _rows(auditor, "tasks", start=0, end=100)
    assert first["rowCount"] == total and count == f"共 {total} 条"
    expected = [t for (t,) in _sql(world, "select task_id from marts.mart_task_status order by list_order limit 100")]
    assert [r["task_id"] for r in first["rowData"]] == expected


def test_sorting_covers_the_whole_view_not_the_rows_shown(auditor, world):
    rows, _ = _rows(auditor, "tasks", start=0, end=5, sort=[{"colId": "days_overdue", "sort": "desc"}])
    worst = _sql(world, """select task_id, days_overdue from marts.mart_task_status
                           order by days_overdue desc nulls last, list_order limit 5""")
    assert [(r["task_id"], r["days_overdue"]) for r in rows["rowData"]] == [tuple(w) for w in worst]
    assert worst[0][1] > 0
    # a later block continues the same order
    later, _ = _rows(auditor, "tasks", start=5, end=10, sort=[{"colId": "days_overdue", "sort": "desc"}])
    assert later["rowData"][0]["task_id"] == _sql(world, """select task_id from marts.mart_task_status
        order by days_overdue desc nulls last, list_order limit 1 offset 5""")[0][0]


def test_a_column_filter_counts_and_cuts_the_whole_view(auditor, world):
    word = "大气"
    rows, count = _rows(auditor, "tasks", filters={"title": {"filterType": "text", "type": "contains",
                                                                        "filter": word}}, end=1000)
    expected = _sql(world, "select count(*) from marts.mart_task_status where title like ?", [f"%{word}%"])[0][0]
    assert 0 < expected == rows["rowCount"] == len(rows["rowData"]) and count.endswith(f"{expected} 条")
    assert all(word in r["title"] for r in rows["rowData"])
    over = _rows(auditor, "targets", filters={"actual": {"filterType": "number", "type": "greaterThan", "filter": 50}},
                 sort=[{"colId": "actual", "sort": "asc"}])[0]
    actuals = [a for (a,) in _sql(world, "select actual from marts.mart_target_attainment where actual > 50 order by actual")]
    assert over["rowCount"] == len(actuals) > 0 and [r["actual"] for r in over["rowData"]] == pytest.approx(actuals)


def test_the_page_filters_and_a_block_past_the_end(auditor, world):
    rows, _ = _rows(auditor, "tasks", search="?region=阳泉市&overdue=1", end=1000)
    expected = _sql(world, "select count(*) from marts.mart_task_status where region = '阳泉市' and is_overdue")[0][0]
    assert rows["rowCount"] == expected == len(rows["rowData"]) > 0
    past, _ = _rows(auditor, "units", start=10_000, end=10_100)
    assert past["rowData"] == [] and past["rowCount"] == _sql(world, "select count(*) from marts.mart_unit_scorecard")[0][0]


def test_a_grid_keeps_reading_the_snapshot_its_page_was_rendered_from(auditor, world):
    """A publication between a page and its grid's next block must not mix two snapshots in one page."""
    current = current_snapshot(world.paths.serving).path
    older = current.with_name("snapshot-00000000-pinned-by-a-test.duckdb")
    shutil.copyfile(current, older)
    try:
        with duckdb.connect(str(older)) as con:  # an older state: Yangquan's tasks not there yet
            con.execute("delete from marts.mart_task_status where region = '阳泉市'")
        total, yq = _sql(world, """select count(*), count(*) filter (where region = '阳泉市')
                                   from marts.mart_task_status""")[0]
        assert yq > 0
        assert _rows(auditor, "tasks", snapshot=older.name)[0]["rowCount"] == total - yq
        assert _rows(auditor, "tasks")[0]["rowCount"] == total
        for forged in ("../CURRENT", "/etc/passwd", "snapshot-gone.duckdb"):  # only a kept snapshot's name
            assert _rows(auditor, "tasks", snapshot=forged)[0]["rowCount"] == total
    finally:
        older.unlink()


def test_a_view_that_is_one_query_is_cut_sorted_and_filtered_by_duckdb(auditor, world):
    """The unit scorecard's grid: its sort and filters over every unit, its blocks in one order."""
    sort, word = [{"colId": "reporting_rate", "sort": "desc"}], "局"
    filters = {"unit": {"filterType": "text", "type": "contains", "filter": word}}
    expected = _sql(world, """select region, unit from marts.mart_unit_scorecard where unit like ?
                              order by reporting_rate desc nulls last, list_order""", [f"%{word}%"])
    first, count = _rows(auditor, "units", start=0, end=10, sort=sort, filters=filters)
    later, _ = _rows(auditor, "units", start=10, end=20, sort=sort, filters=filters)
    assert first["rowCount"] == len(expected) > 20 and count == f"共 {len(expected)} 条"
    assert [(r["region"], r["unit"]) for r in first["rowData"] + later["rowData"]] == [tuple(e) for e in expected[:20]]


def test_the_input_files_are_the_manifests_in_its_order(auditor, world):
    """The quality page's list of inputs, read from the snapshot's own tables, is the manifest's lineage."""
    manifest = current_snapshot(world.paths.serving).manifest["inputs"]
    def words(kind, status, landed):  # as the page says them: codes in words, counts with separators
        return pick(INPUT_KIND, kind, "zh"), pick(INPUT_STATUS, status, "zh"), formats.number(landed)
    expected = ([(words("plan", p["status"], None)[0], p["file"], p["sha256"], *words("plan", p["status"], None)[1:])
                 for p in manifest["plans"]]
                + [(words("submission", s["status"], s["rows_landed"])[0], s["file"], s["sha256"],
                    *words("submission", s["status"], s["rows_landed"])[1:]) for s in manifest["submissions"]])
    first, _ = _rows(auditor, "inputs", start=0, end=5)
    rest, _ = _rows(auditor, "inputs", start=5, end=1000)
    # the file's name is the row's source reference (its tooltip; on screen the file is named by its notice or
    # its rows: 阳泉市 市生态环境局 2023年12月 报表)
    got = [(r["kind"], r["source_reference"], r["sha256"], r["status"], r["rows_landed"])
           for r in first["rowData"] + rest["rowData"]]
    assert first["rowCount"] == len(expected) > 5 and got == expected
    assert any(status == pick(INPUT_STATUS, "rejected", "zh") for *_, status, _ in expected)  # the refused .doc too


def test_column_headers_say_what_the_column_holds(auditor):
    """A KPI's target is 目标; what an audited action was done to is 对象 (one label had overwritten the other)."""
    page = auditor.post("/_dash-update-component", json=router_body("/targets")).get_json()
    headers = {d["field"]: d["headerName"] for d in _column_defs(page, "grid-targets")}
    assert headers["target"] == "目标" and headers["actual"]
    audit = auditor.post("/_dash-update-component", json=router_body("/audit")).get_json()
    assert {d["field"]: d["headerName"] for d in _column_defs(audit, "grid-audit_log")}["acted_on"] == "对象"


def _column_defs(node, grid_id: str) -> list[dict]:
    if isinstance(node, dict):
        if node.get("props", {}).get("id") == grid_id:
            return node["props"]["columnDefs"]
        children = node.values()
    else:
        children = node if isinstance(node, list) else []
    for child in children:
        found = _column_defs(child, grid_id)
        if found:
            return found
    return []


def test_the_task_list_filters_the_words_shown_and_sorts_a_label_by_its_code(auditor, world):
    overdue = {"status": {"filterType": "text", "type": "equals", "filter": "逾期未完成"}}
    rows, count = _rows(auditor, "tasks", filters=overdue, end=1000)
    expected = _sql(world, "select task_id from marts.mart_task_status where status_class = 'overdue' order by list_order")
    assert [r["task_id"] for r in rows["rowData"]] == [t for (t,) in expected] and len(expected) > 0
    english, _ = _rows(auditor, "tasks", search="?lang=en", filters={
        "status": {"filterType": "text", "type": "equals", "filter": "overdue"}}, end=1000)
    assert english["rowCount"] == len(expected) and {r["status"] for r in english["rowData"]} == {"Overdue"}
    by_status, _ = _rows(auditor, "tasks", sort=[{"colId": "status", "sort": "asc"}], end=1000)
    codes = [c for (c,) in _sql(world, "select status_class from marts.mart_task_status order by status_class, list_order")]
    words = {"completed_on_time": "按期完成", "completed_late": "逾期完成", "overdue": "逾期未完成", "not_due": "未到期",
             "ongoing": "长期任务"}
    assert [r["status"] for r in by_status["rowData"]] == [words[c] for c in codes][:len(by_status["rowData"])]
    by_source, _ = _rows(auditor, "tasks", sort=[{"colId": "source", "sort": "desc"}], end=5)
    last = _sql(world, "select task_id from marts.mart_task_status order by source desc, start_line desc, list_order limit 5")
    assert [r["task_id"] for r in by_source["rowData"]] == [t for (t,) in last]


def test_a_city_leaders_task_grid_is_cut_to_the_scope_by_duckdb(world, app_for, passwords):
    leader = login_client(app_for(world.paths.root), "jc_leader", passwords["jc_leader"])
    word = "治理"
    rows, _ = _rows(leader, "tasks", filters={"title": {"filterType": "text", "type": "contains", "filter": word}},
                    sort=[{"colId": "days_overdue", "sort": "desc"}], end=1000)
    expected = _sql(world, """select task_id from marts.mart_task_status
                              where region in (select region from intermediate.int_region_scopes where scope = '晋城市')
                                and title like ? order by days_overdue desc nulls last, list_order""", [f"%{word}%"])
    assert [r["task_id"] for r in rows["rowData"]] == [t for (t,) in expected] and len(expected) > 0


def test_the_targets_grid_is_cut_by_duckdb_and_worded_for_its_rows(auditor, world):
    rows, count = _rows(auditor, "targets", start=2, end=7, sort=[{"colId": "actual", "sort": "desc"}])
    expected = _sql(world, """select region, year, actual, status from marts.mart_target_attainment
                              order by actual desc nulls last, region, year, kpi, stretch, target_id limit 5 offset 2""")
    got = [(r["region"], r["year"], r["actual"], r["status_code"]) for r in rows["rowData"]]
    assert got == [tuple(e) for e in expected]
    assert rows["rowCount"] == _sql(world, "select count(*) from marts.mart_target_attainment")[0][0]
    assert all(r["status"] == STATUS[r["status_code"]][0] and r["target"] for r in rows["rowData"])


@pytest.mark.parametrize("table", ["units", "inputs", "quarantine", "plan_files", "review_queue", "escalations"])
def test_a_block_read_by_position_is_the_block_the_sorted_view_gives(auditor, world, table):
    """Lists read from a mart by its list_order (a range of it, and the mart's count: data.View.position,
    rows_of) give the rows, in the same order, and the count that sorting and cutting the whole view gives
    (the way every other block is read); a later block continues it and the last one ends it."""
    from dashboards import data, tables
    from dashboards.grid_model import SqlWindow
    with auditor.application.test_request_context():
        view = tables.QUERIES[table]({})
        assert view.position and view.rows_of  # else this test pins nothing
        columns = tables.COLUMNS[table]
        whole = data.view_frame(view, columns)
        general = data.View(view.sql, view.params, view.order, view.unique)  # sorted and cut, counted over the view
        for start, end in ((0, 3), (3, 7), (max(len(whole) - 2, 0), len(whole) + 5)):
            by_position = data.view_block(view, columns, SqlWindow("", [], {}), start, end)
            by_sorting = data.view_block(general, columns, SqlWindow("", [], {}), start, end)
            assert by_position == by_sorting and by_position[1] == len(whole)
            assert len(by_position[0]) == len(whole.iloc[start:end])
