"""Issue 26 on the dashboard: the supervisor's scope, the evidence download's access rule (by URL, Flask's
client), and the whole review loop in headless Chromium (unit reports 已完成 with a PDF → awaiting review →
returned with a reason → resubmitted → approved → complete; every step in the audit log)."""
from __future__ import annotations

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
    return response.get_data(as_text=True)


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
    assert "review-queue" in _rendered(supervisor, "/review") or "count-review-queue" in _rendered(supervisor, "/review")
    refused = _rendered(supervisor, "/accounts")
    assert "forbidden" in refused and "account-add" not in refused
    assert supervisor.get("/download/accounts.csv").status_code == 403
    assert supervisor.get("/download/tasks.csv").get_data(as_text=True).count("晋城市") == 0


def test_evidence_is_served_only_to_who_may_see_its_task(world, app_for, tmp_path):
    paths, _ = world_after_a_good_run(world, tmp_path / "data")
    pw = passwords_for(paths.root)
    [(task_id,), (unnamed_task,)] = _snapshot(paths, """
        select distinct s.task_id from marts.mart_task_status s join staging.stg_task_units u using (task_id)
        where s.region = '阳泉市' and u.unit = '市生态环境局' and u.role = 'lead' order by s.task_id limit 2""")
    pdf = pdf_by_libreoffice(tmp_path / "pdf", "按期完成燃煤锅炉淘汰，验收意见附后。")
    assert pdf.startswith(b"%PDF-") and b"LibreOffice" in pdf
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
    assert clients["yq_sthjj"].get(evidence_href("..%2F..%2Faccounts", task_id)).status_code == 404
    assert app.server.test_client().get(url).status_code == 302  # not signed in: to the login page

    log = accounts_for(paths.root).audit_log()
    downloads = [e for e in log if e["action"] == "evidence_download"]
    assert {e["actor"] for e in downloads} == {"yq_sthjj", "leader", "auditor", "yq_supervisor"}
    assert all(e["checksum"] == record.sha256 and e["target"] == task_id for e in downloads)
    assert {e["actor"] for e in log if e["action"] == "evidence_download_refused"} >= {"jc_sthjj", "jc_leader"}
    # the task's detail lists it, with the link, to the supervisor (uploaded since the snapshot's run)
    assert evidence_href(record.sha256, task_id) in _rendered(clients["yq_supervisor"], f"/tasks?task={task_id}")
