"""审核与督办 Review & escalation (issue 26): the completed reports of the reader's regions awaiting review
or returned (mart_review_queue), and the 督办 (mart_escalations), open first. A row opens its task, where a
supervisor sees the evidence and approves, returns, issues or closes a 督办 (dashboards/supervision.py);
leaders and auditors read the same lists."""
import dash
from dash import html

from dashboards.components import frame, guarded
from dashboards.i18n import lang_of, t
from dashboards.supervision import escalations_block, review_queue_block

PATH = "/review"
dash.register_page(__name__, path=PATH, name="审核与督办 Review", title="PlanKPI")


@guarded(PATH)
def layout(**query):
    lang = lang_of(query)
    return frame(PATH, query,
        html.H5(t("review_queue", lang)),
        html.Div(t("review_queue_note", lang), className="small text-muted mb-1"),
        review_queue_block(query),
        html.H5(t("escalations", lang), className="mt-4"),
        escalations_block(query),
    )
