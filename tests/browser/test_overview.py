"""The overview page in headless Chromium, with real numbers from the default data."""
import pytest

from tests.browser.conftest import login, start, wait_for_grid_text

pytestmark = pytest.mark.browser


def test_overview_shows_headline_numbers(world, dash_duo, monkeypatch, passwords):
    import duckdb
    from pipelines.warehouse.publish import current_snapshot
    monkeypatch.setenv("PLANKPI_DATA", str(world.paths.root))
    snap = current_snapshot(world.paths.serving)
    with duckdb.connect(str(snap.path), read_only=True) as con:
        tasks, rate, met, total = con.execute(
            "select tasks_total, completion_rate, targets_met, targets_total from marts.mart_headline").fetchone()

    from dashboards.app import create_app
    start(dash_duo, create_app())
    login(dash_duo, "leader", passwords["leader"])
    dash_duo.wait_for_text_to_equal("#kpi-tasks", str(tasks), timeout=20)
    assert dash_duo.find_element("#kpi-completion").text == f"{rate * 100:.1f}%"
    assert dash_duo.find_element("#kpi-targets").text == f"{met} / {total}"
    assert "示例数据" in dash_duo.find_element("#sample-banner").text
    wait_for_grid_text(dash_duo, "grid-targets", "阳泉市")  # the grid's first block
    status = dash_duo.find_element("#grid-targets .ag-cell[col-id='status']")
    assert status.text and "text-bg-" in status.get_attribute("class")  # the status in colour and words
    assert "总览" in dash_duo.driver.page_source
    dash_duo.driver.save_screenshot(str(world.paths.root / "overview.png"))
    assert dash_duo.get_logs() in ([], None)
