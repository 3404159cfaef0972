"""Issue 26 on the dashboard: the supervisor's scope, the evidence download's access rule (by URL, Flask's
client), and the whole review loop in headless Chromium (unit reports 已完成 with a PDF → awaiting review →
returned with a reason → resubmitted → approved → complete; every step in the audit log)."""
from __future__ import annotations

import json

import duckdb
import pytest

from dashboards.callback_requests import grid_rows_body, router_body
from dashboards.supervision import evidence_href
from pipelines.accounts import store_for as accounts_for
from pipelines.supervision import store_for as supervision_for
from pipelines.warehouse.publish import current_snapshot
from tests.browser.conftest import login_client, passwords_for
from tests.conftest import world_after_a_good_run

pytestmark = pytest.mark.browser


def _snapshot(paths, sql, params=None):
    with duckdb.connect(str(current_snapshot(paths.serving).path), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def pdf_by_libreoffice(folder, text: str) -> bytes:
    """A PDF as an office makes one: a Word file printed to PDF by LibreOffice (the bulletin's converter)."""
    from docx import Document
    from pipelines.bulletin.render import to_pdf
    folder.mkdir(parents=True, exist_ok=True)
    doc = Document()
    doc.add_heading("工作完成情况说明", level=1)
    doc.add_paragraph(text)
    source = folder / "完成情况说明.docx"
    doc.save(source)
    [pdf] = to_pdf([source], folder)
    return pdf.read_bytes()


def _rendered(client, page: str) -> str:
    response = client.post("/_dash-update-component", json=router_body(page))
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return json.dumps(response.get_json(), ensure_ascii=False)  # as the page holds it (Dash escapes "/" in JSON)


def test_a_yangquan_supervisor_sees_yangquan_only_and_not_the_accounts(world, app_for, passwords):
    scope = {r for (r,) in _snapshot(world.paths, "select region from intermediate.int_region_scopes where scope = '阳泉市'")}
    other = _snapshot(world.paths, "select task_id from marts.mart_task_status where region = '晋城市' limit 1")[0][0]
    own = _snapshot(world.paths, "select task_id from marts.mart_task_status where region = '阳泉市' limit 1")[0][0]
    app = app_for(world.paths.root)
    supervisor = login_client(app, "yq_supervisor", passwords["yq_supervisor"])
    assert supervisor.login_response.headers["Location"].endswith("/review")  # the supervisor's home
    grid = supervisor.post("/_dash-update-component", json=grid_rows_body("tasks", end=5000)).get_json()
    rows = grid["response"]["grid-tasks"]["getRowsResponse"]["rowData"]
    in_scope = _snapshot(world.paths, "select count(*) from marts.mart_task_status where region in (select unnest(?))",
                         [sorted(scope)])[0][0]
    assert rows and {r["region"] for r in rows} <= scope and len(rows) == in_scope
    assert "该任务不在您的查看范围" in _rendered(supervisor, f"/tasks?task={other}")
    assert "task-supervision" in _rendered(supervisor, f"/tasks?task={own}")  # review, evidence, 督办 of its own
    assert "grid-review_queue" in _rendered(supervisor, "/review") and "grid-escalations" in _rendered(supervisor, "/review")
    listed = supervisor.post("/_dash-update-component", json=grid_rows_body("escalations", end=5000)).get_json()
    listed = listed["response"]["grid-escalations"]["getRowsResponse"]["rowData"]
    in_scope = _snapshot(world.paths, "select count(*) from marts.mart_escalations where region in (select unnest(?))",
                         [sorted(scope)])[0][0]
    assert {r["region"] for r in listed} <= scope and len(listed) == in_scope  # the 督办 of its regions only
    refused = _rendered(supervisor, "/accounts")
    assert "forbidden" in refused and "account-add" not in refused
    assert supervisor.get("/download/accounts.csv").status_code == 403
    assert supervisor.get("/download/tasks.csv").get_data(as_text=True).count("晋城市") == 0


def _evidence_upload_body(data: bytes, filename: str, task_id: str | None) -> dict:
    """The /my page's evidence box as the browser posts it (dcc.Upload's data URL, the task picked)."""
    import base64
    contents = "data:application/octet-stream;base64," + base64.b64encode(data).decode()
    return {"output": "evidence-result.children", "outputs": {"id": "evidence-result", "property": "children"},
            "inputs": [{"id": "evidence-upload", "property": "contents", "value": contents}],
            "state": [{"id": "evidence-upload", "property": "filename", "value": filename},
                      {"id": "evidence-task", "property": "value", "value": task_id},
                      {"id": "url", "property": "search", "value": ""}],
            "changedPropIds": ["evidence-upload.contents"]}


def test_a_unit_attaches_evidence_to_its_own_tasks_only(world, app_for, tmp_path):
    paths, _ = world_after_a_good_run(world, tmp_path / "data")
    pw = passwords_for(paths.root)
    [(own,)] = _snapshot(paths, """select s.task_id from marts.mart_task_status s join staging.stg_task_units u
                                  using (task_id) where s.region = '阳泉市' and u.unit = '市生态环境局'
                                  order by s.task_id limit 1""")
    [(foreign,)] = _snapshot(paths, """select task_id from marts.mart_task_status where region = '晋城市'
                                      order by task_id limit 1""")
    pdf = pdf_by_libreoffice(tmp_path / "pdf", "整改完成情况。")
    unit = login_client(app_for(paths.root), "yq_sthjj", pw["yq_sthjj"])
    post = lambda *a: json.dumps(unit.post("/_dash-update-component", json=_evidence_upload_body(*a)).get_json(),
                                 ensure_ascii=False)
    assert "evidence-saved" in post(pdf, "整改报告.pdf", own)
    exe = b"MZ\x90\x00" + bytes(2000)  # a program renamed to .pdf
    refused = post(exe, "整改报告.pdf", own)
    assert "文件内容与扩展名 .pdf 不符" in refused and "does not match" in refused
    assert "不接收 .zip 文件" in post(b"PK\x03\x04" + bytes(100), "材料.zip", own)
    assert "请先选择" in post(pdf, "整改报告.pdf", None)
    assert "不能执行此操作" in post(pdf, "整改报告.pdf", foreign)  # a forged task id: not its own
    records = supervision_for(paths.root).frame("evidence")
    assert records[["task_id", "unit", "region", "uploader"]].values.tolist() == [[own, "市生态环境局", "阳泉市", "yq_sthjj"]]
    actions = [e["action"] for e in accounts_for(paths.root).audit_log(actor="yq_sthjj")]
    assert actions.count("evidence_upload") == 1 and actions.count("evidence_upload_refused") == 2


def _escalation_body(action: str, note: str, task_id: str) -> dict:
    """The task detail's 督办 buttons as the browser posts them."""
    return {"output": "escalation-result.children", "outputs": {"id": "escalation-result", "property": "children"},
            "inputs": [{"id": "escalation-issue", "property": "n_clicks", "value": 1 if action == "issue" else None},
                       {"id": "escalation-close", "property": "n_clicks", "value": 1 if action == "close" else None}],
            "state": [{"id": "escalation-note", "property": "value", "value": note},
                      {"id": "url", "property": "search", "value": f"?task={task_id}"}],
            "changedPropIds": [f"escalation-{action}.n_clicks"]}


def test_only_a_supervisor_of_the_tasks_region_issues_or_closes_a_duban(world, app_for, tmp_path):
    paths, _ = world_after_a_good_run(world, tmp_path / "data")
    pw = passwords_for(paths.root)
    [(own,)] = _snapshot(paths, "select task_id from marts.mart_task_status where region = '阳泉市' order by task_id limit 1")
    [(foreign,)] = _snapshot(paths, "select task_id from marts.mart_task_status where region = '晋城市' order by task_id limit 1")
    app = app_for(paths.root)
    supervisor = login_client(app, "yq_supervisor", pw["yq_supervisor"])
    issued = supervisor.post("/_dash-update-component", json=_escalation_body("issue", "请于月底前报送整改方案", own))
    assert "已记录，约 1 分钟后生效" in json.dumps(issued.get_json(), ensure_ascii=False)
    closed = supervisor.post("/_dash-update-component", json=_escalation_body("close", "整改方案已报送", own))
    assert closed.status_code == 200
    for client, task in ((supervisor, foreign), (login_client(app, "leader", pw["leader"]), own),
                         (login_client(app, "yq_sthjj", pw["yq_sthjj"]), own)):
        refused = client.post("/_dash-update-component", json=_escalation_body("issue", "越权", task))
        assert refused.status_code == 204  # another region's task; a leader reads only; a unit neither
    events = supervision_for(paths.root).frame("escalation_events")
    assert events[["actor", "task_id", "action", "note"]].values.tolist() == [
        ["yq_supervisor", own, "issue", "请于月底前报送整改方案"], ["yq_supervisor", own, "close", "整改方案已报送"]]
    actions = [e["action"] for e in accounts_for(paths.root).audit_log(actor="yq_supervisor")]
    assert actions.count("escalation_issue") == 1 and actions.count("escalation_close") == 1


def test_evidence_is_served_only_to_who_may_see_its_task(world, app_for, tmp_path):
    paths, _ = world_after_a_good_run(world, tmp_path / "data")
    pw = passwords_for(paths.root)
    [(task_id,), (unnamed_task,)] = _snapshot(paths, """
        select distinct s.task_id from marts.mart_task_status s join staging.stg_task_units u using (task_id)
        where s.region = '阳泉市' and u.unit = '市生态环境局' and u.role = 'lead' order by s.task_id limit 2""")
    pdf = pdf_by_libreoffice(tmp_path / "pdf", "按期完成燃煤锅炉淘汰，验收意见附后。")
    assert pdf.startswith(b"%PDF-")
    record = supervision_for(paths.root).add_evidence(pdf, "验收报告.pdf", task_id=task_id, period="2024-06",
                                                       unit="市生态环境局", region="阳泉市", uploader="yq_sthjj")
    url = evidence_href(record.sha256, task_id)
    app = app_for(paths.root)
    clients = {name: login_client(app, name, pw[name])
               for name in ("yq_sthjj", "jc_sthjj", "jc_leader", "leader", "auditor", "yq_supervisor", "admin")}

    owner = clients["yq_sthjj"].get(url)
    assert owner.status_code == 200 and owner.data == pdf
    assert owner.mimetype == "application/pdf" and "attachment" in owner.headers["Content-Disposition"]
    for allowed in ("leader", "auditor", "yq_supervisor"):
        assert clients[allowed].get(url).status_code == 200, allowed
    for refused in ("jc_sthjj", "jc_leader", "admin"):  # another unit, a leader of another region, no reader
        response = clients[refused].get(url)
        assert response.status_code == 403 and response.data != pdf, refused
    # the file must be attached to the task named: a task the owner may see, but not this file's
    assert clients["yq_sthjj"].get(evidence_href(record.sha256, unnamed_task)).status_code == 403
    assert clients["yq_sthjj"].get(f"/evidence/{record.sha256}").status_code == 403
    assert clients["yq_sthjj"].get(evidence_href("0" * 64, task_id)).status_code == 404  # unknown file
    assert clients["yq_sthjj"].get(evidence_href("..", task_id)).status_code == 404  # not a checksum: no path made of it
    assert app.server.test_client().get(url).status_code == 302  # not signed in: to the login page

    log = accounts_for(paths.root).audit_log()
    downloads = [e for e in log if e["action"] == "evidence_download"]
    assert {e["actor"] for e in downloads} == {"yq_sthjj", "leader", "auditor", "yq_supervisor"}
    assert all(e["checksum"] == record.sha256 and e["target"] == task_id for e in downloads)
    assert {e["actor"] for e in log if e["action"] == "evidence_download_refused"} >= {"jc_sthjj", "jc_leader"}
    # the task's detail lists it, with the link, to the supervisor (uploaded since the snapshot's run)
    assert evidence_href(record.sha256, task_id) in _rendered(clients["yq_supervisor"], f"/tasks?task={task_id}")


# --- the loop -------------------------------------------------------------------------------------

REVIEW_FROM = "2024-03-01"  # after the sample's last arrival (2024-02-12): only this test's reports need review


def _with_policy(paths, review_required_from: str) -> None:
    """The world's own reference folder (a deployment's override of the repository's), with its review policy."""
    import csv
    import shutil
    from pipelines.config import REPO_ROOT
    own = paths.root / "reference"
    shutil.copytree(REPO_ROOT / "data" / "reference", own, dirs_exist_ok=True)
    policy = own / "review_policy.csv"
    with policy.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        if row["key"] == "review_required_from":
            row["value"] = review_required_from
    with policy.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def resaved_by_libreoffice(path, folder):
    """The workbook as LibreOffice Calc saves it again (as a clerk's office suite would)."""
    import shutil
    import subprocess
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run([shutil.which("soffice"), f"-env:UserInstallation={(folder / 'lo_profile').as_uri()}", "--headless",
                    "--convert-to", "xlsx", "--outdir", str(folder), str(path)], check=True, capture_output=True,
                   timeout=180)
    return folder / path.name


def _browser_session(dash_duo):
    import requests
    session = requests.Session()  # the browser's session: its cookie and (strong session protection) its agent
    session.headers["User-Agent"] = dash_duo.driver.execute_script("return navigator.userAgent")
    for c in dash_duo.driver.get_cookies():
        session.cookies.set(c["name"], c["value"])
    return session


def _report_done(dash_duo, paths, tmp_path, task_id: str, narrative: str, received, name: str) -> str:
    """The signed-in unit downloads its template, reports the task 已完成 with a date cell, has LibreOffice
    save it again, uploads it; the file is dated as arrived at ``received``. Returns its inbox name."""
    from datetime import datetime
    from pipelines.submissions.ingest import mark_received
    from tests.browser.test_auth import _fill
    before = {p.name for p in paths.inbox.iterdir()}
    template = _browser_session(dash_duo).get(f"{dash_duo.server_url}/my/template.xlsx")
    assert template.status_code == 200
    filled = _fill(template.content, [{task_id: {"status": "已完成", "percent": 100,
                                                 "completed_on": datetime(2024, 6, 20), "narrative": narrative}}],
                   tmp_path / name)
    resaved = resaved_by_libreoffice(filled, tmp_path / f"calc_{name}")
    dash_duo.find_element("#upload input[type=file]").send_keys(str(resaved))
    dash_duo.wait_for_contains_text("#upload-summary", "入库 1 行", timeout=30)
    [arrived] = [p for p in paths.inbox.iterdir() if p.is_file() and not p.name.startswith(".")
                 and p.name not in before]
    mark_received(arrived, received)
    return arrived.name


def _sensor_run(paths, job_name: str = "submissions_job") -> None:
    """What the supervision and inbox sensors start: the submissions job (store and inbox read, KPIs rebuilt,
    published); ``publish_job`` is the daily refresh, which also reads the reference folder (the policy)."""
    import dagster as dg
    from pipelines.definitions import build_defs
    from pipelines.defs.resources import PlanKpiResource
    from tests.conftest import AS_OF
    job = build_defs(PlanKpiResource(data_dir=str(paths.root), as_of=AS_OF)).resolve_job_def(job_name)
    assert job.execute_in_process(instance=dg.DagsterInstance.ephemeral()).success


def _switch(dash_duo, username: str, password: str, landing: str) -> None:
    from tests.browser.conftest import login
    dash_duo.driver.get(f"{dash_duo.server_url}/logout")
    login(dash_duo, username, password, landing)


def _open_task_and_decide(dash_duo, task_id: str, title: str, button: str, reason: str = "") -> None:
    """The supervisor opens the task from the review queue, sees the evidence, and decides."""
    from selenium.webdriver.common.by import By
    dash_duo.driver.get(f"{dash_duo.server_url}/review")
    # the queue is a grid: the supervisor filters it by the task's title, as a reader does, and its row (row id
    # <task_id>:<report key>) opens the task's detail
    row = f"#grid-review_queue .ag-row[row-id^='{task_id}:'] .ag-cell[col-id='task']"
    dash_duo.wait_for_element("#grid-review_queue .ag-row", timeout=15)
    dash_duo.driver.execute_script("""dash_ag_grid.getApi('grid-review_queue').setFilterModel(
        {title: {filterType: 'text', type: 'contains', filter: arguments[0]}});""", title)
    dash_duo.wait_for_element(row, timeout=15)
    dash_duo.driver.find_element(By.CSS_SELECTOR, row).click()
    dash_duo.wait_for_contains_text("#task-evidence", "完成情况说明.pdf", timeout=15)
    if reason:
        dash_duo.find_element(".review-reason").send_keys(reason)
    dash_duo.find_element(f".{button}").click()
    dash_duo.wait_for_contains_text("#review-recorded", "已记录，约 1 分钟后生效", timeout=15)


def test_the_review_loop_from_report_to_closed_task(world, app_for, dash_duo, tmp_path, monkeypatch):
    from datetime import datetime, timedelta, timezone
    from dashboards import formats
    from pipelines.supervision import store as supervision_store
    from tests.browser.conftest import login, start
    from tests.conftest import AS_OF
    # the world is as of AS_OF and a build never reads a decision made after its as-of date: the
    # supervisor's clicks happen on the world's days (the dashboard runs in this process)
    today = [datetime.fromisoformat(AS_OF).replace(hour=2, tzinfo=timezone.utc) - timedelta(days=8)]
    monkeypatch.setattr(supervision_store, "now", lambda: today[0])
    paths, _ = world_after_a_good_run(world, tmp_path / "data")
    _with_policy(paths, REVIEW_FROM)
    pw = passwords_for(paths.root)
    [(task_id, plan_title, no, title)] = _snapshot(paths, """
        select s.task_id, s.plan_title, s.no, s.title from marts.mart_task_status s
        join staging.stg_task_units u using (task_id)
        where s.region = '阳泉市' and u.unit = '市生态环境局' and u.role = 'lead' and s.status_class = 'overdue'
          and s.lead_units_total = 1  -- its only lead unit: its 已完成 completes the task once approved
        order by s.task_id limit 1""")
    [(completed_before, awaiting_before)] = _snapshot(paths, "select tasks_completed, tasks_awaiting_review from marts.mart_headline")
    as_of = datetime.fromisoformat(AS_OF)
    pdf = pdf_by_libreoffice(tmp_path / "pdf", "燃煤锅炉已全部淘汰，验收意见及现场照片附后。")
    (tmp_path / "pdf" / "完成情况说明.pdf").write_bytes(pdf)

    # 1. the unit reports 已完成 and attaches a PDF as evidence
    start(dash_duo, app_for(paths.root))
    login(dash_duo, "yq_sthjj", pw["yq_sthjj"], "#my-unit")
    first = _report_done(dash_duo, paths, tmp_path, task_id, "已全部完成", as_of - timedelta(days=10), "阳泉_第一次.xlsx")
    dash_duo.driver.set_window_size(1600, 3200)  # the whole /my page in view: the upload's answer above pushes the box down
    dash_duo.select_dcc_dropdown("#evidence-task", value=f"{formats.task_name(plan_title, no, 'zh')} "
                                                         f"{formats.plain(title)[:40]}")
    dash_duo.find_element("#evidence-upload input[type=file]").send_keys(str(tmp_path / "pdf" / "完成情况说明.pdf"))
    dash_duo.wait_for_contains_text("#evidence-saved", "已上传佐证材料 完成情况说明.pdf", timeout=20)
    _sensor_run(paths, "publish_job")  # the daily refresh: reads this world's review policy, then the inbox and store
    [(status, completed, awaiting)] = _snapshot(paths, """select s.status_class, h.tasks_completed, h.tasks_awaiting_review
                                                          from marts.mart_task_status s, marts.mart_headline h
                                                          where s.task_id = ?""", [task_id])
    assert (status, completed, awaiting) == ("awaiting_review", completed_before, awaiting_before + 1)

    # 2. the leader's overview: one more awaiting review, not complete
    _switch(dash_duo, "leader", pw["leader"], "#nav-overview")
    dash_duo.wait_for_text_to_equal("#kpi-awaiting-review", formats.number(awaiting_before + 1), timeout=15)

    # 3. the supervisor opens the task, sees the evidence, returns it with a reason
    reason = "佐证材料缺少验收意见原件，请补充后重新报送"
    _switch(dash_duo, "yq_supervisor", pw["yq_supervisor"], "#grid-review_queue")
    _open_task_and_decide(dash_duo, task_id, title, "review-return", reason)
    href = dash_duo.find_element("#task-evidence a").get_attribute("href")
    download = _browser_session(dash_duo).get(href)
    assert download.status_code == 200 and download.content == pdf
    _sensor_run(paths)
    assert _snapshot(paths, "select review_state, returned_reason from marts.mart_review_queue where task_id = ?",
                     [task_id]) == [("returned", reason)]

    # 4. the unit reads the reason on its page and reports again
    _switch(dash_duo, "yq_sthjj", pw["yq_sthjj"], "#my-unit")
    dash_duo.wait_for_contains_text("#my-returned", reason, timeout=15)
    second = _report_done(dash_duo, paths, tmp_path, task_id, "已全部完成，验收意见原件已补充", as_of - timedelta(days=3),
                          "阳泉_第二次.xlsx")
    assert second != first
    _sensor_run(paths)

    # 5. the supervisor approves, the day before as_of; after the sensor's run the task is complete (销号)
    today[0] = datetime.fromisoformat(AS_OF).replace(hour=2, tzinfo=timezone.utc) - timedelta(days=1)
    _switch(dash_duo, "yq_supervisor", pw["yq_supervisor"], "#grid-review_queue")
    _open_task_and_decide(dash_duo, task_id, title, "review-approve")
    _sensor_run(paths)
    [(status, completed, awaiting, closed_on)] = _snapshot(paths, """
        select s.status_class, h.tasks_completed, h.tasks_awaiting_review, s.closed_on
        from marts.mart_task_status s, marts.mart_headline h where s.task_id = ?""", [task_id])
    assert status.startswith("completed") and closed_on is not None
    assert (completed, awaiting) == (completed_before + 1, awaiting_before)
    _switch(dash_duo, "leader", pw["leader"], "#nav-overview")
    dash_duo.driver.get(f"{dash_duo.server_url}/tasks?task={task_id}")
    dash_duo.wait_for_contains_text("#review-history", "通过", timeout=15)
    assert "退回" in dash_duo.find_element("#review-history").text and reason in dash_duo.find_element("#review-history").text

    # the audit log holds every step, each by whom it was done
    actions = [(e["actor"], e["action"]) for e in accounts_for(paths.root).audit_log()]
    for step in [("yq_sthjj", "upload"), ("yq_sthjj", "evidence_upload"), ("yq_supervisor", "evidence_download"),
                 ("yq_supervisor", "review_return"), ("yq_supervisor", "review_approve")]:
        assert step in actions, step
    assert actions.count(("yq_sthjj", "upload")) == 2
    # and another unit cannot download the evidence, by URL
    other = login_client(app_for(paths.root), "jc_sthjj", pw["jc_sthjj"])
    assert other.get(href.replace(dash_duo.server_url, "")).status_code == 403
