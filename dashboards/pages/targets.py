"""指标目标 Targets: one chart per KPI, region and year — monthly actuals, year-to-date line, target lines,
status — with the target sentence as printed beside it."""
import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboards import access, data, formats
from dashboards.components import (filter_dropdown, frame, guarded, searched_dropdown, searched_options,
                                   table_block)
from dashboards.i18n import STATUS, STATUS_COLOR, column, lang_of, pick, t, target_label
from dashboards.thresholds import COLOURS

PATH = "/targets"
MAX_PANELS = 60
dash.register_page(__name__, path=PATH, name="指标目标 Targets", title="PlanKPI")
FONT = dict(family="Noto Sans CJK SC, Noto Sans SC, sans-serif")


def _meets(value, level, direction) -> bool | None:
    if level is None or value is None or value != value:
        return None
    return value <= level if direction == "<=" else value >= level


def _figure(series: dict[str, list], lang: str) -> dict:
    """A plain figure dict (building plotly objects validates every property and costs ~25 ms a chart) of
    one chart's monthly rows, column -> values: each bar green when the month meets the target line, red
    when it does not (grey without a line)."""
    target = next((v for v in [*series["target_threshold"], *series["stretch_threshold"]] if v is not None and v == v),
                  None)  # the binding line, or the stretch line where only that was printed
    direction = next((d for d in series["direction"] if d), None)
    colours = [{True: COLOURS["green"], False: COLOURS["red"], None: "#9aa5b1"}[_meets(v, target, direction)]
               for v in series["value"]]
    periods = [formats.month(p, lang) for p in series["period"]]
    traces = [{"type": "bar", "x": periods, "y": series["value"], "name": t("monthly", lang),
               "marker": {"color": colours},
               # each bar traces to its submission row (file and row in the hover)
               "customdata": list(zip(series["file_name"], series["row_number"])),
               "hovertemplate": "%{x}: %{y}<br>%{customdata[0]} #%{customdata[1]}<extra></extra>"}]
    if any(rule != "level_at_date" for rule in series["year_rule"]):  # the year to date is what is judged
        traces.append({"type": "scatter", "mode": "lines+markers", "x": periods,
                       "y": series["ytd_value"], "name": t("ytd", lang), "line": {"color": "#343a40"}})
    shapes, notes = [], []
    for col, key, dash_style in (("target_threshold", "target_line", "solid"),
                                 ("stretch_threshold", "stretch_line", "dot")):
        level = next((v for v in series[col] if v is not None and v == v), None)
        if level is not None:
            y = float(level)
            shapes.append({"type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": y, "y1": y,
                           "line": {"color": "#b02a37", "dash": dash_style}})
            notes.append({"xref": "paper", "x": 0, "y": y, "yanchor": "bottom", "showarrow": False,
                          "text": f"{t(key, lang)} {y:g}", "font": {"color": "#b02a37"}})
    return {"data": traces, "layout": {
        "height": 240, "margin": {"l": 10, "r": 10, "t": 10, "b": 10}, "font": FONT,
        "legend": {"orientation": "h", "y": -0.25}, "showlegend": False,
        "yaxis": {"title": {"text": series["measure_unit"][0]}, "automargin": True, "fixedrange": True},
        "xaxis": {"type": "category", "automargin": True, "fixedrange": True},
        "shapes": shapes, "annotations": notes}}


def _direction_note(direction: str | None, lang: str) -> str:
    return t("lower_is_better", lang) if direction == "<=" else t("higher_is_better", lang) if direction == ">=" else ""


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
            html.Blockquote(formats.plain(r["line_text"]), className="small border-start ps-2 mt-1 mb-1",
                            title=r["line_text"] or ""),
            html.Div(formats.source_name(r["plan_title"] or "", r["line"], lang), className="text-muted small",
                     title=r["reference"]),
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
    """Small multiples, grouped by status — missed, at risk, on track, met — each under its heading; the
    indicators without monthly numbers in one table after them."""
    region, kpi, status = query.get("region") or None, query.get("kpi") or None, query.get("status") or None
    keys, charts = data.trend_keys(region, kpi, access.region_scope(), MAX_PANELS + 1)
    if charts > MAX_PANELS:  # a province's thousands of charts: one region or KPI at a time
        return [dbc.Alert(t("choose_region_for_charts", lang, n=charts), color="info", id="targets-choose")]
    series_of = _by_chart(data.trends(region, kpi))
    targets_of = _by_chart(data.target_attainment(region, kpi))
    name_column = "kpi_name_en" if lang == "en" else "kpi_name_zh"
    groups: dict[str, list] = {}
    without_number = []
    for k, reg, year in keys:
        series, own = series_of.get((k, reg, year)), _records(targets_of.get((k, reg, year)))
        statuses = [r["status"] for r in own]
        worst = min(statuses, key=data.STATUS_ORDER.index) if statuses else "no_data"
        if status and status not in statuses:
            continue
        name = series[name_column][0] if series else own[0][name_column]
        if not series:
            without_number += own
            continue
        direction = next((d for d in series["direction"] if d), None)
        groups.setdefault(worst, []).append(dbc.Col(dbc.Card(dbc.CardBody([
            html.H6([f"{reg} · {name} · {year} ",
                     html.Span(_direction_note(direction, lang), className="badge text-bg-light border")],
                    className="card-title"),
            dcc.Graph(figure=_figure(series, lang), config={"displayModeBar": False}),
            html.Div(_target_notes(own, lang)),
        ]), className="mb-3 h-100", id=f"panel-{k}-{reg}-{year}"), lg=4, md=6, className="mb-3"))
    out = []
    for code in data.STATUS_ORDER:
        if code in groups:
            out += [html.H5(t("status_heading", lang, status=pick(STATUS, code, lang), n=len(groups[code])),
                            className=f"mt-3 status-heading text-{STATUS_COLOR[code] if code != 'on_track' else 'body'}",
                            id=f"targets-{code}"),
                    dbc.Row(groups[code])]
    if without_number:
        table = pd.DataFrame([{
            column("region", lang): r["region"], column("kpi_name_zh", lang): r[name_column],
            column("target", lang): target_label(r["comparator"], r["target_value"], r["unit"], r["direction"],
                                                 r["threshold"], r["kpi_unit"], lang),
            column("status", lang): pick(STATUS, r["status"], lang),
            t("target_sentence", lang): formats.plain(r["line_text"])} for r in without_number])
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
                            [{"label": r.kpi_name_en if lang == "en" else r.kpi_name_zh, "value": r.kpi}
                             for r in kpis.itertuples()], query.get("kpi"), lang),
            filter_dropdown("status", "filter_target_status",
                            [{"label": pick(STATUS, code, lang), "value": code} for code in data.STATUS_ORDER],
                            query.get("status"), lang),
        ], className="g-2 mb-2"),
        html.Div(_panels(query, lang)),
        # a phone reads the targets in the cards above (each with its status in colour and words and its
        # sentence), not in a wide grid
        html.Div(table_block("targets", query, height=320), className="d-none d-sm-block"),
    )
