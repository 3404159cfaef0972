"""Issue 26 through Dagster and the marts: a unit's 已完成 awaits review, a supervisor's decisions (written to
the supervision store, never the warehouse) reach the marts on the next run the sensor starts; reminders of
the world's date go to the outbox and arrive at a local SMTP server."""
from __future__ import annotations

import csv
import shutil
import socket
import subprocess
from datetime import date, datetime, timezone

import dagster as dg
import duckdb
import pytest
from openpyxl import load_workbook

from pipelines.accounts import store_for as accounts_for
from pipelines.config import REPO_ROOT
from pipelines.submissions.ingest import mark_received
from pipelines.submissions.templates import GUIDE_ROWS
from pipelines.supervision import store_for
from pipelines.supervision.reminders import CSV_NAME, SmtpSettings, send_reminders
from pipelines.warehouse.publish import current_snapshot, current_snapshot_path
from tests.conftest import AS_OF, world_after_a_good_run

pytestmark = pytest.mark.pipeline


def _snapshot(paths):
    return duckdb.connect(str(current_snapshot(paths.serving).path), read_only=True)


def _run(paths, job):
    from pipelines.definitions import build_defs
    from pipelines.defs.resources import PlanKpiResource
    defs = build_defs(PlanKpiResource(data_dir=str(paths.root), as_of=AS_OF))
    result = defs.resolve_job_def(job).execute_in_process(instance=dg.DagsterInstance.ephemeral(),
                                                          raise_on_error=False)
    assert result.success, f"{job} failed"


def _resave_with_libreoffice(src, out_dir):
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed: make test installs it")
    out_dir.mkdir()
    subprocess.run([soffice, f"-env:UserInstallation=file://{out_dir.parent / 'lo_profile'}", "--headless",
                    "--convert-to", "xlsx", "--outdir", str(out_dir), str(src)], check=True, capture_output=True,
                   timeout=180)
    return out_dir / src.name


def _filled_template(paths, tmp_path, region, unit, done_tasks, received: datetime) -> str:
    """The unit's May 2024 template, done_tasks reported 已完成 (a real date cell), the rest 推进中, re-saved
    by LibreOffice and dropped into the inbox as having arrived at `received`; returns the file's name."""
    from pipelines.steps import write_templates
    name = f"进展填报_{region}_{unit}_2024-05.xlsx"
    template = next(p for p in write_templates(paths, "2024-05") if p.name == name)
    wb = load_workbook(template)
    ws = wb["进展填报"]
    col = {c.value: c.column for c in ws[GUIDE_ROWS + 1]}
    seen = set()
    for r in range(GUIDE_ROWS + 2, ws.max_row + 1):
        task = ws.cell(r, col["任务编号"]).value
        done = task in done_tasks
        seen.add(task)
        ws.cell(r, col["进展状态"]).value = "已完成" if done else "推进中"
        ws.cell(r, col["完成进度(%)"]).value = 100 if done else 60
        ws.cell(r, col["完成日期"]).value = datetime(2024, 5, 20) if done else None
        ws.cell(r, col["进展情况"]).value = "已完成验收" if done else "按计划推进"
    assert set(done_tasks) <= seen
    folder = tmp_path / f"filled-{unit}"
    folder.mkdir()
    wb.save(folder / name)
    resaved = _resave_with_libreoffice(folder / name, folder / "calc")
    shutil.copy(resaved, paths.inbox / name)
    mark_received(paths.inbox / name, received)
    return name


def review_required_from(paths, day: str) -> None:
    """The world's own reference tables, with review_policy.csv requiring review from `day`."""
    reference = paths.root / "reference"
    shutil.copytree(REPO_ROOT / "data" / "reference", reference)
    policy = (reference / "review_policy.csv").read_text(encoding="utf-8")
    (reference / "review_policy.csv").write_text(policy.replace("review_required_from,2024-07-01",
                                                                f"review_required_from,{day}"), encoding="utf-8")


def _pdf(tmp_path):
    src = tmp_path / "验收意见.txt"
    src.write_text("污水处理厂提标改造工程已于2024年5月20日通过竣工验收。\n", encoding="utf-8")
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'lo_profile'}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)], check=True, capture_output=True,
                   timeout=180)
    return (tmp_path / "验收意见.pdf").read_bytes()


def test_review_decisions_reach_the_marts_on_the_sensors_run(world, tmp_path, monkeypatch):
    paths, _ = world_after_a_good_run(world, tmp_path / "data")
    # review from 2024-03-01: after the sample's last report (2024-02-12), before this world's new one
    review_required_from(paths, "2024-03-01")
    before = _snapshot(paths)
    completed_before = before.execute("select tasks_completed from marts.mart_headline").fetchone()[0]
    # a unit that alone leads open tasks: its May 2024 template, two of them reported 已完成 (a real date cell)
    unit, region = before.execute("""select lead_unit, region from marts.mart_task_status
                                     where lead_units_total = 1 and not is_completed and not is_ongoing
                                     group by all order by count(*) desc, 1 limit 1""").fetchone()
    open_tasks = {t for (t,) in before.execute(
        "select task_id from marts.mart_task_status where lead_units_total = 1 and not is_completed "
        "and not is_ongoing and lead_unit = ? and region = ?", [unit, region]).fetchall()}
    before.close()
    reported = sorted(open_tasks)[:2]
    assert len(reported) == 2
    _filled_template(paths, tmp_path, region, unit, reported, datetime(2024, 6, 3, 9, 30))
    store = store_for(paths.root)
    store.add_evidence(_pdf(tmp_path), "验收意见.pdf", task_id=reported[0], period="2024-05", unit=unit,
                       region=region, uploader="unit_demo")
    _run(paths, "publish_job")  # reads the world's review policy

    con = _snapshot(paths)
    rows = con.execute("""select task_id, status_class, review_state, is_completed, is_overdue, reported_complete_on
                          from marts.mart_task_status where task_id in (?, ?) order by task_id""", reported).fetchall()
    assert [r[1:] for r in rows] == [("awaiting_review", "pending_review", False, False, date(2024, 6, 3))] * 2
    head = con.execute("select tasks_completed, tasks_awaiting_review from marts.mart_headline").fetchone()
    assert head == (completed_before, 2)  # reported complete is not complete: shown apart
    scope = con.execute("select tasks_awaiting_review from marts.mart_scope_headline where scope = ?",
                        [region]).fetchone()
    assert scope == (2,)
    queue = {r[0]: r[1:] for r in con.execute(
        "select task_id, report_key, unit, review_state, evidence_count from marts.mart_review_queue").fetchall()}
    assert set(queue) == set(reported)
    assert queue[reported[0]][1:] == (unit, "pending_review", 1) and queue[reported[1]][3] == 0
    assert con.execute("select filename, media_type, uploader from marts.mart_evidence").fetchall() == [
        ("验收意见.pdf", "application/pdf", "unit_demo")]
    con.close()

    # the supervisor approves one and returns the other, in the store; the sensor asks for a run
    monkeypatch.setenv("PLANKPI_DATA", str(paths.root))
    from pipelines.defs.automation import supervision_sensor
    cursor = str(store.max_seq())
    decided = datetime(2024, 6, 30, 2, 0, tzinfo=timezone.utc)  # the world's last day (its as-of)
    store.decide(reported[0], unit, "2024-05", queue[reported[0]][0], "approve", None, "sup_demo", at=decided)
    store.decide(reported[1], unit, "2024-05", queue[reported[1]][0], "return", "缺少验收报告，请补充后重报", "sup_demo",
                 at=decided)
    store.decide(reported[0], unit, "2024-05", queue[reported[0]][0], "return", "（次日误点）", "sup_demo",
                 at=datetime(2024, 7, 1, 2, 0, tzinfo=timezone.utc))  # after as_of: not read by this world
    request = supervision_sensor(dg.build_sensor_context(cursor=cursor))
    assert isinstance(request, dg.RunRequest)
    assert isinstance(supervision_sensor(dg.build_sensor_context(cursor=str(store.max_seq()))), dg.SkipReason)
    _run(paths, request.job_name or "submissions_job")

    con = _snapshot(paths)
    status = {r[0]: r[1:] for r in con.execute(
        """select task_id, status_class, review_state, is_completed, closed_on
           from marts.mart_task_status where task_id in (?, ?)""", reported).fetchall()}
    # decided on as_of; the later return of reported[0] (2024-07-01) is not read as of 2024-06-30
    assert status[reported[0]][1:] == ("approved", True, date(2024, 6, 30))
    assert status[reported[0]][0] in ("completed_on_time", "completed_late")
    assert status[reported[1]][:3] == ("overdue", "returned", False)  # back to the unit: overdue again
    head = con.execute("select tasks_completed, tasks_awaiting_review, median_days_to_review "
                       "from marts.mart_headline").fetchone()
    assert head == (completed_before + 1, 0, 27)  # arrived 2024-06-03, approved (as of) 2024-06-30
    assert con.execute("select task_id, review_state, returned_reason, returned_by from marts.mart_review_queue"
                       ).fetchall() == [(reported[1], "returned", "缺少验收报告，请补充后重报", "sup_demo")]
    assert con.execute("select task_id, decision, reason, actor, counts_from from marts.mart_review_history "
                       "order by seq").fetchall() == [
        (reported[0], "approve", None, "sup_demo", date(2024, 6, 30)),
        (reported[1], "return", "缺少验收报告，请补充后重报", "sup_demo", date(2024, 6, 30))]
    # the returned report is a reminder to resubmit, with the supervisor's reason, in the outbox's letter
    assert con.execute("select task_id, unit, period, reason from marts.mart_reminders where kind = 'resubmit'"
                       ).fetchall() == [(reported[1], unit, "2024-05", "缺少验收报告，请补充后重报")]
    con.close()
    result = send_reminders(current_snapshot_path(paths.serving), tmp_path / "outbox", date.fromisoformat(AS_OF))
    [letter] = [x for x in result.letters if (x.region, x.unit) == (region, unit)]
    text = letter.path.read_text(encoding="utf-8")
    assert "【退回待重报】" in text and "退回理由：缺少验收报告，请补充后重报" in text and reported[1] in text
    assert "[returned: resubmit]" in text
    with open(result.folder / CSV_NAME, encoding="utf-8-sig") as f:
        listed = [r for r in csv.DictReader(f) if r["kind"] == "resubmit"]
    assert [(r["task_id"], r["reason"]) for r in listed] == [(reported[1], "缺少验收报告，请补充后重报")]
    actions = [r["action"] for r in accounts_for(paths.root).audit_log()]
    assert actions[:4] == ["review_return", "review_return", "review_approve", "evidence_upload"]


class _Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        from email import message_from_bytes, policy
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_reminders_of_the_worlds_date_reach_the_outbox_and_a_local_smtp_server(world, tmp_path):
    from aiosmtpd.controller import Controller
    snapshot = current_snapshot_path(world.paths.serving)
    con = duckdb.connect(str(snapshot), read_only=True)
    late = {tuple(r) for r in con.execute("select region, unit from marts.mart_reminders").fetchall()}
    # a lead unit with a period due and nothing sent is reminded (mart_reporting_units: missing) — and units
    # that reported some of their tasks but not all are reminded too
    missing = {tuple(r) for r in con.execute(
        "select distinct region, unit from marts.mart_reporting_units where report_status = 'missing'").fetchall()}
    contacts = {(r["region"], r["unit"]): r["email"] for r in
                csv.DictReader(open(REPO_ROOT / "data" / "reference" / "unit_contacts.csv", encoding="utf-8"))}
    con.close()
    assert missing and missing <= late
    handler = _Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        result = send_reminders(snapshot, tmp_path / "outbox", date.fromisoformat(AS_OF),
                                SmtpSettings(host="127.0.0.1", port=controller.port))
    finally:
        controller.stop()
    assert set(result.units) == late and not result.mail_errors
    folder = tmp_path / "outbox" / AS_OF
    assert result.folder == folder
    assert {p.name for p in folder.glob("*.txt")} == {f"{r}_{u}.txt" for r, u in late}
    with open(folder / CSV_NAME, encoding="utf-8-sig") as f:
        listed = list(csv.DictReader(f))
    assert {(r["region"], r["unit"]) for r in listed} == late and all(r["kind"] == "late" for r in listed)
    mailed = {(x.region, x.unit) for x in result.letters if x.mailed}
    assert mailed == {k for k in late if contacts.get(k)}
    assert len(handler.messages) == result.mailed == len(mailed)
    rcpt, msg = handler.messages[0]
    first = next(x for x in result.letters if x.mailed)
    assert rcpt == [contacts[(first.region, first.unit)]]
    assert "催报" in msg["Subject"] and first.rows[0]["task_title"] in msg.get_content()
    # --date must be the snapshot's own date: the rule is not re-decided in Python
    with pytest.raises(Exception, match="2024-06-30"):
        send_reminders(snapshot, tmp_path / "outbox2", date(2024, 7, 1))
