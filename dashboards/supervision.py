"""Supervision on the dashboard (issue 26): evidence (佐证材料), review and return (审核 / 退回), 督办.

What the pages show comes from the published snapshot (dashboards/data.py: mart_review_queue,
mart_escalations, mart_escalation_history, mart_evidence, mart_review_history). What people decide here —
a supervisor's approval or return, a 督办 issued or closed, a unit's evidence file — goes to the
supervising office's own append-only store (pipelines/supervision), never to the warehouse: the pipeline
reads the store as a source at its next run, which the supervision sensor starts within a minute. The
store is read here only for evidence uploaded since the snapshot's run, and for the download route's
access check (which tasks a file is attached to).

Who may do what is checked on the server, in every callback and the download route, from
dashboards/access.py (may_see_task: the one rule of who sees a task): only a supervisor decides (leaders
and auditors read); a scoped reader only within their regions; a unit only its own tasks.
"""
from __future__ import annotations

import base64
import binascii
from pathlib import Path

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import MATCH, Input, Output, State, ctx, dcc, html
from dash.exceptions import PreventUpdate
from flask import abort, request, send_file

from dashboards import access, data, formats
from dashboards.auth import store as accounts_store
from dashboards.components import card, href, parse_query, table_block
from dashboards.i18n import (ESCALATION_ACTION, ESCALATION_ORIGIN, REVIEW_DECISION, REVIEW_STATE, column, lang_of,
                             pick, t)
from pipelines.config import data_paths
from pipelines.supervision import MAX_EVIDENCE_BYTES, EvidenceRefused, SupervisionStore, store_for
from pipelines.supervision.evidence import too_large

_stores: dict[Path, SupervisionStore] = {}


def store() -> SupervisionStore:
    """The data folder's supervision store, opened once per process (its schema check is not per request)."""
    root = data_paths().root
    if root not in _stores:
        _stores[root] = store_for(root)
    return _stores[root]


# --- small tables ---------------------------------------------------------------------------------

def _table(df: pd.DataFrame, columns: list[str], lang: str, test_id: str, cells: dict | None = None) -> html.Div:
    """``df``'s ``columns`` as a small table, headers in the reader's language; ``cells`` maps a column to a
    function of the row giving the cell (a link, a word for a code)."""
    if df.empty:
        return html.Div(t("none", lang), className="text-muted small mb-2", id=test_id)
    cells = cells or {}
    head = html.Thead(html.Tr([html.Th(column(c, lang), className="text-nowrap") for c in columns]))
    body = html.Tbody([html.Tr([html.Td(cells[c](r) if c in cells else _text(r.get(c))) for c in columns])
                       for r in df.to_dict("records")])
    return html.Div(dbc.Table([head, body], size="sm", bordered=True, striped=True, className="small mb-0", id=test_id),
                    className="table-responsive mb-2")


def _text(value) -> str:
    return "" if formats.missing(value) else str(value)


def _task_cell(lang: str, keep: dict):
    """The task as 计划 第5条 with its title, a link to its detail."""
    def cell(r: dict):
        name = formats.task_name(r["plan_title"], r["no"], lang) if not formats.missing(r.get("plan_title")) else r["task_id"]
        return dcc.Link([name, html.Br(), html.Span(_text(r.get("task_title")), className="text-muted")],
                        href=href("/tasks", keep, task=r["task_id"]), title=r["task_id"])
    return cell


# --- the review page ------------------------------------------------------------------------------
# The review queue and the 督办 list are grids like every other list (tables.QUERIES "review_queue" and
# "escalations": the page carries the columns, the grid fetches its rows a block at a time, sorted and
# filtered in DuckDB, the reader's regions only; CSV / Excel downloads of the same view). As 200-row HTML
# tables the page cost 3.8× its queries to build and serialise. A row opens its task (open_listed_task).

def review_queue_block(query: dict) -> html.Div:
    """The reports awaiting review or returned, of the reader's regions; a row's id is <task_id>:<report_key>."""
    if not data.has_relation("marts", "mart_review_queue"):  # a snapshot built before issue 26
        return html.Div(t("none", lang_of(query)), className="text-muted small mb-2", id="grid-review_queue")
    return table_block("review_queue", query, row_id_js="params.data.task_id + ':' + params.data.report_key",
                       height=420)


def escalations_block(query: dict) -> html.Div:
    """The 督办 of the reader's regions, open first; issuing or closing one is in the task's detail."""
    if not data.has_relation("marts", "mart_escalations"):
        return html.Div(t("none", lang_of(query)), className="text-muted small mb-2", id="grid-escalations")
    return table_block("escalations", query, row_id="task_id", height=420)


def awaiting_review_card(h: dict, lang: str, keep: dict):
    """The overview's 待审核 card: mart_headline.tasks_awaiting_review (a scoped reader's: of their regions,
    mart_scope_headline's when it carries it); nothing when the snapshot predates issue 26."""
    scoped = access.region_scope() is not None
    if scoped and not data.has_column("marts", "mart_scope_headline", "tasks_awaiting_review"):
        return None  # the headline holds the province's count then: not the reader's regions'
    value = h.get("tasks_awaiting_review")
    if formats.missing(value):
        return None
    return card(t("awaiting_review", lang), formats.number(value), "kpi-awaiting-review", "none",
                href("/review", keep), lang)


# --- the task detail ------------------------------------------------------------------------------

def evidence_frame(task_id: str) -> pd.DataFrame:
    """The task's evidence: as published (mart_evidence: one row per file × task), plus the files attached
    since the snapshot's run (in the store, not yet in the mart), so a unit's upload is visible at once."""
    published = data.task_evidence(task_id)
    known = set(published["sha256"]) if len(published) else set()
    recent = [r for r in store().evidence_for([task_id]) if r.sha256 not in known]
    recent = list({r.sha256: r for r in reversed(recent)}.values())[::-1]  # first attachment of each file
    if not recent:
        return published
    fresh = pd.DataFrame([r.__dict__ for r in recent]).drop(columns=["seq"])
    return pd.concat([published, fresh], ignore_index=True) if len(published) else fresh


def evidence_href(sha256: str, task_id: str) -> str:
    return href(f"/evidence/{sha256}", {"task": task_id})


def evidence_list(task_id: str, lang: str) -> html.Div:
    df = evidence_frame(task_id)
    return _table(df, ["filename", "unit", "period", "size_bytes", "uploader", "uploaded_at"], lang, "task-evidence",
                  {"filename": lambda r: html.A(r["filename"], href=evidence_href(r["sha256"], task_id),
                                                title=r["sha256"], className="evidence-link"),
                   "period": lambda r: formats.month(r["period"], lang),
                   "size_bytes": lambda r: f"{formats.number(int(r['size_bytes']) / 1024)} KB",
                   "uploaded_at": lambda r: formats.moment(r["uploaded_at"], lang)})


def review_panel(task_id: str, lang: str) -> html.Div:
    """The task's reports awaiting review or returned; a supervisor approves or returns each awaiting one."""
    df = data.review_queue(task_id)
    rows = []
    for r in df.to_dict("records"):
        state = pick(REVIEW_STATE, r["review_state"], lang)
        line = [html.Strong(f"{r['unit']} · {formats.month(r['period'], lang)} · {state}"),
                html.Span(f" {column('received_at', lang)}{'：' if lang == 'zh' else ': '}"
                          f"{formats.moment(r['received_at'], lang)}", className="small text-muted")]
        if r["review_state"] == "returned" and not formats.missing(r.get("returned_reason")):
            line += [html.Br(), html.Span(f"{column('returned_reason', lang)}：{r['returned_reason']}",
                                          className="text-danger small")]
        controls = None
        if access.may_review() and r["review_state"] == "pending_review":
            key = {"key": r["report_key"]}
            controls = html.Div([
                dbc.Textarea(id={"type": "review-reason", **key}, placeholder=t("review_reason", lang), rows=2,
                             maxLength=500, className="mb-1 review-reason"),
                dbc.Button(t("review_approve", lang), id={"type": "review-approve", **key}, color="success",
                           size="sm", className="me-2 review-approve"),
                dbc.Button(t("review_return", lang), id={"type": "review-return", **key}, color="danger",
                           outline=True, size="sm", className="review-return"),
                html.Div(id={"type": "review-result", **key}, className="mt-1", **{"aria-live": "polite"}),
            ], className="mt-1")
        rows.append(html.Li([*line, controls], className="mb-2"))
    if not rows:
        return html.Div(t("review_none_pending", lang), className="text-muted small mb-2", id="review-panel")
    return html.Ul(rows, className="list-unstyled mb-2", id="review-panel")


def escalation_controls(lang: str) -> html.Div | None:
    if not access.may_review():
        return None
    return html.Div([
        dbc.Textarea(id="escalation-note", placeholder=t("escalation_note", lang), rows=2, maxLength=500,
                     className="mb-1"),
        dbc.Button(t("escalation_issue", lang), id="escalation-issue", color="warning", size="sm", className="me-2"),
        dbc.Button(t("escalation_close", lang), id="escalation-close", color="secondary", outline=True, size="sm"),
        html.Div(id="escalation-result", className="mt-1", **{"aria-live": "polite"}),
    ], className="mb-2")


def task_section(task_id: str, lang: str) -> html.Div:
    """Evidence, review and 督办 of one task (the detail panel's hook; the caller has checked the scope)."""
    reviews = data.task_review_events(task_id)
    history = data.task_escalation_history(task_id)
    return html.Div([
        html.H6(t("evidence", lang), className="mt-3"), evidence_list(task_id, lang),
        html.H6(t("review_panel", lang)), review_panel(task_id, lang),
        html.H6(t("review_history", lang)),
        _table(reviews, ["decided_at", "actor", "unit", "period", "decision", "reason"], lang, "review-history",
               {"decided_at": lambda r: formats.moment(r["decided_at"], lang),
                "period": lambda r: formats.month(r["period"], lang),
                "decision": lambda r: pick(REVIEW_DECISION, r["decision"], lang)}),
        html.H6(t("escalation_history", lang)),
        _table(history, ["on_day", "origin", "action", "note", "actor"], lang, "escalation-history",
               {"on_day": lambda r: formats.day(r["on_day"], lang),
                "origin": lambda r: pick(ESCALATION_ORIGIN, r["origin"], lang),
                "action": lambda r: pick(ESCALATION_ACTION, r["action"], lang),
                "actor": lambda r: pick(ESCALATION_ORIGIN, "rule", lang) if r["actor"] == "rule" else r["actor"]}),
        escalation_controls(lang),
    ], id="task-supervision")


# --- the unit's page ------------------------------------------------------------------------------

def unit_section(acc, query: dict) -> html.Div:
    """On /my: attach evidence to one of the unit's tasks; its returned reports with the reason; its open 督办."""
    lang, keep = lang_of(query), {"lang": query.get("lang")}
    tasks = data.unit_tasks(acc.region, acc.unit)
    options = [{"label": f"{formats.task_name(r['plan_title'], r['no'], lang)} {formats.plain(r['title'])[:40]}",
                "value": r["task_id"]} for r in tasks.to_dict("records")]
    returned = data.unit_returned(acc.region, acc.unit)
    open_escalations = data.unit_escalations(acc.region, acc.unit)
    return html.Div([
        html.H5(t("my_returned", lang)),
        _table(returned, ["task_id", "period", "returned_reason", "returned_at", "returned_by"], lang, "my-returned",
               {"task_id": _task_cell(lang, keep), "period": lambda r: formats.month(r["period"], lang),
                "returned_at": lambda r: formats.moment(r["returned_at"], lang)}),
        html.H5(t("my_escalations", lang)),
        _table(open_escalations, ["task_id", "reason", "opened_on", "last_note"], lang, "my-escalations",
               {"task_id": _task_cell(lang, keep), "opened_on": lambda r: formats.day(r["opened_on"], lang)}),
        html.H5(t("evidence_attach", lang)),
        dcc.Dropdown(id="evidence-task", options=options, placeholder=t("evidence_task", lang), className="mb-2"),
        dcc.Upload(id="evidence-upload", children=html.Div(t("evidence_hint", lang)), max_size=MAX_EVIDENCE_BYTES,
                   multiple=False, className="border border-2 border-secondary rounded p-3 text-center mb-2"),
        dcc.Loading(html.Div(id="evidence-result")),
    ], id="my-supervision", className="mb-3")


def _decoded(contents: str) -> bytes:
    """The bytes of a dcc.Upload's data URL (its size bounded before decoding)."""
    _header, _, b64 = (contents or "").partition(",")
    if len(b64) * 3 // 4 > MAX_EVIDENCE_BYTES + 3:
        raise too_large()
    try:
        return base64.b64decode(b64, validate=True)
    except (binascii.Error, ValueError):
        raise EvidenceRefused("文件内容无法读取，请重新选择文件", "the upload could not be read: choose the file again")


def attach_evidence(contents: str, filename: str, task_id: str | None, lang: str) -> dbc.Alert:
    """A unit's evidence file for one of its tasks, checked by content and kept by the store (which audits)."""
    acc = access.account()
    if not task_id:
        return dbc.Alert(t("evidence_choose_task", lang), color="warning", id="evidence-refused")
    if not access.may_see_task(task_id):  # a forged task id: not one of the unit's
        return dbc.Alert(t("not_allowed_action", lang), color="danger", id="evidence-refused")
    from dashboards.uploads import UploadRefused, clean_name
    try:
        name = clean_name(filename)
        record = store().add_evidence(_decoded(contents), name, task_id=task_id,
                                      period=str(data.headline()["as_of"])[:7], unit=acc.unit, region=acc.region,
                                      uploader=acc.username)
    except EvidenceRefused as refused:
        accounts_store().audit(acc.username, "evidence_upload_refused", task_id, str(refused))
        return dbc.Alert([html.Div(refused.message_zh), html.Div(refused.message_en, className="small")],
                         color="danger", id="evidence-refused")
    except UploadRefused as refused:
        return dbc.Alert(str(refused), color="danger", id="evidence-refused")
    return dbc.Alert(t("evidence_saved", lang, name=record.filename, sha=record.sha256[:12]), color="success",
                     id="evidence-saved")


# --- callbacks and the download route -------------------------------------------------------------

def _recorded(lang: str) -> dbc.Alert:
    return dbc.Alert(t("review_recorded", lang), color="success", className="py-1 mb-0", id="review-recorded")


def register(app: dash.Dash) -> None:
    @app.callback(Output("url", "href", allow_duplicate=True),
                  Input("grid-review_queue", "cellClicked"), Input("grid-escalations", "cellClicked"),
                  State("url", "search"),
                  prevent_initial_call=True)
    def open_listed_task(queue_click, escalation_click, search):
        """A row of the review queue or the 督办 list (click, or Enter on it) opens its task's detail."""
        clicked = queue_click if ctx.triggered_id == "grid-review_queue" else escalation_click
        task_id = ((clicked or {}).get("rowId") or "").partition(":")[0]
        if not task_id:
            raise PreventUpdate
        return href("/tasks", {"lang": parse_query(search).get("lang")}, task=task_id)

    @app.callback(Output({"type": "review-result", "key": MATCH}, "children"),
                  Input({"type": "review-approve", "key": MATCH}, "n_clicks"),
                  Input({"type": "review-return", "key": MATCH}, "n_clicks"),
                  State({"type": "review-reason", "key": MATCH}, "value"),
                  State("url", "search"),
                  prevent_initial_call=True)
    def decide(_approve, _return, reason, search):
        """A supervisor's decision on one report awaiting review: the report is looked up again from the
        snapshot (never taken from the request) and must be in the supervisor's regions."""
        query = parse_query(search)
        lang, task_id = lang_of(query), query.get("task")
        if not access.may_review() or not task_id or not access.may_see_task(task_id):
            raise PreventUpdate
        key = ctx.triggered_id["key"]
        found = data.review_queue(task_id)
        found = found[(found["report_key"] == key) & (found["review_state"] == "pending_review")] if len(found) else found
        if found.empty:
            return dbc.Alert(t("review_none_pending", lang), color="warning", className="py-1 mb-0")
        r = found.iloc[0]
        decision = "approve" if ctx.triggered_id["type"] == "review-approve" else "return"
        try:
            store().decide(task_id, r["unit"], r["period"], key, decision, reason, actor=access.account().username)
        except ValueError as exc:
            return dbc.Alert(str(exc), color="danger", className="py-1 mb-0", id="review-refused")
        return _recorded(lang)

    @app.callback(Output("escalation-result", "children"),
                  Input("escalation-issue", "n_clicks"), Input("escalation-close", "n_clicks"),
                  State("escalation-note", "value"), State("url", "search"),
                  prevent_initial_call=True)
    def escalate(_issue, _close, note, search):
        query = parse_query(search)
        lang, task_id = lang_of(query), query.get("task")
        if not access.may_review() or not task_id or not access.may_see_task(task_id):
            raise PreventUpdate
        action = "issue" if ctx.triggered_id == "escalation-issue" else "close"
        try:
            store().escalate(task_id, action, note, actor=access.account().username)
        except ValueError as exc:
            return dbc.Alert(str(exc), color="danger", className="py-1 mb-0")
        return _recorded(lang)

    @app.callback(Output("evidence-result", "children"),
                  Input("evidence-upload", "contents"),
                  State("evidence-upload", "filename"), State("evidence-task", "value"), State("url", "search"),
                  prevent_initial_call=True)
    def upload_evidence(contents, filename, task_id, search):
        acc = access.account()
        if not contents or acc is None or acc.role != "unit" or not access.may_see_page("/my"):
            raise PreventUpdate
        return attach_evidence(contents, filename, task_id, lang_of(parse_query(search)))


def register_routes(server) -> None:
    @server.route("/evidence/<sha256>")
    def evidence_file(sha256: str):
        """GET /evidence/<sha256>?task=<task_id>: the file, only to an account that may see the task, and
        only when the file is attached to that task (a unit never gets another unit's evidence). Audited."""
        task_id = request.args.get("task", "")
        try:
            path = store().evidence_path(sha256)
        except ValueError:
            abort(404)
        attached = store().evidence_record(sha256)
        if not attached or not path.is_file():
            abort(404)
        acc = access.account()
        if not access.may_see_task(task_id) or not any(r.task_id == task_id for r in attached):
            accounts_store().audit(acc.username, "evidence_download_refused", task_id, f"download of {sha256} refused (403)",
                                   sha256)
            abort(403)
        record = next(r for r in attached if r.task_id == task_id)
        accounts_store().audit(acc.username, "evidence_download", task_id, record.filename, sha256)
        response = send_file(path, mimetype=record.media_type, as_attachment=True, download_name=record.filename)
        response.headers["Cache-Control"] = "private, no-store"
        return response
