"""计划与任务 Plans & tasks: filters, the task table, and one task's detail down to its source sentence."""
import functools

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboards import access, data, formats, supervision, tables
from dashboards.grid_model import Window
from dashboards.components import (OPTIONS_INLINE, TASK_STATUS_COLOR, colon, filter_dropdown, frame, guarded, href,
                                   list_link, searched_dropdown, rows_grid, searched_options, table_block)
from dashboards.i18n import COMPARATOR, DEADLINE_KIND, DOMAIN, DUE_BASIS, ROLE, TASK_STATUS, column, lang_of, pick, t

PATH = "/tasks"
dash.register_page(__name__, path=PATH, name="计划与任务 Plans & tasks", title="PlanKPI")


def _options(values, table: dict, lang: str) -> list[dict]:
    return [{"label": pick(table, v, lang), "value": v} for v in values]


SEARCHED = ("region", "plan", "category", "unit")  # a province has thousands of each (domains: four)
for facet in SEARCHED:
    searched_options(PATH, facet, functools.partial(data.task_facet, facet))


def _filters(query: dict, lang: str) -> dbc.Row:
    # every filter's first options in one query (domains: all four)
    listed = data.task_filter_options({f: query.get(f) for f in SEARCHED},
                                      {**{f: OPTIONS_INLINE for f in SEARCHED}, "domain": None})
    domains = [o["value"] for o in listed["domain"][0]]

    def searched(name: str) -> dbc.Col:
        return searched_dropdown(PATH, name, f"filter_{name}", query.get(name), lang, listed[name])
    return dbc.Row([
        searched("region"),
        searched("plan"),
        filter_dropdown("domain", "filter_domain", _options(domains, DOMAIN, lang), query.get("domain"), lang),
        searched("category"),
        searched("unit"),
        filter_dropdown("role", "filter_role", _options(ROLE, ROLE, lang), query.get("role"), lang),
        filter_dropdown("status", "filter_status", _options(TASK_STATUS, TASK_STATUS, lang),
                        query.get("status"), lang),
        dbc.Col(dcc.Checklist(id={"type": "filter", "name": "overdue"},
                              options=[{"label": " " + t("filter_overdue", lang), "value": "1"}],
                              value=["1"] if query.get("overdue") == "1" else [], className="mt-4"), xs=6, md=2),
    ], className="g-2 mb-2")


def _small_table(df: pd.DataFrame, lang: str, test_id: str, labels: dict | None = None) -> html.Div:
    if df.empty:
        return html.Div(t("none", lang), className="text-muted small mb-2", id=test_id)
    labels = labels or {}
    head = html.Thead(html.Tr([html.Th(labels.get(c, column(c, lang)), className="text-nowrap") for c in df.columns]))
    body = html.Tbody([html.Tr([html.Td("" if v is None or v != v else str(v)) for v in row])
                       for row in df.itertuples(index=False)])
    return html.Div(dbc.Table([head, body], size="sm", bordered=True, striped=True, className="small mb-0",
                              id=test_id), className="table-responsive mb-2")


def _not_shown(message_key: str, query: dict, lang: str, path: str = PATH) -> dbc.Alert:
    """A stale, mistyped or out-of-scope task link: what happened and the way back, never a blank page."""
    back = {k: v for k, v in query.items() if k != "task"}
    return dbc.Alert([html.Div(t(message_key, lang)),
                      dcc.Link(t("back_to_list", lang), href=href(path, back), className="alert-link",
                               id="task-back")], color="warning", id="task-detail")


def _paragraph(lines: pd.DataFrame) -> str:
    """The printed lines of the task re-joined into its paragraph (a line break inside a Chinese sentence
    is no space; empty lines and the PDF's page positions left out)."""
    return formats.plain("\n".join(str(text).strip() for text in lines["text"] if str(text).strip()))


def _report_chart(reports: pd.DataFrame, lang: str):
    """The percent reported over the periods (the latest report of each period), status in the hover."""
    if reports.empty or reports["percent"].isna().all():
        return None
    latest = reports.dropna(subset=["period"]).drop_duplicates("period").sort_values("period")
    figure = {"data": [{"type": "scatter", "mode": "lines+markers", "x": [formats.month(p, lang) for p in latest["period"]],
                        "y": latest["percent"].tolist(), "text": latest["status"].tolist(),
                        "hovertemplate": "%{x}: %{y}% · %{text}<extra></extra>", "line": {"color": "#146c43"}}],
              "layout": {"height": 220, "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
                         "yaxis": {"range": [0, 105], "title": {"text": column("percent", lang)}, "automargin": True,
                                   "fixedrange": True},
                         "xaxis": {"type": "category", "automargin": True, "fixedrange": True},
                         "font": {"family": "Noto Sans CJK SC, sans-serif"}}}
    return dcc.Graph(figure=figure, id="task-report-chart", config={"displayModeBar": False})


def _outputs(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """完成 ≥ 268 个: the printed quantity (a range as 1–2) beside what is counted, and the 累计完成量 reported
    against it (mart_task_outputs: put against the output when the task has one; with several, the task's
    figure is shown as not assignable)."""
    def quantity(r: dict) -> str:
        hi = r["target_value_hi"]
        value = f"{r['target_value']:g}" + ("" if hi is None or hi != hi else f"–{hi:g}")
        return f"{COMPARATOR.get(r['comparator'], r['comparator'])} {value} {r['measure_unit']}"

    def reported(r: dict) -> str:
        when = formats.month(r["reported_period"], lang)
        if not formats.missing(r["reported_value"]):
            return f"{formats.number(r['reported_value'])} {r['measure_unit']}（{when}）" if lang == "zh" else \
                f"{formats.number(r['reported_value'])} {r['measure_unit']} ({when})"
        if not formats.missing(r["reported_for_task"]):
            return t("output_not_assignable", lang, n=formats.number(r["reported_for_task"]), when=when)
        return ""
    rows = df.to_dict("records")  # one pass over dicts (itertuples twice built a tuple class each time)
    return pd.DataFrame({"indicator": df["indicator"], "quantity": [quantity(r) for r in rows],
                         "reported": [reported(r) for r in rows], "year": df["year"], "line": df["line"]})


def _detail(task_id: str, query: dict, lang: str, path: str = PATH) -> html.Div:
    """One task's detail, on ``path`` (/tasks, or a unit's /my), to whom may see it (access.may_see_task)."""
    d = data.task(task_id)
    if d is None:
        return _not_shown("task_not_found", query, lang, path)
    if not access.may_see_task(task_id, d["task"]["region"]):
        return _not_shown("task_out_of_scope", query, lang, path)
    task = d["task"]
    lines = d["lines"]
    original = html.Pre("\n".join(f"{n:>5}  {'［' + loc + '］' if isinstance(loc, str) else ''}{text}"
                                   for n, loc, text in lines.itertuples(index=False)),
                        className="bg-light p-2 small", style={"whiteSpace": "pre-wrap"})
    units = d["units"].assign(role=lambda f: f["role"].map(lambda r: pick(ROLE, r, lang)),
                              propagated=lambda f: f["propagated"].map(lambda p: t("propagated", lang) if p else ""))
    deadlines = d["deadlines"].assign(due_date=lambda f: f["due_date"].map(lambda v: formats.day(v, lang)),
                                      kind=lambda f: f["kind"].map(lambda k: pick(DEADLINE_KIND, k, lang)),
                                      source=lambda f: [formats.source_name(task["plan_title"], n, lang)
                                                        for n in f["line"]]).drop(columns=["line"])
    reports = d["reports"]
    shown_reports = reports.assign(period=lambda f: f["period"].map(lambda v: formats.month(v, lang)),
                                   completed_on=lambda f: f["completed_on"].map(lambda v: formats.day(v, lang)),
                                   received_at=lambda f: f["received_at"].map(lambda v: formats.moment(v, lang)),
                                   percent=lambda f: f["percent"].map(lambda v: "" if formats.missing(v)
                                                                      else f"{formats.number(v)}%"),
                                   output_done=lambda f: f["output_done"].map(lambda v: "" if formats.missing(v)
                                                                              else formats.number(v)),
                                   ).drop(columns=["file_name", "row_number"])
    annex = d["annex"].assign(source=lambda f: [formats.source_name(task["plan_title"], n, lang)
                                                for n in f["start_line"]]).drop(columns=["start_line", "link_score"])
    chart = _report_chart(reports, lang)
    basis = pick(DUE_BASIS, task["due_basis"], lang)
    return dbc.Card(dbc.CardBody([
        html.H5([formats.task_name(task["plan_title"], task["no"], lang), html.Br(),
                 html.Span(task["title"], className="fs-6")], className="card-title", title=task_id),
        html.Div([dbc.Badge(pick(TASK_STATUS, task["status_class"], lang),
                            color=TASK_STATUS_COLOR.get(task["status_class"], "secondary"), className="me-2",
                            id="task-status"),
                  html.Strong(column("due_date", lang) + colon(lang)),
                  html.Span(formats.day(task["due_date"], lang) or t("none", lang), id="task-due"),
                  html.Span(f"（{basis}）" if lang == "zh" else f" ({basis})", id="task-due-basis")],
                 className="mb-2"),
        html.Div(formats.source_name(task["plan_title"], task["start_line"], lang)
                 + (f"（{task['location']}）" if isinstance(task.get("location"), str) and task["location"] else ""),
                 className="text-muted small", id="task-source-ref",
                 title=f"{task['source']}:{task['start_line']}–{task['end_line']}"),
        html.H6(t("source_text", lang), className="mt-3"),
        html.P(_paragraph(lines), id="task-source", className="bg-light p-2"),
        html.Details([html.Summary(t("original_lines", lang), className="small"), original], className="mb-2"),
        dbc.Row([
            dbc.Col([html.H6(t("units_by_role", lang)), _small_table(units, lang, "task-units")], lg=6),
            dbc.Col([html.H6(t("deadlines", lang)), _small_table(deadlines, lang, "task-deadlines")], lg=6),
        ]),
        html.H6(t("report_history", lang)), chart if chart is not None else html.Div(t("none", lang), className="small text-muted"),
        html.H6(t("reports", lang)), rows_grid("task-reports", shown_reports, lang),
        html.H6(t("task_outputs", lang)), _small_table(_outputs(d["outputs"], lang), lang, "task-outputs",
                                                       {"indicator": t("output_indicator", lang),
                                                        "quantity": t("quantity", lang),
                                                        "reported": t("output_reported", lang)}),
        html.H6(t("annex_rows", lang)), _small_table(annex, lang, "task-annex"),
        supervision.task_section(task_id, lang),  # evidence, review, 督办 (issue 26)
    ]), id="task-detail", className="mb-4")


PHONE_CARDS = 20  # cards at a time on a phone; "more" adds as many, up to the grid's first block


def _phone_list(query: dict, lang: str) -> html.Div:
    """Below 576 px (a phone) the task list as cards — the task, its title, its status in colour and words, its
    deadline — instead of the wide grid. The rows are the grid's own first block (the same view and words,
    same query: the grid's request is then answered from the cache), so the two never disagree."""
    block, total = tables.rows("tasks", query, Window())
    try:
        shown = min(max(int(query.get("cards", PHONE_CARDS)), PHONE_CARDS), len(block))
    except ValueError:
        shown = min(PHONE_CARDS, len(block))
    # each card a link of four plain elements with Bootstrap's list-group classes (built on every /tasks
    # page, desktop too: 20 cards of dbc components were ≈ 160 components, the page's costliest part)
    cards = [list_link([
        html.Span(r["task"], className="fw-semibold me-2"),
        html.Span(r["status"], className=f"badge bg-{TASK_STATUS_COLOR.get(r['status_code'], 'secondary')} "
                                         "task-card-status"),
        html.Div(r["title"], className="small overdue-title"),
        html.Div(" · ".join(x for x in (
            f"{column('due_date', lang)}{colon(lang)}{r['due_date'] or t('none', lang)}",
            t("days_overdue_n", lang, n=formats.number(r["days_overdue"])) if r["days_overdue"] else "",
            r["lead_units"] or "") if x), className="small text-muted"),
    ], href(PATH, query, task=r["task_id"], cards=None), "task-card")
        for r in block[:shown]]
    more = (dcc.Link(t("show_more", lang), href=href(PATH, query, cards=shown + PHONE_CARDS),
                     className="btn btn-outline-success btn-sm", id="task-cards-more")
            if shown < len(block) else None)
    return html.Div([html.Div(t("rows", lang, n=formats.number(total)), className="small text-muted mb-1"),
                     html.Div(cards, id="task-cards", className="list-group mb-2"), more],
                    className="d-sm-none mb-3")


def _keyed(query: dict, lang: str) -> tuple[dict, list]:
    """The page's plan and unit filters as the keys they mean (data.facet_key: an old link by a plan's
    title or a unit's name alone still resolves when it names one), and for each that does not, a
    message with the plans or offices it could mean, each a link: never several merged under one name."""
    keyed, notes = dict(query), []
    for name in ("plan", "unit"):
        if not query.get(name):
            continue
        found, candidates = data.facet_key(name, query[name], query.get("region"))
        if found is not None:
            keyed[name] = found["value"]
            continue
        key = f"{name}_ambiguous" if candidates else f"{name}_unknown"
        notes.append(dbc.Alert([html.Div(t(key, lang, given=query[name], n=len(candidates))),
                                *[dcc.Link(c["label"], href=href(PATH, {**query, name: c["value"]}),
                                           className="alert-link me-3") for c in candidates]],
                               color="warning", id=f"{name}-not-resolved"))
    return keyed, notes


@guarded(PATH)
def layout(**query):
    lang = lang_of(query)
    if query.get("task"):
        detail = _detail(query["task"], query, lang)
    else:
        detail = html.Div(t("click_a_task", lang), className="text-muted small mb-3", id="task-detail")
    keyed, notes = _keyed(query, lang)
    return frame(PATH, query,
        _filters(keyed, lang),
        *notes,
        detail,
        _phone_list(query, lang),
        html.Div(table_block("tasks", query, row_id="task_id"), className="d-none d-sm-block"),
    )
