"""总览 Overview, a cockpit read in ten seconds: headline cards judged red / amber / green (thresholds as data,
with their legend), each a link to the list behind it; completion by plan and region in the same colours,
each bar a link; binding targets at risk first; the most overdue tasks of the reader's regions; the units'
ranking (top and bottom five); completion over the months; a map of the regions coloured by completion."""
import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboards import access, data, formats, region_map, supervision, thresholds
from dashboards.bulletin_links import bulletin_links
from dashboards.components import BOOTSTRAP_HEX, TASK_STATUS_COLOR, card, frame, guarded, href, list_link, table_block
from dashboards.i18n import TASK_STATUS, lang_of, pick, t

PATH = "/"
dash.register_page(__name__, path=PATH, name="总览 Overview", title="PlanKPI")
FONT = dict(family="Noto Sans CJK SC, Noto Sans SC, sans-serif")
CHART_MAX_BARS = 30  # a province has thousands of plans and regions: the chart shows the lowest
OVERDUE_SHOWN = 10
RANKED = 5
OUTPUTS_SHOWN = 8


def _headline_cards(h: dict, lang: str, keep: dict) -> dbc.Row:
    judge = thresholds.judge
    return dbc.Row([
        card(t("plans", lang), formats.number(h["plans_total"]), "kpi-plans", link=href("/tasks", keep)),
        card(t("tasks", lang), formats.number(h["tasks_total"]), "kpi-tasks", link=href("/tasks", keep)),
        card(t("completion", lang), formats.percent(h["completion_rate"]), "kpi-completion",
             judge("completion_rate", h["completion_rate"]), href("/tasks", keep), lang),
        card(t("due_completion", lang), formats.percent(h["due_completion_rate"]), "kpi-due-completion",
             judge("due_completion_rate", h["due_completion_rate"]), href("/tasks", keep), lang),
        card(t("overdue", lang), formats.number(h["tasks_overdue"]), "kpi-overdue",
             judge("overdue_share", thresholds.share(h["tasks_overdue"], h["tasks_due"])),
             href("/tasks", keep, status="overdue"), lang),
        card(t("targets_met", lang), f"{formats.number(h['targets_met'])} / {formats.number(h['targets_total'])}",
             "kpi-targets", judge("targets_met_share", thresholds.share(h["targets_met"], h["targets_total"])),
             href("/targets", keep, status="met"), lang),
        card(t("targets_at_risk", lang), formats.number(h["targets_at_risk"]), "kpi-targets-at-risk",
             judge("targets_risk_share", thresholds.share(h["targets_at_risk"], h["targets_total"])),
             href("/targets", keep, status="at_risk"), lang),
        card(t("targets_missed", lang), formats.number(h["targets_missed"]), "kpi-targets-missed",
             judge("targets_risk_share", thresholds.share(h["targets_missed"], h["targets_total"])),
             href("/targets", keep, status="missed"), lang),
        card(t("reporting_rate", lang), formats.percent(h["reporting_rate"]), "kpi-reporting",
             judge("reporting_rate", h["reporting_rate"]), href("/units", keep), lang),
    ], className="g-2")


def _legend(lang: str) -> html.Details:
    """What the colours mean: every threshold, as the data file states it."""
    swatches = [html.Span([html.Span(className="legend-swatch", style={"background": thresholds.COLOURS[level]}),
                           thresholds.word(level, lang)], className="me-3") for level in ("green", "amber", "red")]
    return html.Details([
        html.Summary([t("legend", lang), " "] + swatches, className="small"),
        html.Ul([html.Li(th.label(lang)) for th in thresholds.thresholds().values()], className="small mb-0"),
    ], id="legend", className="mb-3")


def _completion_chart(dimension: str, df, lang: str) -> html.Div:
    """The lowest-completion plans or regions (``df``: data.scope_completion's), each bar in its threshold's
    colour; a click opens its tasks."""
    total = int(df["listed"].iat[0]) if len(df) else 0
    rates = df["completion_rate"].tolist()
    levels = [thresholds.judge("completion_rate", r) for r in rates]
    pct_ = [None if formats.missing(r) else round(r * 100, 1) for r in rates]
    labels = [f"{formats.percent(r)} {thresholds.word(lv, lang)}" for r, lv in zip(rates, levels)]
    hover = (f"%{{y}}<br>{t('completion', lang)} %{{text}}<br>"
             + "%{customdata[0]} / %{customdata[1]} · " + t("overdue", lang) + " %{customdata[2]}<extra></extra>")
    figure = {"data": [{"type": "bar", "orientation": "h", "x": pct_, "y": list(df["dimension_label"]),
                        "text": labels, "textposition": "auto", "insidetextfont": {"color": "#ffffff"},
                        "marker": {"color": [thresholds.COLOURS[lv] for lv in levels]},
                        # the bar's key last: a click opens /tasks?plan=<plan_id> (two plans may share a title)
                        "customdata": df[["tasks_completed", "tasks_with_due_date", "tasks_overdue",
                                          "dimension_value"]].values.tolist(),
                        "hovertemplate": hover}],
              "layout": {"height": max(220, 28 * len(df) + 50), "margin": {"l": 10, "r": 10, "t": 10, "b": 30},
                         "font": FONT, "xaxis": {"range": [0, 100], "title": {"text": f"{t('completion', lang)} (%)"},
                                                 "fixedrange": True},
                         "yaxis": {"automargin": True, "autorange": "reversed", "fixedrange": True}}}
    note = ([html.Div(t("lowest_shown", lang, n=CHART_MAX_BARS, total=total), className="small text-muted",
                      id=f"completion-by-{dimension}-note")] if total > CHART_MAX_BARS else [])
    return html.Div(note + [
        html.Div(t("click_bar", lang), className="small text-muted"),
        # no mode bar: on a phone and on the top bars it covered the bars themselves
        dcc.Graph(figure=figure, id=f"completion-by-{dimension}", config={"displayModeBar": False}),
    ])


# The task states stacked at each month end, completed at the bottom, then what the office and the units
# still owe, each in the colour the task list gives its status (components.TASK_STATUS_COLOR).
MONTH_STATES = ("completed_on_time", "completed_late", "awaiting_review", "not_due", "ongoing", "overdue")


def _months_chart(scope: str | None, lang: str) -> html.Div:
    """The reader's tasks at every month end (mart_scope_months): a leader's region and the regions
    below it (a city and its counties), the province for a reader of every region — stacked by state,
    with the completion rate as a line; one bar per month end."""
    df = data.scope_months(scope, MONTH_STATES) if scope else None
    if df is None or df.empty:
        return html.Div([html.H5(t("completion_by_month", lang, scope=scope or t("all_regions", lang))),
                         html.Div(t("none", lang), className="text-muted small")], id="months-chart", className="mt-3")
    months = [formats.day(m, "en") for m in df["month_end"]]
    bars = [{"type": "bar", "name": pick(TASK_STATUS, state, lang), "x": months, "y": df[state].tolist(),
             "marker": {"color": BOOTSTRAP_HEX[TASK_STATUS_COLOR[state]]},
             "hovertemplate": f"%{{x}} · {pick(TASK_STATUS, state, lang)} %{{y}}<extra></extra>"}
            for state in MONTH_STATES]
    rates = df["completion_rate"].tolist()
    line = {"type": "scatter", "mode": "lines+markers", "name": t("completion", lang), "yaxis": "y2", "x": months,
            "y": [None if formats.missing(r) else round(r * 100, 1) for r in rates],
            "text": [formats.percent(r) for r in rates],
            "customdata": [[formats.number(a), formats.number(b), formats.number(c)] for a, b, c in
                           df[["tasks_completed", "tasks_with_due_date", "scope_tasks"]].itertuples(index=False)],
            "hovertemplate": (f"%{{x}}<br>{t('completion', lang)} %{{text}}"
                              + (" (%{customdata[0]} / %{customdata[1]})" if lang == "en" else "（%{customdata[0]} / %{customdata[1]}）")
                              + f"<br>{t('tasks', lang)} %{{customdata[2]}}<extra></extra>"),
            "line": {"color": "#212529"}}
    figure = {"data": [*bars, line],
              "layout": {"barmode": "stack", "height": 320, "margin": {"l": 10, "r": 10, "t": 10, "b": 30},
                         "font": FONT, "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
                         "xaxis": {"type": "date", "title": {"text": t("month_end_axis", lang)}, "fixedrange": True},
                         "yaxis": {"title": {"text": t("tasks", lang)}, "automargin": True, "fixedrange": True},
                         "yaxis2": {"range": [0, 100], "overlaying": "y", "side": "right", "fixedrange": True,
                                    "title": {"text": f"{t('completion', lang)} (%)"}, "automargin": True,
                                    "showgrid": False}}}
    regions = access.region_scope()  # a leader's (None: every region, below the province)
    below = regions is None or len(regions) > 1
    return html.Div([
        html.H5(t("completion_by_month", lang, scope=t("scope_and_below", lang, scope=scope) if below else scope)),
        dcc.Graph(figure=figure, id="completion-by-month", config={"displayModeBar": False}),
    ], id="months-chart", className="mt-3")


def _overdue_list(lang: str, keep: dict) -> html.Div:
    """The most overdue tasks of the reader's regions (scoped before the cut), each a link to its detail,
    and a link to all of them."""
    rows = data.most_overdue_rows(OVERDUE_SHOWN, access.scope_key())  # rows as dicts: no frame for ten
    listed = int(rows[0]["listed"]) if rows else 0
    if not listed:
        return html.Div(t("none_overdue", lang), className="text-muted small", id="overdue-list")
    items = [list_link([
        html.Span(formats.task_name(r["plan_title"], r["no"], lang), className="fw-semibold me-2", title=r["task_id"]),
        html.Span(t("days_overdue_n", lang, n=formats.number(r["days_overdue"])), className="badge bg-danger"),
        html.Div(r["title"], className="small overdue-title"),
        html.Div(f"{r['lead_units'] or ''} · {formats.day(r['due_date'], lang)}", className="small text-muted"),
    ], href("/tasks", keep, status="overdue", task=r["task_id"]), "overdue-item") for r in rows]
    return html.Div([
        html.Div(items, id="overdue-list", className="list-group mb-2"),
        dcc.Link(t("see_all_n", lang, n=formats.number(listed)), href=href("/tasks", keep, status="overdue"),
                 id="overdue-see-all", className="btn btn-outline-danger btn-sm"),
    ])


def _progress(rate, colour: str) -> html.Div:
    """Bootstrap's progress bar (what dbc.Progress draws) in the threshold's colour, its percent on it."""
    shown = not formats.missing(rate)
    value = min(100, round(100 * rate, 1)) if shown else 0
    return html.Div(html.Div(formats.percent(rate) if shown else "", className="progress-bar", role="progressbar",
                             style={"width": f"{value}%", "backgroundColor": colour},
                             **{"aria-valuenow": value, "aria-valuemin": 0, "aria-valuemax": 100}),
                    className="progress output-bar mt-1", style={"height": "14px"})


def _outputs(lang: str, keep: dict) -> html.Div:
    """Planned against reported output quantities (计划 268 个 / 已报 120 个), the least advanced first, each a
    link to its task; the bar in the output_rate threshold's colour."""
    rows = data.task_outputs(OUTPUTS_SHOWN, access.scope_key())
    if not rows:
        return html.Div(t("none", lang), className="text-muted small", id="outputs-list")
    items = []
    for r in rows:
        planned = formats.number(r["target_value"]) + ("" if formats.missing(r["target_value_hi"])
                                                       else f"–{formats.number(r['target_value_hi'])}")
        reported = (t("output_reported_n", lang, n=formats.number(r["reported_value"]), unit=r["measure_unit"],
                      when=formats.month(r["reported_period"], lang))
                    if not formats.missing(r["reported_value"]) else t("output_not_reported", lang))
        items.append(list_link([
            html.Span(formats.task_name(r["plan_title"], r["no"], lang), className="fw-semibold me-2",
                      title=r["task_id"]),
            html.Span(r["indicator"], className="small"),
            html.Div(f"{t('output_planned_n', lang, n=planned, unit=r['measure_unit'])} / {reported}",
                     className="small output-figures"),
            _progress(r["output_rate"], thresholds.COLOURS[thresholds.judge("output_rate", r["output_rate"])]),
        ], href("/tasks", keep, task=r["task_id"]), "output-item"))
    note = t("outputs_shown", lang, shown=len(rows), total=formats.number(rows[0]["listed"]),
             reported=formats.number(rows[0]["reported"]))
    return html.Div([html.Div(note, className="small text-muted mb-1", id="outputs-note"),
                     html.Div(items, id="outputs-list", className="list-group mb-2")])


def _unit_ranking(lang: str) -> dbc.Row:
    """The 红黑榜: the five units with the best and the five with the worst on-time completion of their
    lead tasks (reporting rate breaks ties)."""
    rows = data.unit_ranking(RANKED, access.scope_key())

    def ranked(rows: list[dict], test_id: str, colour: str):
        if not rows:
            return html.Div(t("none", lang), className="text-muted small", id=test_id)
        return html.Div([html.Div([
            html.Span(r["unit"], className="fw-semibold me-1"), html.Span(r["region"], className="small text-muted"),
            html.Div(f"{t('on_time', lang)} {formats.percent(r['lead_on_time_rate'])} · "
                     f"{t('reporting_rate', lang)} {formats.percent(r['reporting_rate'])} · "
                     f"{t('overdue', lang)} {formats.number(r['lead_overdue'])}", className="small"),
        ], className=f"list-group-item list-group-item-{colour}") for r in rows], id=test_id,
            className="list-group list-group-flush")

    top = [r for r in rows if r["rank"] <= RANKED]
    # the bottom five, worst first, when there are more than five (fewer are all in the top already)
    bottom = sorted((r for r in rows if r["ranked"] > RANKED and r["rank"] > r["ranked"] - RANKED),
                    key=lambda r: -r["rank"])
    return dbc.Row([
        dbc.Col([html.H6(t("units_top", lang)), ranked(top, "units-top", "success")], md=6),
        dbc.Col([html.H6(t("units_bottom", lang)), ranked(bottom, "units-bottom", "danger")], md=6),
    ])


@guarded(PATH)
def layout(**query):
    lang = lang_of(query)
    acc = access.account()
    keep = {"lang": query.get("lang")}
    h = data.scope_headline(acc.region) if access.region_scope() is not None else data.headline()
    completion = data.scope_completion(access.scope_key(), CHART_MAX_BARS)  # the bars and the map: one lookup
    return frame(PATH, query,
        bulletin_links(),  # h27's 通报 downloads, beside the figures they report
        _headline_cards(h, lang, keep),
        dbc.Row([supervision.awaiting_review_card(h, lang, keep)], className="g-2"),  # 待审核 (issue 26)
        _legend(lang),
        dbc.Row([
            dbc.Col([html.H5(t("completion_by_plan", lang)), _completion_chart("plan", completion["plan"], lang)],
                    lg=7),
            dbc.Col([html.H5(t("completion_by_region", lang)),
                     _completion_chart("region", completion["region"], lang)], lg=5),
        ], className="mt-2"),
        _months_chart(acc.region if access.region_scope() is not None else data.default_scope(), lang),
        dbc.Row([
            dbc.Col([html.H5(t("most_overdue", lang)), _overdue_list(lang, keep)], lg=6, className="mb-3"),
            dbc.Col([html.H5(t("region_map", lang)), region_map.figure_block(lang, completion["map"])], lg=6, className="mb-3"),
        ], className="mt-3"),
        html.H5(t("units_ranking", lang), className="mt-2"),
        _unit_ranking(lang),
        html.H5(t("outputs_planned_vs_reported", lang), className="mt-4"),
        _outputs(lang, keep),
        html.H5(t("target_attainment", lang), className="mt-4"),
        html.Div(t("binding_first", lang), className="small text-muted mb-1"),
        # a phone gets the cards and lists above and a link here, not a wide grid
        html.Div(table_block("targets", query, height=420), className="d-none d-sm-block"),
        dcc.Link(t("targets_page", lang), href=href("/targets", keep), className="btn btn-outline-success btn-sm d-sm-none",
                 id="targets-link-phone"),
    )
