"""计划与任务 Plans & tasks: filters, the task table, and one task's detail down to its source sentence."""
import functools

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboards import access, data
from dashboards.components import (filter_dropdown, frame, guarded, searched_dropdown, searched_options,
                                   table_block)
from dashboards.i18n import COMPARATOR, DOMAIN, DUE_BASIS, ROLE, TASK_STATUS, column, lang_of, pick, t

PATH = "/tasks"
dash.register_page(__name__, path=PATH, name="计划与任务 Plans & tasks", title="PlanKPI")


def _options(values, table: dict, lang: str) -> list[dict]:
    return [{"label": pick(table, v, lang), "value": v} for v in values]


for facet in ("region", "plan", "category", "unit"):  # a province has thousands of each (domains: four)
    searched_options(PATH, facet, functools.partial(data.task_facet, facet))


def _filters(query: dict, lang: str) -> dbc.Row:
    domains, _ = data.listed_values(data.task_facet("domain"))
    return dbc.Row([
        searched_dropdown(PATH, "region", "filter_region", query.get("region"), lang),
        searched_dropdown(PATH, "plan", "filter_plan", query.get("plan"), lang),
        filter_dropdown("domain", "filter_domain", _options(domains, DOMAIN, lang), query.get("domain"), lang),
        searched_dropdown(PATH, "category", "filter_category", query.get("category"), lang),
        searched_dropdown(PATH, "unit", "filter_unit", query.get("unit"), lang),
        filter_dropdown("role", "filter_role", _options(ROLE, ROLE, lang), query.get("role"), lang),
        filter_dropdown("status", "filter_status", _options(TASK_STATUS, TASK_STATUS, lang),
                        query.get("status"), lang),
        dbc.Col(dcc.Checklist(id={"type": "filter", "name": "overdue"},
                              options=[{"label": " " + t("filter_overdue", lang), "value": "1"}],
                              value=["1"] if query.get("overdue") == "1" else [], className="mt-4"), md=2),
    ], className="g-2 mb-2")


def _small_table(df: pd.DataFrame, lang: str, test_id: str, labels: dict | None = None) -> html.Div:
    if df.empty:
        return html.Div(t("none", lang), className="text-muted small mb-2", id=test_id)
    labels = labels or {}
    head = html.Thead(html.Tr([html.Th(labels.get(c, column(c, lang))) for c in df.columns]))
    body = html.Tbody([html.Tr([html.Td("" if v is None or v != v else str(v)) for v in row])
                       for row in df.itertuples(index=False)])
    return dbc.Table([head, body], size="sm", bordered=True, className="small", id=test_id)


def _outputs(df: pd.DataFrame) -> pd.DataFrame:
    """完成 ≥ 268 个: the printed quantity (a range as 1–2) beside what is counted."""
    def quantity(r) -> str:
        value = f"{r.target_value:g}" + ("" if r.target_value_hi != r.target_value_hi or r.target_value_hi is None
                                         else f"–{r.target_value_hi:g}")
        return f"{COMPARATOR.get(r.comparator, r.comparator)} {value} {r.unit}"
    return pd.DataFrame({"indicator": df["indicator"], "quantity": [quantity(r) for r in df.itertuples()],
                         "year": df["year"], "line": df["line"]})


def _detail(task_id: str, lang: str) -> html.Div:
    d = data.task(task_id)
    scope = access.region_scope()
    if d is not None and scope is not None and d["task"]["region"] not in scope:
        d = None  # a leader's link to a task of a region above or beside their own shows nothing
        return dbc.Alert(f"{task_id}: ?", color="warning", id="task-detail")
    task = d["task"]
    lines = d["lines"]
    source = html.Pre("\n".join(f"{n:>5}  {'［' + loc + '］' if isinstance(loc, str) else ''}{text}"
                                for n, loc, text in lines.itertuples(index=False)),
                      id="task-source", className="bg-light p-2 small", style={"whiteSpace": "pre-wrap"})
    units = d["units"].assign(role=lambda f: f["role"].map(lambda r: pick(ROLE, r, lang)),
                              propagated=lambda f: f["propagated"].map(lambda p: t("propagated", lang) if p else ""))
    due = "" if task["due_date"] is None or task["due_date"] != task["due_date"] else str(task["due_date"])[:10]
    return dbc.Card(dbc.CardBody([
        html.H5(f"{task['plan_title']} · {task['no'] if task['no'] == task['no'] else ''} {task['title']}",
                className="card-title"),
        html.Div(f"{task['source']}  {task['start_line']}–{task['end_line']}", className="text-muted small",
                 id="task-source-ref"),
        html.H6(t("source_text", lang), className="mt-3"), source,
        html.Div([html.Strong(column("due_date", lang) + "："), due,
                  f"（{pick(DUE_BASIS, task['due_basis'], lang)}）  ",
                  html.Strong(column("status", lang) + "："), pick(TASK_STATUS, task["status_class"], lang)],
                 className="mb-2"),
        html.H6(t("units_by_role", lang)), _small_table(units, lang, "task-units"),
        html.H6(t("deadlines", lang)), _small_table(d["deadlines"], lang, "task-deadlines"),
        html.H6(t("reports", lang)), _small_table(d["reports"], lang, "task-reports"),
        html.H6(t("task_outputs", lang)), _small_table(_outputs(d["outputs"]), lang, "task-outputs",
                                                       {"indicator": t("output_indicator", lang),
                                                        "quantity": t("quantity", lang)}),
        html.H6(t("annex_rows", lang)), _small_table(d["annex"], lang, "task-annex"),
    ]), id="task-detail", className="mb-4")


@guarded(PATH)
def layout(**query):
    lang = lang_of(query)
    detail = (_detail(query["task"], lang) if query.get("task")
              else html.Div(t("click_a_task", lang), className="text-muted small mb-3", id="task-detail"))
    return frame(PATH, query,
        _filters(query, lang),
        dbc.Row([
            dbc.Col(table_block("tasks", query, row_id="task_id"), lg=7),
            dbc.Col(detail, lg=5),
        ]),
    )
