"""责任单位 Units: a scorecard per unit — tasks by role, completion and timeliness of its lead tasks,
reporting compliance — sortable by every column."""
import dash
import dash_bootstrap_components as dbc

from dashboards import data
from dashboards.components import frame, guarded, searched_dropdown, searched_options, table_block
from dashboards.i18n import lang_of

PATH = "/units"
dash.register_page(__name__, path=PATH, name="责任单位 Units", title="PlanKPI")


searched_options(PATH, "region", data.scorecard_regions)


@guarded(PATH)
def layout(**query):
    lang = lang_of(query)
    return frame(PATH, query,
        dbc.Row([searched_dropdown(PATH, "region", "filter_region", query.get("region"), lang)],
                className="g-2 mb-2"),
        # a row opens the unit's tasks (callbacks.open_unit): its id is region and unit, a tab between them
        table_block("units", query, height=640, row_id_js="params.data.region + '\t' + params.data.unit"),
    )
