"""指标目标 Targets: one chart per KPI, region and year — monthly actuals, year-to-date line, target lines,
status — with the target sentence as printed beside it."""
import dash
import dash_bootstrap_components as dbc
import numpy as np
import pandas as pd
from dash import dcc, html

from dashboards import access, data, formats
from dashboards.components import (filter_dropdown, frame, guarded, searched_dropdown, searched_options,
                                   table_block)
from dashboards.i18n import STATUS, STATUS_COLOR, column, lang_of, pick, t, target_label
from dashboards.tables import target_source
from dashboards.thresholds import COLOURS

PATH = "/targets"
MAX_PANELS = 60
dash.register_page(__name__, path=PATH, name="指标目标 Targets", title="PlanKPI")
FONT = dict(family="Noto Sans CJK SC, Noto Sans SC, sans-serif")


def _meets(value, level, direction) -> bool | None:
    if level is None or value is None or value != value:
        return None
    return value <= level if direction == "<=" else value >= level


def _figure(chart: dict, lang: str) -> dict:
    """A plain figure dict (building plotly objects validates every property and costs ~25 ms a chart) of
    one chart (data.target_charts: its months, its lines): each bar green when the month meets the target
    line, red when it does not (grey without a line)."""
    months = chart["months"]
    values = [m["value"] for m in months]
    target = chart["target_threshold"] if chart["target_threshold"] is not None else chart["stretch_threshold"]
    colours = [{True: COLOURS["green"], False: COLOURS["red"], None: "#9aa5b1"}[_meets(v, target, chart["direction"])]
               for v in values]
    # numbers as float arrays and text as lists: orjson (Dash's JSON writer) takes both whole, but refuses a
    # numpy array of text — and one refusal sends the whole page through plotly's value-by-value clean-up
    periods = [formats.month(m["period"], lang) for m in months]
    traces = [{"type": "bar", "x": periods, "y": np.array(values, dtype=float), "name": t("monthly", lang),
               "marker": {"color": colours},
               # each bar traces to its submission row (file and row in the hover)
               "customdata": [[m["file_name"], m["row_number"]] for m in months],
               "hovertemplate": "%{x}: %{y}<br>%{customdata[0]} #%{customdata[1]}<extra></extra>"}]
    if chart["year_to_date_judged"]:  # the year to date is what is judged
        traces.append({"type": "scatter", "mode": "lines+markers", "x": periods,
                       "y": np.array([m["ytd_value"] for m in months], dtype=float), "name": t("ytd", lang),
                       "line": {"color": "#343a40"}})
    shapes, notes = [], []
    for level, key, dash_style in ((chart["target_threshold"], "target_line", "solid"),
                                   (chart["stretch_threshold"], "stretch_line", "dot")):
        if level is not None:
            y = float(level)
            shapes.append({"type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": y, "y1": y,
                           "line": {"color": "#b02a37", "dash": dash_style}})
            notes.append({"xref": "paper", "x": 0, "y": y, "yanchor": "bottom", "showarrow": False,
                          "text": f"{t(key, lang)} {y:g}", "font": {"color": "#b02a37"}})
    return {"data": traces, "layout": {
        "height": 240, "margin": {"l": 10, "r": 10, "t": 10, "b": 10}, "font": FONT,
        "legend": {"orientation": "h", "y": -0.25}, "showlegend": False,
        "yaxis": {"title": {"text": chart["measure_unit"]}, "automargin": True, "fixedrange": True},
        "xaxis": {"type": "category", "automargin": True, "fixedrange": True},
        "shapes": shapes, "annotations": notes}}


def _direction_note(direction: str | None, lang: str) -> str:
    return t("lower_is_better", lang) if direction == "<=" else t("higher_is_better", lang) if direction == ">=" else ""


def _target_notes(targets: list[dict], lang: str) -> list:
    """Each target under its chart: status in colour and words, the target, its sentence as printed and
    where it is printed (four elements a target: a province's page carries hundreds)."""
    if not targets:
        return [html.Div(t("no_target", lang), className="text-muted small")]
    stretch = "（力争）" if lang == "zh" else " (stretch)"
    return [html.Div([
        dbc.Badge(pick(STATUS, r["status"], lang), color=STATUS_COLOR.get(r["status"], "secondary"), className="me-2"),
        target_label(r["comparator"], r["target_value"], r["unit"], r["direction"], r["threshold"], r["kpi_unit"], lang)
        + (stretch if r["stretch"] else ""),
        html.Blockquote(formats.plain(_sentence(r)), className="small border-start ps-2 mt-1 mb-1",
                        title=_sentence(r)),
        html.Div(target_source(r, lang)[0], className="text-muted small",
                 title=target_source(r, lang)[1]),
    ], className="mb-2 target-note") for r in targets]


def _sentence(r: dict) -> str:
    """The plan sentence a target stands on: where it is printed, or for a value allocated by the higher
    level (省下达), the sentence that took it on (none when no plan has one)."""
    return (r["commitment_text"] if r["value_source"] == "allocated" else r["line_text"]) or ""


def _panel(key: tuple, chart: dict, targets: list[dict], lang: str) -> html.Div:
    """One small multiple: a grid column holding a card (two elements, not dbc's Col > Card > CardBody)."""
    k, reg, year = key
    name = chart["kpi_name_en" if lang == "en" else "kpi_name_zh"]
    return html.Div(html.Div([
        html.H6([f"{reg} · {name} · {year} ",
                 html.Span(_direction_note(chart["direction"], lang), className="badge text-bg-light border")],
                className="card-title"),
        dcc.Graph(figure=_figure(chart, lang), config={"displayModeBar": False}),
        *_target_notes(targets, lang),
    ], className="card card-body h-100", id=f"panel-{k}-{reg}-{year}"), className="col-lg-4 col-md-6 mb-3")


def _panels(query: dict, lang: str) -> list:
    """Small multiples, grouped by status — missed, at risk, on track, met — each under its heading; the
    indicators without monthly numbers in one table after them."""
    region, kpi, status = query.get("region") or None, query.get("kpi") or None, query.get("status") or None
    scope = access.region_scope()
    keys, charts = data.trend_keys(region, kpi, scope, MAX_PANELS + 1)
    if charts > MAX_PANELS:  # a province's thousands of charts: one region or KPI at a time
        return [dbc.Alert(t("choose_region_for_charts", lang, n=charts), color="info", id="targets-choose")]
    found = data.target_charts(region, kpi, scope)
    name_column = "kpi_name_en" if lang == "en" else "kpi_name_zh"
    groups: dict[str, list] = {}
    without_number = []
    for key in keys:
        chart = found.get(key) or {}
        own = chart.get("targets") or []
        statuses = [r["status"] for r in own]
        if status and status not in statuses:
            continue
        if not chart.get("months"):  # no monthly numbers: a row of the table below
            without_number += [{**r, "region": key[1]} for r in own]
            continue
        worst = min(statuses, key=data.STATUS_ORDER.index) if statuses else "no_data"
        groups.setdefault(worst, []).append(_panel(key, chart, own, lang))
    out = []
    for code in data.STATUS_ORDER:
        if code in groups:
            out += [html.H5(t("status_heading", lang, status=pick(STATUS, code, lang), n=len(groups[code])),
                            className=f"mt-3 status-heading text-{STATUS_COLOR[code] if code != 'on_track' else 'body'}",
                            id=f"targets-{code}"),
                    html.Div(groups[code], className="row")]
    if without_number:
        table = pd.DataFrame([{
            column("region", lang): r["region"], column("kpi_name_zh", lang): r[name_column],
            column("target", lang): target_label(r["comparator"], r["target_value"], r["unit"], r["direction"],
                                                 r["threshold"], r["kpi_unit"], lang),
            column("status", lang): pick(STATUS, r["status"], lang),
            t("target_sentence", lang): formats.plain(_sentence(r)),
            column("source", lang): target_source(r, lang)[0]} for r in without_number])
        out += [html.H5(t("targets_without_number", lang), className="mt-3"),
                dbc.Table.from_dataframe(table, size="sm", bordered=True, striped=True, className="small",
                                         responsive=True, id="targets-without-number")]
    return out


searched_options(PATH, "region", data.trend_regions)


@guarded(PATH)
def layout(**query):
    lang = lang_of(query)
    kpis = data.kpi_options()
    return frame(PATH, query,
        dbc.Row([
            searched_dropdown(PATH, "region", "filter_region", query.get("region"), lang),
            filter_dropdown("kpi", "filter_kpi",
                            [{"label": r["kpi_name_en" if lang == "en" else "kpi_name_zh"], "value": r["kpi"]}
                             for r in kpis], query.get("kpi"), lang),
            filter_dropdown("status", "filter_target_status",
                            [{"label": pick(STATUS, code, lang), "value": code} for code in data.STATUS_ORDER],
                            query.get("status"), lang),
        ], className="g-2 mb-2"),
        html.Div(_panels(query, lang)),
        # a phone reads the targets in the cards above (each with its status in colour and words and its
        # sentence), not in a wide grid
        html.Div(table_block("targets", query, height=320), className="d-none d-sm-block"),
    )
