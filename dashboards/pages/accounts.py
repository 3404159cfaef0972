"""账户 Accounts (administrators): who may log in, with which role; an administrator adds an account,
disables one or resets its password here (the new password is shown once), each change in the audit log
(pipelines/accounts does the change and writes the log; `plankpi users …` does the same from a shell)."""
import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboards.components import frame, guarded, table_block
from dashboards.i18n import ROLE_OF_ACCOUNT, lang_of, pick, t
from pipelines.accounts import ROLES
from pipelines.config import data_paths
from pipelines.reference import regions

PATH = "/accounts"
dash.register_page(__name__, path=PATH, name="账户 Accounts", title="PlanKPI")


def _form(lang: str) -> dbc.Card:
    region_options = [{"label": r["region"], "value": r["region"]} for r in regions(data_paths().reference)]
    field = {"className": "mb-2"}
    return dbc.Card(dbc.CardBody([
        html.H6(t("account_add", lang)),
        dbc.Row([
            dbc.Col([dbc.Label(t("account_username", lang), html_for="account-username", className="small mb-0"),
                     dbc.Input(id="account-username", type="text", maxLength=64, autoComplete="off")], md=3, **field),
            dbc.Col([dbc.Label(t("account_role", lang), className="small mb-0"),
                     dcc.Dropdown(id="account-role", clearable=False, value="leader",
                                  options=[{"label": pick(ROLE_OF_ACCOUNT, r, lang), "value": r} for r in ROLES])],
                    md=2, **field),
            dbc.Col([dbc.Label(t("account_region", lang), className="small mb-0"),
                     dcc.Dropdown(id="account-region", options=region_options, placeholder=t("all_regions", lang))],
                    md=3, **field),
            dbc.Col([dbc.Label(t("account_unit", lang), html_for="account-unit", className="small mb-0"),
                     dbc.Input(id="account-unit", type="text", maxLength=100)], md=2, **field),
            dbc.Col(dbc.Button(t("account_add_button", lang), id="account-add", color="success", className="mt-3"),
                    md=2, **field),
        ], className="g-2"),
        html.H6(t("account_change", lang), className="mt-2"),
        dbc.Row([
            dbc.Col(dbc.Input(id="account-target", type="text", maxLength=64,
                              placeholder=t("account_username", lang)), md=3, className="mb-2"),
            dbc.Col([dbc.Button(t("account_disable", lang), id="account-disable", color="danger", outline=True,
                                className="me-2"),
                     dbc.Button(t("account_reset", lang), id="account-reset", color="secondary", outline=True)],
                    md=6, className="mb-2"),
        ], className="g-2"),
        html.Div(id="account-result", **{"aria-live": "polite"}),
    ]), className="mb-3")


@guarded(PATH)
def layout(**query):
    lang = lang_of(query)
    return frame(PATH, query, html.H5(t("accounts", lang)), _form(lang),
                 table_block("accounts", query, height=400))
