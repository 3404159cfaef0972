"""components.as_json_data: a page as plain data must be the JSON Dash would have written for its
component tree, value for value (only the writer's path differs)."""
import json

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import numpy as np
import orjson
from dash import dcc, html
from dash._utils import to_json

from dashboards.components import as_json_data


def _tree():
    return html.Div([
        dbc.Navbar(dbc.Container([dbc.NavbarBrand("PlanKPI 计划", href="/"), dbc.NavbarToggler(id="t", n_clicks=0)])),
        dbc.Alert("示例数据", color="warning", id="sample-banner"),
        html.Div(**{"data-task": "T1", "aria-live": "polite"}, children=["文字 ", html.Strong("粗体"), None, 3]),
        dcc.Link([html.Span("计划 第3条", className="fw-semibold", title="T1"), html.Span("逾期 5 天", className="badge bg-danger")],
                 href="/tasks?task=T1", className="list-group-item list-group-item-action overdue-item"),
        dcc.Dropdown(id={"type": "filter", "name": "domain"}, options=[{"label": "大气", "value": "air"}], value=None),
        dcc.Graph(figure={"data": [{"type": "bar", "x": np.array([1.5, float("nan")]), "y": ["甲", "乙"]}],
                          "layout": {"height": 220}}, id="chart", config={"displayModeBar": False}),
        dag.AgGrid(id="grid", rowData=[{"a": 1, "b": None}], columnDefs=[{"field": "a", "headerName": "甲"}],
                   dashGridOptions={"localeText": {"page": "页"}}),
        dbc.Row([dbc.Col(dbc.Card(dbc.CardBody([html.Div("完成率"), html.Div("48.9%", id="kpi")])), lg=True, md=3)]),
        html.Details([html.Summary("图例"), html.Ul([html.Li("绿 ≥ 90%")])]),
    ], lang="zh-CN")


def test_a_page_as_plain_data_is_the_json_dash_writes_for_its_components():
    tree = _tree()
    plain = as_json_data(tree)
    assert json.loads(to_json(plain)) == json.loads(to_json(tree))


def test_plain_data_needs_no_walk_by_plotly():
    """orjson takes it whole (the point: no clean_to_json_compatible pass), numpy values included."""
    orjson.dumps(as_json_data(_tree()), option=orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS)
    try:
        orjson.dumps(_tree(), option=orjson.OPT_SERIALIZE_NUMPY)
    except TypeError:
        pass  # components themselves are refused: what the slow path was for
    else:
        raise AssertionError("orjson took a component: the conversion would be pointless")
