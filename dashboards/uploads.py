"""A unit's template download and report upload. The upload is checked (size and type before the file
is read), validated by the ingest's own code against the published snapshot for an answer within
seconds, then dropped into the inbox with a note of who sent it: the pipeline ingests it exactly as
it ingests any file, applying the same sender rule (a unit reports only as itself)."""
from __future__ import annotations

import base64
import hashlib
import io
import os
from datetime import datetime
from pathlib import Path

import dash_bootstrap_components as dbc
from dash import html
from flask import abort, send_file

from pipelines.config import data_paths
from pipelines.submissions.ingest import IngestContext, Sender, check_file, write_sender_note

from . import access, data
from .auth import MAX_UPLOAD_BYTES, store
from .i18n import t

ACCEPTED = {".xlsx": b"PK\x03\x04", ".csv": None}


class UploadRefused(ValueError):
    pass


def _checked_bytes(contents: str, filename: str) -> bytes:
    """The file's bytes, after the size and type checks that come before anything reads it."""
    suffix = Path(filename or "").suffix.lower()
    if suffix not in ACCEPTED:
        raise UploadRefused(f"只接收 .xlsx 或 .csv 文件 / only .xlsx or .csv files are accepted: {filename}")
    _header, _, b64 = (contents or "").partition(",")
    if len(b64) * 3 // 4 > MAX_UPLOAD_BYTES:
        raise UploadRefused(f"文件超过 {MAX_UPLOAD_BYTES // (1024 * 1024)} MB / the file is larger than "
                            f"{MAX_UPLOAD_BYTES // (1024 * 1024)} MB")
    raw = base64.b64decode(b64, validate=False)
    magic = ACCEPTED[suffix]
    if magic is not None and not raw.startswith(magic) or magic is None and b"\x00" in raw[:4096]:
        raise UploadRefused(f"文件内容与扩展名 {suffix} 不符 / the content is not a {suffix} file")
    return raw


def _stored_name(acc, filename: str) -> str:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    safe = Path(filename.replace("\\", "/")).name.replace(os.sep, "_")
    return f"{acc.region}_{acc.unit}_{stamp}_{safe}"


def receive(contents: str, filename: str, lang: str) -> html.Div:
    acc = access.account()
    try:
        raw = _checked_bytes(contents, filename)
    except UploadRefused as refused:
        store().audit(acc.username, "upload_refused", filename, str(refused))
        return dbc.Alert(str(refused), color="danger", id="upload-refused")
    paths = data_paths().ensure()
    incoming = paths.inbox / ".incoming"  # hidden from the inbox sensor until the file is complete
    incoming.mkdir(exist_ok=True)
    name = _stored_name(acc, filename)
    staged = incoming / name
    staged.write_bytes(raw)
    sender = Sender(acc.username, acc.region, acc.unit)
    report = check_file(staged, IngestContext.from_warehouse(data.snapshot_connection()), sender)
    write_sender_note(paths.inbox / name, sender)  # the note first: the file must never arrive without it
    staged.rename(paths.inbox / name)
    checksum = hashlib.sha256(raw).hexdigest()
    store().audit(acc.username, "upload", name,
                  f"rows landed {report.rows_landed}, rejected {report.rows_rejected} ({report.status})", checksum)
    return _report_view(report, lang)


def _report_view(report, lang: str) -> html.Div:
    color = {"landed": "success", "partial": "warning"}.get(report.status, "danger")
    rows = [html.Tr([html.Td("文件" if r is None else str(r)), html.Td(col or ""), html.Td(zh), html.Td(en)])
            for r, col, zh, en in report.reasons]
    return html.Div([
        dbc.Alert([html.Strong(f"{t('upload_result', lang)}："),
                   f"入库 {report.rows_landed} 行，拒收 {report.rows_rejected} 行 / "
                   f"{report.rows_landed} rows will land, {report.rows_rejected} rejected. "
                   "数据在下一次流水线运行后计入指标 / counted in the KPIs after the next pipeline run."],
                  color=color, id="upload-summary"),
        dbc.Table([html.Thead(html.Tr([html.Th("行 Row"), html.Th("列 Column"), html.Th("原因"), html.Th("Reason")])),
                   html.Tbody(rows)], size="sm", bordered=True, className="small", id="upload-reasons")
        if rows else None,
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
