"""Login, roles and a unit's own upload, in headless Chromium; forged requests through Flask's client."""
from __future__ import annotations

from datetime import datetime, timedelta
from io import BytesIO
from pathlib import Path

import duckdb
import openpyxl
import pytest
import requests

from dashboards.callback_requests import grid_rows_body
import pipelines.accounts as accounts
from pipelines.accounts import FREE_PER_PAIR, store_for
from pipelines.submissions.contract import PROGRESS_COLUMNS
from pipelines.submissions.ingest import mark_received
from pipelines.submissions.templates import GUIDE_ROWS
from pipelines.warehouse.publish import current_snapshot
from tests.browser.conftest import login, login_client, passwords_for, start
from tests.conftest import AS_OF, world_after_a_good_run

pytestmark = pytest.mark.browser

SEES = {  # role -> the navigation it gets, exactly
    "leader": ["nav-overview", "nav-tasks_page", "nav-targets_page", "nav-units_page", "nav-review_page"],
    "auditor": ["nav-overview", "nav-tasks_page", "nav-targets_page", "nav-units_page", "nav-review_page",
                "nav-quality_page", "nav-audit_page"],
    "yq_sthjj": ["nav-my_page"],
    "admin": ["nav-audit_page", "nav-accounts_page"],
}
REFUSED = {"leader": "/quality", "auditor": "/my", "yq_sthjj": "/tasks", "admin": "/"}
LANDING = {"leader": "#nav-overview", "auditor": "#nav-overview", "yq_sthjj": "#my-unit", "admin": "#nav-accounts_page"}


def _snapshot(paths, sql, params=None):
    with duckdb.connect(str(current_snapshot(paths.serving).path), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


@pytest.mark.parametrize("user", list(SEES))
def test_each_role_sees_exactly_its_pages(world, app_for, dash_duo, passwords, user):
    start(dash_duo, app_for(world.paths.root))
    login(dash_duo, user, passwords[user], LANDING[user])
    links = [e.get_attribute("id") for e in dash_duo.find_elements("a.nav-link")]
    assert links == SEES[user]
    dash_duo.driver.get(f"{dash_duo.server_url}{REFUSED[user]}")
    dash_duo.wait_for_element("#forbidden", timeout=10)
    assert "无权访问" in dash_duo.find_element("#forbidden").text
    assert not dash_duo.find_elements(".ag-root")  # nothing of the refused page was sent


def _download_url(table: str) -> str:
    return f"/download/{table}.csv?region=晋城市"


def test_a_unit_gets_nothing_by_forged_requests_or_urls(world, app_for, passwords):
    app = app_for(world.paths.root)
    unit = login_client(app, "yq_sthjj", passwords["yq_sthjj"])
    auditor = login_client(app, "auditor", passwords["auditor"])
    for table in ("tasks", "quarantine", "audit_log", "units"):
        assert auditor.get(_download_url(table)).status_code == 200
        refused = unit.get(_download_url(table))
        assert refused.status_code == 403 and "晋城市" not in refused.get_data(as_text=True)  # a hand-made link
        rows = unit.post("/_dash-update-component", json=grid_rows_body(table, "?region=晋城市"))
        assert rows.status_code == 204 and rows.data == b""  # nor a grid's rows
    # its own template only: no parameter names a unit, a query naming another is ignored
    own = unit.get("/my/template.xlsx?region=晋城市&unit=市生态环境局")
    sheet = openpyxl.load_workbook(BytesIO(own.data)).active
    assert "阳泉市" in own.headers["Content-Disposition"] or "%E9%98%B3%E6%B3%89" in own.headers["Content-Disposition"]
    ids = {r[0] for r in sheet.iter_rows(min_row=2, values_only=True) if r[0]}
    regions = {r for (r,) in _snapshot(world.paths, "select distinct region from raw.tasks where task_id in (select unnest(?))",
                                        [sorted(ids)])}
    assert ids and regions == {"阳泉市"}
    assert auditor.get("/my/template.xlsx").status_code == 403
    assert app.server.test_client().post("/_dash-update-component", json=grid_rows_body("tasks")).status_code == 401
    assert app.server.test_client().get(_download_url("tasks")).status_code == 302  # to the login page
    assert app.server.test_client().get("/tasks").status_code == 302  # to the login page


def test_a_city_leader_sees_the_city_and_its_counties_only(world, app_for, dash_duo, passwords):
    scope = {r for (r,) in _snapshot(world.paths, "select region from intermediate.int_region_scopes where scope = '晋城市'")}
    assert scope >= {"晋城市", "阳城县"} and "阳泉市" not in scope
    tasks, province = _snapshot(world.paths, """
        select (select tasks_total from marts.mart_scope_headline where scope = '晋城市'),
               (select tasks_total from marts.mart_scope_headline where scope = '山西省')""")[0]
    assert province == _snapshot(world.paths, "select tasks_total from marts.mart_headline")[0][0] > tasks > 0
    in_scope = _snapshot(world.paths, "select count(*) from marts.mart_task_status where region in ('晋城市', '阳城县')")[0][0]
    assert tasks == in_scope
    start(dash_duo, app_for(world.paths.root))
    login(dash_duo, "jc_leader", passwords["jc_leader"])
    dash_duo.wait_for_text_to_equal("#kpi-tasks", str(tasks), timeout=15)
    dash_duo.driver.get(f"{dash_duo.server_url}/tasks")
    dash_duo.wait_for_contains_text("#count-tasks", str(in_scope), timeout=15)
    other = _snapshot(world.paths, "select task_id from marts.mart_task_status where region = '阳泉市' limit 1")[0][0]
    dash_duo.driver.get(f"{dash_duo.server_url}/tasks?task={other}")
    dash_duo.wait_for_contains_text("#task-detail", "该任务不在您的查看范围", timeout=15)  # beside their region
    assert other not in dash_duo.find_element("#task-detail").text
    # the download of the same table holds the same rows only
    client = login_client(app_for(world.paths.root), "jc_leader", passwords["jc_leader"])
    body = client.get(_download_url("tasks")).get_data(as_text=True)
    assert "晋城市" in body and "阳泉市" not in body
    # and the grid's blocks, in any order the leader sorts them
    grid = client.post("/_dash-update-component", json=grid_rows_body(
        "tasks", end=1000, sort=[{"colId": "region", "sort": "desc"}])).get_json()["response"]["grid-tasks"]
    rows = grid["getRowsResponse"]
    assert rows["rowCount"] == in_scope == len(rows["rowData"])
    assert {r["region"] for r in rows["rowData"]} <= scope and rows["rowData"][0]["region"] == "阳城县"


def test_wrong_passwords_slow_the_browser_down_and_are_counted_in_the_audit_log(world, app_for, dash_duo, tmp_path,
                                                                                 monkeypatch):
    paths, _ = world_after_a_good_run(world, tmp_path / "data")  # its own audit log
    pw = passwords_for(paths.root)
    now = [accounts._now()]  # the server's clock stands still (a browser's round trip can take seconds here)
    monkeypatch.setattr(accounts, "_now", lambda: now[0])
    start(dash_duo, app_for(paths.root))
    for _ in range(FREE_PER_PAIR):
        login(dash_duo, "jc_sthjj", "not-the-password", landing="#login-error")
        assert "用户名或密码错误" in dash_duo.find_element("#login-error").text
    login(dash_duo, "jc_sthjj", pw["jc_sthjj"], landing="#login-error")  # this browser must wait
    assert "尝试过于频繁" in dash_duo.find_element("#login-error").text
    log = store_for(paths.root).audit_log(actor="jc_sthjj", action="login_failed")
    assert [e["detail"].split(" failed")[0] for e in log] == ["4", "2", "1"]  # counted, not a row each
    now[0] += timedelta(seconds=3)  # the back-off: 1 s after the 5th failure, 2 s after the refused 6th attempt
    login(dash_duo, "jc_sthjj", pw["jc_sthjj"], landing="#my-unit")  # then it is let in


def _fill(template: bytes, rows: list[dict], path: Path) -> Path:
    """The template filled in as a unit would: status, percent, completion date, narrative."""
    wb = openpyxl.load_workbook(BytesIO(template))
    ws = wb.active
    header = [PROGRESS_COLUMNS.get(c.value, c.value) for c in ws[GUIDE_ROWS + 1]]  # 任务编号 -> task_id …
    for row in ws.iter_rows(min_row=GUIDE_ROWS + 2):
        task = row[header.index("task_id")].value
        if task in rows[0]:
            for column, value in rows[0][task].items():
                row[header.index(column)].value = value
        else:
            for cell in row:
                cell.value = None  # only the rows we report on
    for extra in rows[1:]:
        ws.append([extra.get(h) for h in header])
    wb.save(path)
    return path


def test_a_unit_downloads_fills_and_uploads_its_report_and_the_leader_sees_it(world, app_for, dash_duo, tmp_path):
    paths, _ = world_after_a_good_run(world, tmp_path / "data")
    pw = passwords_for(paths.root)
    open_task, other_unit_task = _snapshot(paths, """
        select (select s.task_id from marts.mart_task_status s join staging.stg_task_units u using (task_id)
                where s.region = '阳泉市' and u.unit = '市生态环境局' and u.role = 'lead' and s.status_class = 'overdue'
                  and s.lead_units_total = 1  -- its only lead unit: its 已完成 completes the task
                order by s.task_id limit 1),
               -- 晋城's office of the same name: only the sender rule tells it from 阳泉's
               (select s.task_id from marts.mart_task_status s join staging.stg_task_units u using (task_id)
                where s.region = '晋城市' and u.unit = '市生态环境局' order by s.task_id limit 1)""")[0]
    completed_before = _snapshot(paths, "select tasks_completed from marts.mart_headline")[0][0]
    start(dash_duo, app_for(paths.root))
    login(dash_duo, "yq_sthjj", pw["yq_sthjj"], "#my-unit")
    session = requests.Session()  # the browser's session: its cookie and (strong session protection) its agent
    session.headers["User-Agent"] = dash_duo.driver.execute_script("return navigator.userAgent")
    for c in dash_duo.driver.get_cookies():
        session.cookies.set(c["name"], c["value"])
    template = session.get(f"{dash_duo.server_url}/my/template.xlsx")
    assert template.status_code == 200
    period = AS_OF[:7]
    filled = _fill(template.content, [
        {open_task: {"status": "已完成", "percent": 100, "completed_on": "2024-06-20", "narrative": "已全部完成"}},
        {"task_id": other_unit_task, "period": period, "reporting_unit": "市生态环境局", "status": "推进中",
         "percent": 50},
    ], tmp_path / "阳泉生态环境局_2024-06.xlsx")
    dash_duo.find_element("#upload input[type=file]").send_keys(str(filled))
    dash_duo.wait_for_contains_text("#upload-summary", "入库 1 行，拒收 1 行", timeout=20)
    assert "只能以登录单位" in dash_duo.find_element("#upload-reasons").text
    inbox = [p.name for p in paths.inbox.iterdir() if p.is_file() and not p.name.startswith(".")]
    assert len(inbox) == 1 and (paths.inbox / f".{inbox[0]}.sender.json").exists()

    # The test world lives at AS_OF, and a report counts from its arrival (issue 23): the clerk "sent" it
    # a few days before, as the inbox's modification time says.
    mark_received(paths.inbox / inbox[0], datetime.fromisoformat(AS_OF) - timedelta(days=5))
    # the inbox sensor's job ingests it through the same path and publishes
    import dagster as dg
    from pipelines.definitions import build_defs
    from pipelines.defs.resources import PlanKpiResource
    job = build_defs(PlanKpiResource(data_dir=str(paths.root), as_of=AS_OF)).resolve_job_def("submissions_job")
    assert job.execute_in_process(instance=dg.DagsterInstance.ephemeral()).success
    landed = _snapshot(paths, """select status, rows_landed, rows_rejected, submitted_by from raw.ingested_files
                                 where file_name = ?""", [inbox[0]])
    assert landed == [("partial", 1, 1, "yq_sthjj")]
    assert _snapshot(paths, "select rule from raw.quarantine where file_name = ?", [inbox[0]]) == [("sender_unit",)]
    assert _snapshot(paths, "select tasks_completed from marts.mart_headline")[0][0] == completed_before + 1

    dash_duo.driver.get(f"{dash_duo.server_url}/my")
    dash_duo.wait_for_contains_text("#grid-my_uploads", "部分入库", timeout=15)
    dash_duo.driver.get(f"{dash_duo.server_url}/logout")
    login(dash_duo, "leader", pw["leader"])
    dash_duo.driver.get(f"{dash_duo.server_url}/tasks?task={open_task}")
    dash_duo.wait_for_contains_text("#task-reports", "已全部完成", timeout=15)
    headline = _snapshot(paths, "select completion_rate from marts.mart_headline")[0][0]
    dash_duo.driver.get(f"{dash_duo.server_url}/")
    dash_duo.wait_for_text_to_equal("#kpi-completion", f"{headline * 100:.1f}%", timeout=15)

    # the audit log holds the logins, the template download and the upload (with its checksum) ...
    log = store_for(paths.root).audit_log()
    actions = [(e["actor"], e["action"]) for e in log]
    for expected in [("yq_sthjj", "login"), ("yq_sthjj", "template_download"), ("yq_sthjj", "upload"),
                     ("leader", "login"), ("yq_sthjj", "logout")]:
        assert expected in actions
    upload = next(e for e in log if e["action"] == "upload")
    import hashlib
    assert upload["checksum"] == hashlib.sha256(filled.read_bytes()).hexdigest()
    # ... and no password is in any file of the data folder: logs, tables, snapshots, the account store
    for f in paths.root.rglob("*"):
        if f.is_file():
            content = f.read_bytes()
            assert not any(p.encode() in content for p in pw.values()), f
