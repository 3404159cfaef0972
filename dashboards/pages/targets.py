"""指标目标 Targets: one chart per KPI, region and year — monthly actuals, year-to-date line, target lines,
status — with the target sentence as printed beside it."""
import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboards import access, data
from dashboards.components import (filter_dropdown, frame, guarded, searched_dropdown, searched_options,
                                   table_block)
from dashboards.i18n import STATUS, STATUS_COLOR, lang_of, pick, t, target_label

PATH = "/targets"
MAX_PANELS = 60
dash.register_page(__name__, path=PATH, name="指标目标 Targets", title="PlanKPI")
FONT = dict(family="Noto Sans CJK SC, Noto Sans SC, sans-serif")


def _figure(series: pd.DataFrame, lang: str) -> dict:
    """A plain figure dict: building plotly objects validates every property and costs ~25 ms a chart."""
    traces = [{"type": "bar", "x": list(series["period"]), "y": list(series["value"]), "name": t("monthly", lang),
               "marker": {"color": "#9ec5a8"}, "customdata": series[["file_name", "row_number"]].values.tolist(),
               "hovertemplate": "%{y}<br>%{customdata[0]} #%{customdata[1]}<extra></extra>"}]
    if (series["aggregation"] == "mean").any():
        traces.append({"type": "scatter", "mode": "lines+markers", "x": list(series["period"]),
                       "y": list(series["ytd_mean"]), "name": t("ytd", lang), "line": {"color": "#146c43"}})
    shapes, notes = [], []
    for col, key, dash_style in (("target_threshold", "target_line", "solid"),
                                 ("stretch_threshold", "stretch_line", "dot")):
        level = series[col].dropna()
        if not level.empty:
            y = float(level.iloc[0])
            shapes.append({"type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": y, "y1": y,
                           "line": {"color": "#dc3545", "dash": dash_style}})
            notes.append({"xref": "paper", "x": 0, "y": y, "yanchor": "bottom", "showarrow": False,
                          "text": f"{t(key, lang)} {y:g}", "font": {"color": "#dc3545"}})
    return {"data": traces, "layout": {
        "height": 280, "margin": {"l": 10, "r": 10, "t": 30, "b": 10}, "font": FONT, "legend": {"orientation": "h"},
        "yaxis": {"title": {"text": series["unit"].iloc[0]}, "automargin": True}, "xaxis": {"type": "category"},
        "shapes": shapes, "annotations": notes}}


def _target_notes(targets: pd.DataFrame, lang: str) -> list:
    if targets.empty:
        return [html.Div(t("no_target", lang), className="text-muted small")]
    notes = []
    for r in targets.itertuples():
        label = target_label(r.comparator, r.target_value, r.unit, r.direction, r.threshold, r.kpi_unit, lang)
        notes.append(html.Div([
            dbc.Badge(pick(STATUS, r.status, lang), color=STATUS_COLOR.get(r.status, "secondary"), className="me-2"),
            html.Span(label + ("（力争）" if r.stretch and lang == "zh" else " (stretch)" if r.stretch else "")),
            html.Blockquote(r.line_text or "", className="small border-start ps-2 mt-1 mb-1"),
            html.Div(r.reference, className="text-muted small"),
        ], className="mb-2 target-note"))
    return notes


def _by_chart(frame: pd.DataFrame) -> dict[tuple, pd.DataFrame]:
    """The rows of each chart: (kpi, region, year) -> its rows, in their order."""
    return dict(tuple(frame.groupby(["kpi", "region", "year"], sort=False)))


def _panels(query: dict, lang: str) -> list:
    region, kpi = query.get("region") or None, query.get("kpi") or None
    scope = access.region_scope()
    keys = sorted(k for k in data.trend_keys(region, kpi).itertuples(index=False, name=None)
                  if scope is None or k[1] in scope)
    if len(keys) > MAX_PANELS:  # a province's thousands of charts: one region or KPI at a time
        return [dbc.Alert(t("choose_region_for_charts", lang, n=len(keys)), color="info", id="targets-choose")]
    trends, targets = data.trends(region, kpi), data.target_attainment(region, kpi)
    series_of, targets_of = _by_chart(trends), _by_chart(targets)  # grouped once, not filtered per chart
    panels = []
    for k, reg, year in keys:
        series = series_of.get((k, reg, year), trends.iloc[:0])
        own = targets_of.get((k, reg, year), targets.iloc[:0])
        names = series if not series.empty else own
        name = names["kpi_name_en" if lang == "en" else "kpi_name_zh"].iloc[0]
        body = [dcc.Graph(figure=_figure(series, lang), config={"displaylogo": False})] if not series.empty else []
        panels.append(dbc.Col(dbc.Card(dbc.CardBody([
            html.H6(f"{reg} · {name} · {year}", className="card-title"),
            dbc.Row([dbc.Col(body, md=8), dbc.Col(_target_notes(own, lang), md=4)]),
        ]), className="mb-3", id=f"panel-{k}-{reg}-{year}"), lg=12))
    return panels


searched_options(PATH, "region", data.trend_regions)


@guarded(PATH)
def layout(**query):
    lang = lang_of(query)
    kpis = data.kpi_options()
    return frame(PATH, query,
        dbc.Row([
            searched_dropdown(PATH, "region", "filter_region", query.get("region"), lang),
            filter_dropdown("kpi", "filter_kpi",
                            [{"label": r.kpi_name_en if lang == "en" else r.kpi_name_zh, "value": r.kpi}
                             for r in kpis.itertuples()], query.get("kpi"), lang),
        ], className="g-2 mb-2"),
        table_block("targets", query, height=320),
        dbc.Row(_panels(query, lang)),
    )
