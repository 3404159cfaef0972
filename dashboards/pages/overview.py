"""总览 Overview: headline figures, completion by plan, target attainment, most overdue tasks."""
import dash
import dash_bootstrap_components as dbc
import plotly.express as px
from dash import dcc, html

from dashboards import data
from dashboards.i18n import LABELS, STATUS_COLOR, STATUS_ZH, target_label

dash.register_page(__name__, path="/", name=LABELS["overview"], title=LABELS["title"])


def _pct(x) -> str:
    return "—" if x is None or x != x else f"{x * 100:.1f}%"


def _card(label: str, value: str, test_id: str) -> dbc.Col:
    return dbc.Col(dbc.Card(dbc.CardBody([
        html.Div(label, className="text-muted small"),
        html.Div(value, className="fs-3 fw-bold", id=test_id),
    ])), md=2, sm=4, xs=6, className="mb-2")


def _headline_cards(h: dict) -> dbc.Row:
    return dbc.Row([
        _card(LABELS["plans"], f"{h['plans_total']}", "kpi-plans"),
        _card(LABELS["tasks"], f"{h['tasks_total']}", "kpi-tasks"),
        _card(LABELS["completion"], _pct(h["completion_rate"]), "kpi-completion"),
        _card(LABELS["due_completion"], _pct(h["due_completion_rate"]), "kpi-due-completion"),
        _card(LABELS["overdue"], f"{h['tasks_overdue']}", "kpi-overdue"),
        _card(LABELS["targets_met"], f"{h['targets_met']} / {h['targets_total']}", "kpi-targets"),
    ])


def _completion_chart():
    df = data.completion_by("plan")
    df = df.assign(完成率=df["completion_rate"] * 100)
    fig = px.bar(df.sort_values("完成率"), x="完成率", y="dimension_value", orientation="h",
                 text=df.sort_values("完成率")["完成率"].map(lambda v: f"{v:.1f}%"),
                 labels={"dimension_value": "行动计划", "完成率": "完成率 (%)"},
                 hover_data={"tasks_total": True, "tasks_completed": True, "tasks_overdue": True})
    fig.update_layout(height=max(300, 28 * len(df)), margin=dict(l=10, r=10, t=10, b=10),
                      font=dict(family="Noto Sans CJK SC, sans-serif"))
    return dcc.Graph(figure=fig, id="completion-by-plan")


def _target_table():
    df = data.target_attainment()
    rows = [html.Tr([
        html.Td(r.region), html.Td(r.year), html.Td(r.kpi_name_zh),
        html.Td(target_label(r.comparator, r.target_value, r.unit, r.direction, r.threshold, r.kpi_unit)
                + ("（力争）" if r.stretch else "")),
        html.Td("—" if r.actual != r.actual else f"{r.actual:g}{r.kpi_unit}"),
        html.Td("—" if r.gap != r.gap else f"{r.gap:+g}"),
        html.Td(dbc.Badge(STATUS_ZH.get(r.status, r.status), color=STATUS_COLOR.get(r.status, "secondary"))),
        html.Td(f"{r.source} 第{r.line}行", className="small text-muted"),
    ]) for r in df.itertuples()]
    head = html.Thead(html.Tr([html.Th(c) for c in
                               ("地区", "年度", "指标", "目标", "实际（年内）", "差距", "状态", "出处")]))
    return dbc.Table([head, html.Tbody(rows)], bordered=True, hover=True, size="sm", id="target-table")


def _overdue_table():
    df = data.most_overdue()
    rows = [html.Tr([html.Td(r.region), html.Td(r.plan_title), html.Td(r.no), html.Td(r.title),
                     html.Td(r.lead_units or "（未识别）"), html.Td(str(r.due_date)), html.Td(r.days_overdue),
                     html.Td(f"{r.source} 第{r.start_line}行", className="small text-muted")])
            for r in df.itertuples()]
    head = html.Thead(html.Tr([html.Th(c) for c in
                               ("地区", "计划", "序号", "任务", "牵头单位", "完成时限", "逾期天数", "出处")]))
    return dbc.Table([head, html.Tbody(rows)], bordered=True, hover=True, size="sm", id="overdue-table")


def layout(**_query):
    info = data.snapshot_info()
    if info is None:
        return dbc.Alert(LABELS["no_snapshot"], color="warning", id="no-snapshot")
    h = data.headline()
    return html.Div([
        dbc.Alert(LABELS["sample_banner"], color="warning", id="sample-banner")
        if h["includes_sample_data"] else None,
        html.Div([
            html.Span(f"{LABELS['as_of']}：{str(h['as_of'])[:10]}", id="as-of", className="me-4"),
            html.Span(f"{LABELS['snapshot']}：{info.published_at}（运行 {info.run_id[:8]}）", id="snapshot-time"),
        ], className="text-muted mb-2"),
        _headline_cards(h),
        html.H4(LABELS["completion_by_plan"], className="mt-3"),
        _completion_chart(),
        html.H4(LABELS["target_attainment"], className="mt-3"),
        _target_table(),
        html.H4(LABELS["most_overdue"], className="mt-3"),
        _overdue_table(),
    ])
