"""总览 Overview: headline figures, completion by plan and by region, target attainment, most overdue tasks."""
import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboards import access, data
from dashboards.bulletin_links import bulletin_links
from dashboards.components import card, frame, guarded, pct, table_block
from dashboards.i18n import lang_of, t

PATH = "/"
dash.register_page(__name__, path=PATH, name="总览 Overview", title="PlanKPI")
FONT = dict(family="Noto Sans CJK SC, Noto Sans SC, sans-serif")


def _headline_cards(h: dict, lang: str) -> dbc.Row:
    return dbc.Row([
        card(t("plans", lang), f"{h['plans_total']}", "kpi-plans"),
        card(t("tasks", lang), f"{h['tasks_total']}", "kpi-tasks"),
        card(t("completion", lang), pct(h["completion_rate"]), "kpi-completion"),
        card(t("due_completion", lang), pct(h["due_completion_rate"]), "kpi-due-completion"),
        card(t("overdue", lang), f"{h['tasks_overdue']}", "kpi-overdue"),
        card(t("targets_met", lang), f"{h['targets_met']} / {h['targets_total']}", "kpi-targets"),
        card(t("targets_risk", lang), f"{h['targets_at_risk']} / {h['targets_missed']}", "kpi-targets-risk"),
        card(t("reporting_rate", lang), pct(h["reporting_rate"]), "kpi-reporting"),
    ])


CHART_MAX_BARS = 30  # a province has thousands of plans and regions: the chart shows the lowest


def _completion_chart(dimension: str, lang: str) -> html.Div:
    df = data.lowest_completion(dimension, access.region_scope(), CHART_MAX_BARS)
    total = int(df["listed"].iat[0]) if len(df) else 0
    pct_ = (df["completion_rate"] * 100).round(1)
    hover = (f"%{{y}}<br>{t('completion', lang)} %{{x:.1f}}%<br>"
             + "%{customdata[0]} / %{customdata[1]} · " + t("overdue", lang) + " %{customdata[2]}<extra></extra>")
    figure = {"data": [{"type": "bar", "orientation": "h", "x": list(pct_), "y": list(df["dimension_label"]),
                        "text": [f"{v:.1f}%" for v in pct_], "textposition": "auto", "marker": {"color": "#198754"},
                        "customdata": df[["tasks_completed", "tasks_with_due_date", "tasks_overdue"]].values.tolist(),
                        "hovertemplate": hover}],
              "layout": {"height": max(260, 30 * len(df)), "margin": {"l": 10, "r": 10, "t": 10, "b": 30},
                         "font": FONT, "xaxis": {"range": [0, 100], "title": {"text": f"{t('completion', lang)} (%)"}},
                         "yaxis": {"automargin": True}}}
    note = ([html.Div(t("lowest_shown", lang, n=CHART_MAX_BARS, total=total), className="small text-muted",
                      id=f"completion-by-{dimension}-note")] if total > CHART_MAX_BARS else [])
    return html.Div(note + [dcc.Graph(figure=figure, id=f"completion-by-{dimension}", config={"displaylogo": False})])


@guarded(PATH)
def layout(**query):
    lang = lang_of(query)
    acc = access.account()
    h = data.scope_headline(acc.region) if access.region_scope() is not None else data.headline()
    return frame(PATH, query,
        bulletin_links(),
        _headline_cards(h, lang),
        dbc.Row([
            dbc.Col([html.H5(t("completion_by_plan", lang)), _completion_chart("plan", lang)],
                    lg=7),
            dbc.Col([html.H5(t("completion_by_region", lang)),
                     _completion_chart("region", lang)], lg=5),
        ], className="mt-2"),
        html.H5(t("target_attainment", lang), className="mt-3"),
        table_block("targets", query, height=420),
        html.H5(t("most_overdue", lang), className="mt-3"),
        table_block("overdue", query, height=420),
    )
