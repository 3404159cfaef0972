"""本单位 My unit: what the unit must do this month (int_reporting_obligations: how many tasks, by when,
how many reported), its tasks by urgency, this period's template, the upload box and the result of
each upload (kept across reloads: the audit log and the warehouse, statuses in Chinese). The unit is the
logged-in account's; nothing on this page takes it from the URL."""
import sys

import dash
from dash import dcc, html

from dashboards import access, data, supervision
from dashboards.components import frame, guarded, table_block
from dashboards.i18n import lang_of, t
from pipelines.submissions.contract import MAX_FILE_BYTES

PATH = "/my"
dash.register_page(__name__, path=PATH, name="本单位 My unit", title="PlanKPI")


def todo_line(p: dict) -> str:
    """ "2023-12 期：需填报 30 项，1月10日前；已报 0 项" """
    due = p.get("due_date")
    when = f"{due.month}月{due.day}日前" if due is not None and str(due) not in ("NaT", "None") else "无截止日期"
    return (f"{p['period']} 期：需填报 {int(p['tasks'])} 项，{when}；已报 {int(p['reported'])} 项 / "
            f"period {p['period']}: {int(p['tasks'])} tasks to report"
            + (f" by {due.isoformat()}" if due is not None and str(due) not in ("NaT", "None") else "")
            + f"; {int(p['reported'])} reported")


def _task_detail(query: dict, lang: str):
    """The detail of the task the unit opened from its list (?task=…), as leaders see it on /tasks; only a
    task the unit is named in (access.may_see_task)."""
    if not query.get("task"):
        return html.Div(t("click_a_task", lang), className="text-muted small mb-3", id="task-detail")
    return _tasks_page()._detail(query["task"], query, lang, PATH)


def _tasks_page():
    """The /tasks page's module, as Dash imported it (under its own name: importing it here again would
    register /tasks twice)."""
    return sys.modules[next(p["module"] for p in dash.page_registry.values() if p["path"] == "/tasks")]


@guarded(PATH)
def layout(**query):
    lang = lang_of(query)
    acc = access.account()
    period = str(data.headline()["as_of"])[:7]
    return frame(PATH, query,
        html.H4(f"{acc.region} · {acc.unit}", id="my-unit"),
        html.P(todo_line(data.unit_period(acc.region, acc.unit, period)), id="my-todo", className="lead"),
        html.A(t("template_download", lang) + f"（{period}）", href="/my/template.xlsx",
               id="template-link", className="btn btn-success btn-sm mb-3"),
        # No accept= filter: a PDF dropped here must reach the server and get its visible refusal
        # (请另存为 .xlsx), not be dropped silently by the browser.
        dcc.Upload(id="upload", children=html.Div(t("upload_hint", lang)), max_size=MAX_FILE_BYTES,
                   multiple=False, className="border border-2 border-success rounded p-4 text-center mb-3"),
        dcc.Loading(html.Div(id="upload-result")),
        supervision.unit_section(acc, query),  # returned reports, open 督办, evidence (issue 26)
        html.H5(t("my_tasks", lang)),
        _task_detail(query, lang),
        table_block("my_tasks", query, row_id="task_id", height=420),
        html.H5(t("my_uploads", lang)), table_block("my_uploads", query, height=300),
    )
