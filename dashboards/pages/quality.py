"""数据质量 Data quality (auditors): the snapshot's lineage, this run's GX and dbt results, the validation
history, the quarantine, and the GX Data Docs site."""
import dash
from dash import html

from dashboards import data
from dashboards.components import frame, guarded, table_block
from dashboards.i18n import lang_of, t

PATH = "/quality"
dash.register_page(__name__, path=PATH, name="数据质量 Data quality", title="PlanKPI")


@guarded(PATH)
def layout(**query):
    lang = lang_of(query)
    info = data.snapshot_info()  # never None here: @guarded renders the frame alone until a snapshot exists
    checks = info.manifest.get("checks", {})
    fallback = data.snapshot_fallback()  # CURRENT broken: which kept snapshot is shown instead, and why
    return frame(PATH, query,
        html.Div(fallback, id="snapshot-fallback", className="alert alert-warning py-2") if fallback else None,
        html.H5(t("lineage", lang)),
        html.Ul([
            html.Li(f"{t('run', lang)}: {info.run_id}", id="lineage-run"),
            html.Li(f"{t('published_at', lang)}: {info.published_at}"),
            html.Li(f"{t('code_version', lang)}: {info.manifest.get('code_version', '')}"),
            html.Li(t("checks_summary", lang, ok=checks.get("passed", 0), bad=checks.get("failed", 0)),
                    id="checks-summary"),
        ], className="small"),
        html.A(t("data_docs", lang), href="/quality-docs/", target="_blank", id="data-docs-link",
               className="btn btn-outline-success btn-sm mb-3"),
        html.H5(t("gx_results", lang)), table_block("gx", query, height=360),
        html.H5(t("gx_history", lang)), table_block("gx_history", query, height=300),
        html.H5(t("dbt_results", lang)), table_block("dbt", query, height=360),
        html.H5(t("plan_files", lang)), table_block("plan_files", query, height=240),
        html.H5(t("quarantine", lang)), table_block("quarantine", query, height=360),
        html.H5(t("inputs", lang)), table_block("inputs", query, height=360),
    )
