"""Downloads are links to the view on screen: the page's query and snapshot in the link, the file the
same text whichever way it is written (by DuckDB from the snapshot, or through pandas)."""
from __future__ import annotations

import csv
import io
import re

import duckdb
import pytest
from flask_login import login_user

from dashboards.auth import User, store
from dashboards.callback_requests import router_body
from dashboards.tables import QUERIES, TABLES, csv_text, labelled
from pipelines.warehouse.publish import current_snapshot
from tests.browser.conftest import login_client

pytestmark = pytest.mark.browser


def _sql(world, sql, params=None):
    with duckdb.connect(str(current_snapshot(world.paths.serving).path), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def _through_pandas(app, username: str, name: str, query: dict) -> str:
    """The table's CSV as the frame's way writes it, for the signed-in ``username``."""
    with app.server.test_request_context("/"):
        login_user(User(store().get(username), store().start_session(username)))
        return csv_text(labelled(TABLES[name](query), query.get("lang", "zh")))


def test_the_link_carries_the_view_and_duckdb_writes_what_pandas_would(world, app_for, passwords):
    app = app_for(world.paths.root)
    auditor = login_client(app, "auditor", passwords["auditor"])
    page = auditor.post("/_dash-update-component", json=router_body("/units?region=晋城市")).get_data(as_text=True)
    page = page.replace("\\u002f", "/")  # Dash writes "/" escaped in its JSON
    (link,) = set(re.findall(r'"href":\s*"(/download/units\.csv[^"]*)"', page))
    snapshot = current_snapshot(world.paths.serving).path.name
    assert "region=%E6%99%8B%E5%9F%8E%E5%B8%82" in link and f"snapshot={snapshot}" in link
    response = auditor.get(link)
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    units = _sql(world, "select count(*) from marts.mart_unit_scorecard where region = '晋城市'")[0][0]
    assert len(rows) == units > 0 and {r["地区"] for r in rows} == {"晋城市"}
    assert "units" in QUERIES  # written by DuckDB from the snapshot ...
    assert text[1:] == _through_pandas(app, "auditor", "units", {"region": "晋城市"})  # ... as pandas would
    english = auditor.get("/download/units.csv?lang=en").data.decode("utf-8")
    assert english[1:] == _through_pandas(app, "auditor", "units", {"lang": "en"})
    assert english[1:].startswith("Region,")


def test_a_city_leaders_download_holds_the_scope_only(world, app_for, passwords):
    app = app_for(world.paths.root)
    leader = login_client(app, "jc_leader", passwords["jc_leader"])
    scope = {r for (r,) in _sql(world, "select region from intermediate.int_region_scopes where scope = '晋城市'")}
    text = leader.get("/download/units.csv").data.decode("utf-8")
    regions = {r["地区"] for r in csv.DictReader(io.StringIO(text[1:]))}
    assert regions and regions <= scope and "阳泉市" not in regions
    assert text[1:] == _through_pandas(app, "jc_leader", "units", {})
    assert leader.get("/download/nothing.csv").status_code == 404
    assert leader.get("/download/units.exe").status_code == 404
    assert leader.get("/download/quarantine.csv").status_code == 403  # an auditor's table


def test_the_task_list_download_is_written_by_duckdb_with_its_codes_in_words(world, app_for, passwords):
    app = app_for(world.paths.root)
    auditor = login_client(app, "auditor", passwords["auditor"])
    assert "tasks" in QUERIES
    for query in ({"region": "晋城市", "overdue": "1"}, {"lang": "en", "domain": "water"}, {}):
        text = auditor.get("/download/tasks.csv?" + "&".join(f"{k}={v}" for k, v in query.items())).data.decode("utf-8")
        assert text[1:] == _through_pandas(app, "auditor", "tasks", query)
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert len(rows) == _sql(world, "select count(*) from marts.mart_task_status")[0][0]
    assert {r["状态"] for r in rows} <= {"按期完成", "逾期完成", "逾期未完成", "未到期", "长期任务"}
    leader = login_client(app, "jc_leader", passwords["jc_leader"])
    scoped = leader.get("/download/tasks.csv").data.decode("utf-8")
    assert scoped[1:] == _through_pandas(app, "jc_leader", "tasks", {})
    assert {r["地区"] for r in csv.DictReader(io.StringIO(scoped[1:]))} == {"晋城市", "阳城县"}
