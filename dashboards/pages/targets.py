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


def _figure(series: dict[str, list], lang: str) -> dict:
    """A plain figure dict (building plotly objects validates every property and costs ~25 ms a chart) of
    one chart's monthly rows, column -> values."""
    traces = [{"type": "bar", "x": series["period"], "y": series["value"], "name": t("monthly", lang),
               "marker": {"color": "#9ec5a8"}, "customdata": list(zip(series["file_name"], series["row_number"])),
               "hovertemplate": "%{y}<br>%{customdata[0]} #%{customdata[1]}<extra></extra>"}]
    if any(rule != "level_at_date" for rule in series["year_rule"]):  # the year to date is what is judged
        traces.append({"type": "scatter", "mode": "lines+markers", "x": series["period"],
                       "y": series["ytd_value"], "name": t("ytd", lang), "line": {"color": "#146c43"}})
    shapes, notes = [], []
    for col, key, dash_style in (("target_threshold", "target_line", "solid"),
                                 ("stretch_threshold", "stretch_line", "dot")):
        level = next((v for v in series[col] if v is not None and v == v), None)
        if level is not None:
            y = float(level)
            shapes.append({"type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": y, "y1": y,
                           "line": {"color": "#dc3545", "dash": dash_style}})
            notes.append({"xref": "paper", "x": 0, "y": y, "yanchor": "bottom", "showarrow": False,
                          "text": f"{t(key, lang)} {y:g}", "font": {"color": "#dc3545"}})
    return {"data": traces, "layout": {
        "height": 280, "margin": {"l": 10, "r": 10, "t": 30, "b": 10}, "font": FONT, "legend": {"orientation": "h"},
        "yaxis": {"title": {"text": series["measure_unit"][0]}, "automargin": True}, "xaxis": {"type": "category"},
        "shapes": shapes, "annotations": notes}}


def _target_notes(targets: list[dict], lang: str) -> list:
    if not targets:
        return [html.Div(t("no_target", lang), className="text-muted small")]
    notes = []
    for r in targets:
        label = target_label(r["comparator"], r["target_value"], r["unit"], r["direction"], r["threshold"],
                             r["kpi_unit"], lang)
        stretch = r["stretch"]
        notes.append(html.Div([
            dbc.Badge(pick(STATUS, r["status"], lang), color=STATUS_COLOR.get(r["status"], "secondary"), className="me-2"),
            html.Span(label + ("（力争）" if stretch and lang == "zh" else " (stretch)" if stretch else "")),
            html.Blockquote(r["line_text"] or "", className="small border-start ps-2 mt-1 mb-1"),
            html.Div(r["reference"], className="text-muted small"),
        ], className="mb-2 target-note"))
    return notes


def _by_chart(frame: pd.DataFrame) -> dict[tuple, dict[str, list]]:
    """The rows of each chart as plain values, grouped once: (kpi, region, year) -> column -> its values, in
    their order (a region's charts read them dozens of times; pandas indexing cost more than drawing)."""
    columns = {c: frame[c].to_numpy(dtype=object) for c in frame.columns}
    return {key: {c: values[rows].tolist() for c, values in columns.items()}
            for key, rows in frame.groupby(["kpi", "region", "year"], sort=False).indices.items()}


def _records(columns: dict[str, list] | None) -> list[dict]:
    return [dict(zip(columns, row)) for row in zip(*columns.values())] if columns else []


def _panels(query: dict, lang: str) -> list:
    region, kpi = query.get("region") or None, query.get("kpi") or None
    keys, charts = data.trend_keys(region, kpi, access.region_scope(), MAX_PANELS + 1)
    if charts > MAX_PANELS:  # a province's thousands of charts: one region or KPI at a time
        return [dbc.Alert(t("choose_region_for_charts", lang, n=charts), color="info", id="targets-choose")]
    series_of = _by_chart(data.trends(region, kpi))
    targets_of = _by_chart(data.target_attainment(region, kpi))
    name_column = "kpi_name_en" if lang == "en" else "kpi_name_zh"
    panels = []
    for k, reg, year in keys:
        series, own = series_of.get((k, reg, year)), _records(targets_of.get((k, reg, year)))
        name = series[name_column][0] if series else own[0][name_column]
        body = [dcc.Graph(figure=_figure(series, lang), config={"displaylogo": False})] if series else []
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
