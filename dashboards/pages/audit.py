"""审计日志 Audit log (auditors, administrators): every login, upload, template download and account
change, append-only."""
import dash
from dash import html

from dashboards.components import frame, guarded, table_block
from dashboards.i18n import lang_of, t

PATH = "/audit"
dash.register_page(__name__, path=PATH, name="审计日志 Audit log", title="PlanKPI")


@guarded(PATH)
def layout(**query):
    return frame(PATH, query, html.H5(t("audit_log", lang_of(query))), table_block("audit_log", query, height=600))
