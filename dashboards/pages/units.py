"""责任单位 Units: a scorecard per unit — tasks by role, completion and timeliness of its lead tasks,
reporting compliance — sortable by every column."""
import dash
import dash_bootstrap_components as dbc

from dashboards import data
from dashboards.components import filter_dropdown, frame, guarded, table_block
from dashboards.i18n import lang_of

PATH = "/units"
dash.register_page(__name__, path=PATH, name="责任单位 Units", title="PlanKPI")


@guarded(PATH)
def layout(**query):
    lang = lang_of(query)
    regions = data.unit_regions()
    return frame(PATH, query,
        dbc.Row([filter_dropdown("region", "filter_region", [{"label": r, "value": r} for r in regions],
                                 query.get("region"), lang)], className="g-2 mb-2"),
        table_block("units", query, height=640),
    )
