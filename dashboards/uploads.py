"""A unit's template download and report upload. The upload is checked before anything reads it (rate,
file name, size, type), then inspected and validated by the ingest's own code against the published
snapshot (pipelines.submissions: the inspection refuses row bombs, macros and external links before
parsing) for an answer within seconds. A file that passes is dropped into the inbox with a note of who
sent it: the pipeline ingests it exactly as it ingests any file, applying the same sender rule (a unit
reports only as itself). A file that fails is kept, never dropped into the inbox: it goes to the
account's rejected folder (rejected/<account>/) with its reasons, and the refusal is audited."""
from __future__ import annotations

import base64
import csv
import hashlib
import io
import re
import unicodedata
from datetime import datetime, timedelta
from pathlib import Path

import dash_bootstrap_components as dbc
from dash import html
from flask import abort, send_file

from pipelines.config import data_paths
from pipelines.filekind import HEAD_BYTES, looks_like_text, signature
from pipelines.submissions.contract import MAX_FILE_BYTES
from pipelines.submissions.ingest import SCREEN_REASONS, IngestContext, Sender, check_file, write_sender_note

from . import access, data
from .auth import store
from .i18n import t

ACCEPTED = {".xlsx": "zip", ".csv": None}  # the signature the bytes must have (pipelines.filekind); None: text
MAX_NAME_CHARS = 100  # a stored name (region_unit_stamp_name) stays far below any file system's limit
RATE_LIMIT = (10, timedelta(minutes=10))  # uploads per account per window
UPLOAD_ACTIONS = ("upload", "upload_refused", "upload_rejected")


class UploadRefused(ValueError):
    pass


def clean_name(filename: str) -> str:
    """The clerk's file name, safe to store: the last path component, NFC, no control characters; a name
    that cannot be stored as given (NUL, over MAX_NAME_CHARS) is refused with a reason, never a 500."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    if "\x00" in name or any(unicodedata.category(ch) == "Cc" for ch in name):
        raise UploadRefused("文件名含有不可见的控制字符，请重命名后再上传 / the file name contains control characters; "
                            "rename the file and upload again")
    name = unicodedata.normalize("NFC", name).strip()
    if len(name) > MAX_NAME_CHARS:
        raise UploadRefused(f"文件名过长（{len(name)} 个字符），请改短到 {MAX_NAME_CHARS} 个字符以内 / the file name is "
                            f"{len(name)} characters long; shorten it to at most {MAX_NAME_CHARS}")
    name = re.sub(r'[<>:"|?*]', "_", name)
    if not name or name.startswith("."):
        raise UploadRefused("文件名无效，请重命名后再上传 / invalid file name; rename the file and upload again")
    return name


def _shown_name(filename: str) -> str:
    """A name for the audit log and messages even when it is refused: printable, at most 120 characters."""
    printable = "".join(ch if unicodedata.category(ch) != "Cc" else "�" for ch in (filename or ""))
    return printable[:120] + ("…" if len(printable) > 120 else "")


def _checked_bytes(contents: str, filename: str) -> bytes:
    """The file's bytes, after the size and type checks that come before anything reads it."""
    suffix = Path(filename).suffix.lower()
    if suffix not in ACCEPTED:
        raise UploadRefused(f"不接收 {suffix or '无扩展名'} 文件，请另存为 .xlsx 后上传（或 .csv） / "
                            f"{suffix or 'files without an extension'} not accepted: save as .xlsx (or .csv) and upload")
    _header, _, b64 = (contents or "").partition(",")
    if len(b64) * 3 // 4 > MAX_FILE_BYTES:
        raise UploadRefused(f"文件超过 {MAX_FILE_BYTES // (1024 * 1024)} MB / the file is larger than "
                            f"{MAX_FILE_BYTES // (1024 * 1024)} MB")
    raw = base64.b64decode(b64, validate=False)
    expected = ACCEPTED[suffix]
    if not (signature(raw[:HEAD_BYTES]) == expected if expected is not None else looks_like_text(raw)):
        raise UploadRefused(f"文件内容与扩展名 {suffix} 不符，请另存为 .xlsx / the content is not a {suffix} file; "
                            "save it as .xlsx")
    return raw


def _rate_limited(username: str) -> bool:
    """More than RATE_LIMIT[0] uploads (accepted or not) by this account within RATE_LIMIT[1]."""
    limit, window = RATE_LIMIT
    since = (datetime.now() - window).isoformat(timespec="seconds")
    recent = [r for r in store().audit_log(limit=200, actor=username)
              if r["action"] in UPLOAD_ACTIONS and r["at"] >= since]
    return len(recent) >= limit


def _stored_name(acc, name: str) -> str:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    return f"{acc.region}_{acc.unit}_{stamp}_{name}"


def _account_folder(root: Path, username: str) -> Path:
    folder = root / re.sub(r"[^\w.-]", "_", username)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _write_reasons(path: Path, report) -> None:
    """The full list of reasons beside the file (the screen shows the first SCREEN_REASONS)."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["行 row", "列 column", "原因", "reason"])
    for row, col, zh, en in report.reasons:
        w.writerow(["" if row is None else row, col, zh, en])
    path.write_text(buf.getvalue(), encoding="utf-8-sig")


def receive(contents: str, filename: str, lang: str) -> html.Div:
    acc = access.account()
    try:
        if _rate_limited(acc.username):
            raise UploadRefused(f"上传过于频繁：每 {RATE_LIMIT[1].seconds // 60} 分钟最多 {RATE_LIMIT[0]} 次，请稍后再试 / "
                                f"too many uploads: at most {RATE_LIMIT[0]} every {RATE_LIMIT[1].seconds // 60} minutes")
        name = clean_name(filename)
        raw = _checked_bytes(contents, name)
    except UploadRefused as refused:
        store().audit(acc.username, "upload_refused", _shown_name(filename), str(refused))
        return dbc.Alert(str(refused), color="danger", id="upload-refused")
    paths = data_paths().ensure()
    incoming = paths.inbox / ".incoming"  # hidden from the inbox sensor until the file is complete
    incoming.mkdir(exist_ok=True)
    stored = _stored_name(acc, name)
    staged = incoming / stored
    staged.write_bytes(raw)
    sender = Sender(acc.username, acc.region, acc.unit)
    report = check_file(staged, IngestContext.from_warehouse(data.snapshot_connection()), sender)
    checksum = hashlib.sha256(raw).hexdigest()
    reasons_dir = _account_folder(paths.root / "upload_reports", acc.username)
    _write_reasons(reasons_dir / f"{stored}.reasons.csv", report)
    if report.status == "rejected" or (report.rows_landed == 0 and report.rows_rejected > 0):
        kept = _account_folder(paths.root / "rejected", acc.username) / stored
        staged.rename(kept)  # nothing lost, nothing for the pipeline
        store().audit(acc.username, "upload_rejected", stored,
                      f"拒收 / rejected: {report.summary}; kept as {kept}", checksum)
        return _report_view(report, lang, stored, rejected=True)
    write_sender_note(paths.inbox / stored, sender)  # the note first: the file must never arrive without it
    staged.rename(paths.inbox / stored)
    store().audit(acc.username, "upload", stored,
                  f"rows landed {report.rows_landed}, rejected {report.rows_rejected}, blank {report.rows_blank} "
                  f"({report.status})", checksum)
    return _report_view(report, lang, stored)


def _report_view(report, lang: str, stored: str, rejected: bool = False) -> html.Div:
    """Real errors first (at most SCREEN_REASONS, the rest downloadable), blanks in one line."""
    color = "danger" if rejected else {"landed": "success", "partial": "warning"}.get(report.status, "danger")
    shown = report.reasons[:SCREEN_REASONS]
    rows = [html.Tr([html.Td("文件" if r is None else str(r)), html.Td(zh), html.Td(en)]) for r, _col, zh, en in shown]
    more = len(report.reasons) - len(shown)
    tail = ("文件未入库，已留存在本单位的拒收文件夹，请按下列原因修改后重新上传 / not accepted: kept in your rejected "
            "folder; fix the reasons below and upload again" if rejected else
            "数据在下一次流水线运行后计入指标 / counted in the KPIs after the next pipeline run.")
    return html.Div([
        dbc.Alert([html.Strong(f"{t('upload_result', lang)}："), report.summary, html.Br(), tail],
                  color=color, id="upload-summary"),
        dbc.Table([html.Thead(html.Tr([html.Th("行 Row"), html.Th("原因"), html.Th("Reason")])),
                   html.Tbody(rows)], size="sm", bordered=True, className="small", id="upload-reasons")
        if rows else None,
        html.Div([f"另有 {more} 条未显示 / {more} more not shown. " if more > 0 else "",
                  html.A("下载全部原因 (.csv) / download every reason", href=f"/my/reasons/{stored}.reasons.csv",
                         id="upload-reasons-download")], className="small") if report.reasons else None,
    ])


def register_routes(server) -> None:
    @server.route("/my/template.xlsx")
    def my_template():
        """This period's template of the logged-in unit; no parameter names a unit, so none can be forged."""
        acc = access.account()
        if acc is None or acc.role != "unit":
            abort(403)
        from pipelines.submissions.assignments import unit_templates
        from pipelines.submissions.templates import build_workbook
        period = str(data.headline()["as_of"])[:7]
        mine = [x for x in unit_templates(data.snapshot_connection(), period)
                if (x.region, x.unit) == (acc.region, acc.unit)]
        if not mine:
            abort(404)
        buf = io.BytesIO()
        build_workbook(mine[0]).save(buf)
        buf.seek(0)
        store().audit(acc.username, "template_download", mine[0].file_name)
        return send_file(buf, as_attachment=True, download_name=mine[0].file_name,
                         mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

    @server.route("/my/reasons/<path:name>")
    def my_reasons(name: str):
        """Every reason of one of the logged-in unit's uploads; only its own folder is looked into."""
        acc = access.account()
        if acc is None or acc.role != "unit" or "/" in name or not name.endswith(".reasons.csv"):
            abort(404)
        path = _account_folder(data_paths().root / "upload_reports", acc.username) / name
        if not path.is_file():
            abort(404)
        return send_file(path, as_attachment=True, download_name=name, mimetype="text/csv")
