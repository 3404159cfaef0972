"""本单位 My unit: the responsible unit's own tasks, this period's template, the upload box and the
result of each upload. The unit is the logged-in account's; nothing on this page takes it from the URL."""
import dash
from dash import dcc, html

from dashboards import access, data
from dashboards.auth import MAX_UPLOAD_BYTES
from dashboards.components import frame, guarded, table_block
from dashboards.i18n import lang_of, t

PATH = "/my"
dash.register_page(__name__, path=PATH, name="本单位 My unit", title="PlanKPI")


@guarded(PATH)
def layout(**query):
    lang = lang_of(query)
    acc = access.account()
    return frame(PATH, query,
        html.H4(f"{acc.region} · {acc.unit}", id="my-unit"),
        html.A(t("template_download", lang) + f"（{str(data.headline()['as_of'])[:7]}）", href="/my/template.xlsx",
               id="template-link", className="btn btn-success btn-sm mb-3"),
        dcc.Upload(id="upload", children=html.Div(t("upload_hint", lang)), max_size=MAX_UPLOAD_BYTES,
                   accept=".xlsx,.csv", multiple=False,
                   className="border border-2 border-success rounded p-4 text-center mb-3"),
        dcc.Loading(html.Div(id="upload-result")),
        html.H5(t("my_tasks", lang)), table_block("my_tasks", query, row_id="task_id", height=420),
        html.H5(t("my_uploads", lang)), table_block("my_uploads", query, height=300),
    )
