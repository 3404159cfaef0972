"""账户 Accounts (administrators): who may log in, with which role; changes are made with
`plankpi users add/disable/reset` and appear in the audit log."""
import dash
from dash import html

from dashboards.components import frame, guarded, table_block
from dashboards.i18n import lang_of, t

PATH = "/accounts"
dash.register_page(__name__, path=PATH, name="账户 Accounts", title="PlanKPI")


@guarded(PATH)
def layout(**query):
    lang = lang_of(query)
    return frame(PATH, query, html.H5(t("accounts", lang)), table_block("accounts", query, height=400),
                 html.Div("plankpi users add / disable / reset", className="text-muted small"))
