"""Reminders (催报, issue 26): who must still report what, from the published snapshot's mart_reminders (the
rule lives in dbt), written to the outbox — one text per recipient and a CSV list — and mailed when an SMTP
server is configured (PLANKPI_SMTP_HOST, _PORT, _USER, _PASSWORD, _FROM, _STARTTLS). Pure Python (stdlib
smtplib): the Dagster schedule and the ``plankpi reminders`` command call ``send_reminders``.
"""
from __future__ import annotations

import csv
import io
import os
import re
import smtplib
from dataclasses import dataclass, field
from datetime import date
from email.message import EmailMessage
from email.utils import formataddr
from pathlib import Path

import duckdb

CSV_NAME = "reminders.csv"
CSV_COLUMNS = ("region", "unit", "contact", "email", "task_id", "task_title", "period", "due_date", "kind",
               "days_late", "periods_open", "reason", "file", "mailed")


class RemindersError(RuntimeError):
    """Reminders cannot be written (message zh / en)."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 25
    user: str | None = None
    password: str | None = None
    sender: str = "plankpi@example.org"
    starttls: bool = False

    @classmethod
    def from_env(cls, env=os.environ) -> "SmtpSettings | None":
        host = env.get("PLANKPI_SMTP_HOST", "").strip()
        if not host:
            return None
        return cls(host=host, port=int(env.get("PLANKPI_SMTP_PORT") or 25),
                   user=env.get("PLANKPI_SMTP_USER") or None, password=env.get("PLANKPI_SMTP_PASSWORD") or None,
                   sender=env.get("PLANKPI_SMTP_FROM") or "plankpi@example.org",
                   starttls=(env.get("PLANKPI_SMTP_STARTTLS") or "").lower() in ("1", "true", "yes"))


@dataclass
class Letter:
    region: str
    unit: str
    contact: str | None
    email: str | None
    rows: list[dict]
    path: Path | None = None
    mailed: bool = False


@dataclass
class RemindersResult:
    as_of: date
    folder: Path
    letters: list[Letter] = field(default_factory=list)
    mailed: int = 0
    mail_errors: list[str] = field(default_factory=list)

    @property
    def units(self) -> list[tuple[str, str]]:
        return [(x.region, x.unit) for x in self.letters]


def read_reminders(snapshot: Path) -> tuple[date, list[dict]]:
    """The snapshot's as-of date and its mart_reminders rows, ordered by region, unit, kind (returned reports
    to resubmit first, then late, then due soon), due date. A snapshot built before resubmit reminders has
    no reason column: none then."""
    con = duckdb.connect(str(snapshot), read_only=True)
    try:
        as_of = con.execute("select as_of from marts.mart_headline").fetchone()[0]
        has_reason = con.execute("""select count(*) from information_schema.columns where table_schema = 'marts'
                                    and table_name = 'mart_reminders' and column_name = 'reason'""").fetchone()[0]
        cur = con.execute(f"""select region, unit, contact, email, task_id, task_title, period, due_date, kind,
                                     days_late, periods_open, {'reason' if has_reason else 'null::varchar as reason'}
                              from marts.mart_reminders
                              order by region, unit, kind <> 'resubmit', kind = 'due_soon', due_date, task_id""")
        cols = [d[0] for d in cur.description]
        return as_of, [dict(zip(cols, r)) for r in cur.fetchall()]
    finally:
        con.close()


def _safe(name: str) -> str:
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", name).strip() or "_"


def _line_zh(r: dict) -> str:
    if r["kind"] == "resubmit":  # a report the supervising office returned: the reason is what to fix
        more = f"（另有 {r['periods_open'] - 1} 期被退回）" if r["periods_open"] > 1 else ""
        return (f"【退回待重报】{r['task_title']}（{r['task_id']}）— {r['period']} 期报告被退回{more}，"
                f"退回理由：{r.get('reason') or '（未写明）'}；请按意见修改后重新报送")
    tag = f"已逾期 {r['days_late']} 天" if r["kind"] == "late" else "即将到期"
    more = f"，共 {r['periods_open']} 期未报" if r["periods_open"] > 1 else ""
    return f"【{tag}】{r['task_title']}（{r['task_id']}）— {r['period']} 期报告，截止 {r['due_date']:%Y-%m-%d}{more}"


def _line_en(r: dict) -> str:
    if r["kind"] == "resubmit":
        return (f"[returned: resubmit] {r['task_id']}, period {r['period']}, returned by the supervising office: "
                f"{r.get('reason') or '(no reason given)'}")
    tag = f"late by {r['days_late']} days" if r["kind"] == "late" else "due soon"
    return f"[{tag}] {r['task_id']}, period {r['period']}, due {r['due_date']:%Y-%m-%d}"


def letter_text(letter: Letter, as_of: date) -> str:
    late = [r for r in letter.rows if r["kind"] == "late"]
    soon = [r for r in letter.rows if r["kind"] == "due_soon"]
    returned = [r for r in letter.rows if r["kind"] == "resubmit"]
    again_zh = f"，退回待重报 {len(returned)} 项" if returned else ""
    again_en = f", {len(returned)} returned to resubmit" if returned else ""
    lines = [f"{letter.contact or letter.unit}：", "",
             f"截至 {as_of:%Y年%m月%d日}，{letter.region}{letter.unit} 有 {len(letter.rows)} 项任务的进展情况待报送"
             f"（已逾期 {len(late)} 项，即将到期 {len(soon)} 项{again_zh}）：", ""]
    lines += [f"{i}. {_line_zh(r)}" for i, r in enumerate(letter.rows, 1)]
    lines += ["", "请登录 PlanKPI 下载本单位填报模板，填报后上传。", "",
              "—— English ——",
              f"As of {as_of:%Y-%m-%d}, {letter.unit} ({letter.region}) has {len(letter.rows)} progress report(s) "
              f"to send ({len(late)} late, {len(soon)} due soon{again_en}):"]
    lines += [f"{i}. {_line_en(r)}" for i, r in enumerate(letter.rows, 1)]
    lines += ["Please download your template from PlanKPI, fill it in and upload it.", ""]
    return "\n".join(lines)


def _letters(rows: list[dict]) -> list[Letter]:
    letters: dict[tuple[str, str], Letter] = {}
    for r in rows:
        key = (r["region"], r["unit"])
        if key not in letters:
            letters[key] = Letter(r["region"], r["unit"], r["contact"], r["email"], [])
        letters[key].rows.append(r)
    return list(letters.values())


def write_outbox(rows: list[dict], as_of: date, outbox: Path) -> tuple[Path, list[Letter]]:
    """outbox/<YYYY-MM-DD>/<region>_<unit>.txt per recipient and reminders.csv (UTF-8 with BOM, for Excel)."""
    folder = Path(outbox) / as_of.isoformat()
    folder.mkdir(parents=True, exist_ok=True)
    letters = _letters(rows)
    for letter in letters:
        letter.path = folder / f"{_safe(letter.region)}_{_safe(letter.unit)}.txt"
        letter.path.write_text(letter_text(letter, as_of), encoding="utf-8")
    return folder, letters


def _write_csv(folder: Path, letters: list[Letter]) -> None:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(CSV_COLUMNS)
    for letter in letters:
        for r in letter.rows:
            w.writerow([r["region"], r["unit"], r["contact"] or "", r["email"] or "", r["task_id"], r["task_title"],
                        r["period"], r["due_date"] or "", r["kind"], r["days_late"], r["periods_open"],
                        r.get("reason") or "", letter.path.name, "yes" if letter.mailed else "no"])
    (folder / CSV_NAME).write_text(buf.getvalue(), encoding="utf-8-sig")


def mail(letters: list[Letter], as_of: date, smtp: SmtpSettings) -> list[str]:
    """Send one mail per letter that has an address; returns the errors (a refused recipient does not stop
    the others)."""
    errors = []
    to_send = [x for x in letters if x.email]
    if not to_send:
        return errors
    with smtplib.SMTP(smtp.host, smtp.port, timeout=30) as server:
        if smtp.starttls:
            server.starttls()
        if smtp.user:
            server.login(smtp.user, smtp.password or "")
        for letter in to_send:
            msg = EmailMessage()
            msg["From"] = smtp.sender
            msg["To"] = formataddr((letter.contact or letter.unit, letter.email))
            msg["Subject"] = (f"【催报】{letter.region}{letter.unit}：{len(letter.rows)} 项任务进展待报送（截至 {as_of}）"
                              f" / progress reports due")
            msg.set_content(letter.path.read_text(encoding="utf-8"))
            try:
                server.send_message(msg)
                letter.mailed = True
            except smtplib.SMTPException as exc:
                errors.append(f"{letter.region}{letter.unit} <{letter.email}>: {exc}")
    return errors


def send_reminders(snapshot: Path | None, outbox: Path, day: date | None = None,
                   smtp: SmtpSettings | None = None) -> RemindersResult:
    """The reminders of the published snapshot, into the outbox and, with ``smtp``, by mail. ``day`` (the
    command's --date) must be the snapshot's as-of date: reminders are computed in dbt as of the run's date,
    never re-decided here."""
    if snapshot is None:
        raise RemindersError("尚无发布快照，请先运行流水线 / no published snapshot yet: run the pipeline first")
    as_of, rows = read_reminders(snapshot)
    if day is not None and day != as_of:
        raise RemindersError(f"发布快照的截至日期为 {as_of}，不是 {day}：请先以 PLANKPI_AS_OF={day} 运行流水线 / "
                             f"the published snapshot is as of {as_of}, not {day}: run the pipeline as of {day} first")
    folder, letters = write_outbox(rows, as_of, outbox)
    result = RemindersResult(as_of, folder, letters)
    if smtp is not None:
        result.mail_errors = mail(letters, as_of, smtp)
        result.mailed = sum(x.mailed for x in letters)
    _write_csv(folder, letters)
    return result
