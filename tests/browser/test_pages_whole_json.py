"""Every page's answer is written by orjson in one pass. Why: one value orjson refuses anywhere in a page (a
numpy array of text in a chart, a component inside a figure) sends the whole answer through plotly's
value-by-value clean-up — on /targets ≈ 9 ms of a 25 ms page, enough to take it past 2× its queries
(issues 24, 26). The answer would look the same, so only this test notices."""
import duckdb
import plotly.io._json as plotly_json

from dashboards.bench import sample_pages
from dashboards.callback_requests import router_body
from pipelines.warehouse.publish import current_snapshot
from tests.browser.conftest import login_client


def test_no_page_falls_back_to_plotly_clean_up(world, app_for, passwords, monkeypatch):
    fell_back: list[str] = []
    url = ""
    clean = plotly_json.clean_to_json_compatible

    def spy(obj, **kw):
        fell_back.append(url)
        return clean(obj, **kw)

    monkeypatch.setattr(plotly_json, "clean_to_json_compatible", spy)
    with duckdb.connect(str(current_snapshot(world.paths.serving).path), read_only=True) as con:
        pages = sample_pages(con)
    client = login_client(app_for(world.paths.root), "auditor", passwords["auditor"])
    for page in pages.values():
        for lang in ("", "&lang=en" if "?" in page else "?lang=en"):
            url = page + lang
            response = client.post("/_dash-update-component", json=router_body(url))
            assert response.status_code == 200, (url, response.get_data(as_text=True)[:300])
    assert not set(fell_back), f"pages sent through plotly's clean-up: {sorted(set(fell_back))}"
