"""Every page in headless Chromium on the default data: filters change the table, a task opens down to
its printed sentence, the language switches, a table downloads — values checked against the snapshot."""
import csv
import time
from pathlib import Path
from urllib.parse import quote

import duckdb
import pytest
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException

from dashboards import formats
from pipelines.warehouse.publish import current_snapshot
from tests.browser.conftest import login, start
from tests.conftest import LEGACY_DOC, OFFICE_SEEDS

pytestmark = pytest.mark.browser


@pytest.fixture
def app(world, monkeypatch):
    monkeypatch.setenv("PLANKPI_DATA", str(world.paths.root))
    from dashboards.app import create_app
    return create_app()


def _start(dash_duo, app, passwords, user: str = "auditor") -> None:
    start(dash_duo, app)
    login(dash_duo, user, passwords[user])


def _snapshot_value(world, sql: str, params=None):
    with duckdb.connect(str(current_snapshot(world.paths.serving).path), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def _count(dash_duo, table: str) -> int:
    return int("".join(ch for ch in dash_duo.find_element(f"#count-{table}").text if ch.isdigit()))


def _wait_count(dash_duo, table: str, expected: int, timeout: float = 10) -> None:
    end = time.time() + timeout
    while time.time() < end:
        try:
            if _count(dash_duo, table) == expected:
                return
        except Exception:  # the page is re-rendering
            pass
        time.sleep(0.2)
    assert _count(dash_duo, table) == expected


def test_filter_changes_the_task_table_and_lives_in_the_url(world, app, dash_duo, passwords):
    total = _snapshot_value(world, "select count(*) from marts.mart_task_status")[0][0]
    yq_overdue = _snapshot_value(world, "select count(*) from marts.mart_task_status "
                                        "where region = '阳泉市' and is_overdue")[0][0]
    yq = _snapshot_value(world, "select count(*) from marts.mart_task_status where region = '阳泉市'")[0][0]
    _start(dash_duo, app, passwords)
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/tasks")
    _wait_count(dash_duo, "tasks", total)
    time.sleep(1)  # let the page's callbacks settle before using a control
    dash_duo.select_dcc_dropdown('[id^="{\\"name\\":\\"region\\""]', value="阳泉市")
    _wait_count(dash_duo, "tasks", yq)
    assert "region=" in dash_duo.driver.current_url
    # the URL alone reproduces a filtered view
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/tasks?region={quote('阳泉市')}&overdue=1")
    _wait_count(dash_duo, "tasks", yq_overdue)
    assert 0 < yq_overdue < yq < total
    assert dash_duo.get_logs() in ([], None)


def _loaded_first_row_id(dash_duo, timeout: float = 15) -> str:
    """The first row's id once its block has arrived (the grid draws placeholder rows while it loads)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            row_id = dash_duo.find_element('.ag-row[row-index="0"]').get_attribute("row-id")
            if row_id and row_id.startswith("T"):
                return row_id
        except (StaleElementReferenceException, NoSuchElementException):
            pass  # the placeholder row was just replaced by the loaded one
        time.sleep(0.2)
    raise AssertionError("the task grid's first block did not arrive")


def test_a_task_opens_down_to_its_printed_sentence(world, app, dash_duo, passwords):
    _start(dash_duo, app, passwords)
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/tasks?region={quote('阳泉市')}")
    task_id = _loaded_first_row_id(dash_duo)
    source, start, end = _snapshot_value(world, "select source, start_line, end_line from marts.mart_task_status "
                                                "where task_id = ?", [task_id])[0]
    printed = _snapshot_value(world, "select text from raw.plan_lines where source = ? and line_no = ?",
                              [source, start])[0][0]
    reports = _snapshot_value(world, "select count(*) from staging.stg_progress_reports where task_id = ?",
                              [task_id])[0][0]
    time.sleep(1)
    dash_duo.find_element(f'.ag-row[row-id="{task_id}"] .ag-cell').click()
    dash_duo.wait_for_contains_text("#task-source-ref", f"第{start}行", timeout=10)
    # the file and the lines in the tooltip; the printed paragraph re-joined
    assert dash_duo.find_element("#task-source-ref").get_attribute("title") == f"{source}:{start}–{end}"
    assert source not in dash_duo.find_element("#task-source-ref").text
    assert printed.strip()[:20] in dash_duo.find_element("#task-source").text
    assert f"task={task_id}" in dash_duo.driver.current_url
    rows = dash_duo.find_elements("#task-reports .ag-center-cols-container .ag-row")  # a grid of every report
    assert len(rows) == reports > 0


def test_a_task_of_a_word_or_pdf_plan_shows_where_it_is_printed(world, app, dash_duo, passwords):
    _start(dash_duo, app, passwords)
    for stem, fmt in OFFICE_SEEDS.items():
        task_id, start, location = _snapshot_value(world, """
            select t.task_id, t.start_line, l.location from raw.tasks t
            join raw.plan_lines l on l.source = t.source and l.line_no = t.start_line
            where t.source = ? order by t.start_line limit 1""", [f"{stem}.{fmt}"])[0]
        dash_duo.wait_for_page(url=f"{dash_duo.server_url}/tasks?task={task_id}")
        dash_duo.wait_for_contains_text("#task-source-ref", f"（{location}）", timeout=10)
        assert f"{stem}.{fmt}" in dash_duo.find_element("#task-source-ref").get_attribute("title")
        assert location.endswith("段" if fmt == "docx" else "行") and location.startswith("第")


def test_language_switches_to_english_and_back(world, app, dash_duo, passwords):
    _start(dash_duo, app, passwords)
    dash_duo.wait_for_text_to_equal("#nav-overview", "总览", timeout=15)
    dash_duo.find_element("#lang-toggle").click()
    dash_duo.wait_for_text_to_equal("#nav-overview", "Overview", timeout=10)
    assert "lang=en" in dash_duo.driver.current_url
    assert "Plans & tasks" == dash_duo.find_element("#nav-tasks_page").text
    dash_duo.find_element("#nav-units_page").click()  # the language follows the reader to other pages
    dash_duo.wait_for_contains_text("#count-units", "rows", timeout=10)
    dash_duo.find_element("#lang-toggle").click()
    dash_duo.wait_for_text_to_equal("#nav-overview", "总览", timeout=10)


def test_a_table_downloads_as_csv_with_the_view_on_screen(world, app, dash_duo, passwords):
    overdue = _snapshot_value(world, "select count(*) from marts.mart_task_status "
                                     "where region = '晋城市' and is_overdue")[0][0]
    _start(dash_duo, app, passwords)
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/tasks?region={quote('晋城市')}&overdue=1")
    _wait_count(dash_duo, "tasks", overdue)
    dash_duo.find_element("#download-tasks-csv").click()
    folder = Path(dash_duo.download_path)
    end = time.time() + 15
    while time.time() < end and not list(folder.glob("*.csv")):
        time.sleep(0.2)
    (path,) = folder.glob("plankpi_tasks_*.csv")
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == overdue > 0
    assert {r["地区"] for r in rows} == {"晋城市"} and {r["状态"] for r in rows} == {"逾期未完成"}


def test_targets_units_and_quality_pages_show_real_values(world, app, dash_duo, passwords):
    (pm25,) = _snapshot_value(world, """select actual from marts.mart_target_attainment
                                        where region = '阳泉市' and kpi = 'pm25_concentration'""")[0]
    units = _snapshot_value(world, "select count(distinct (region, unit)) from marts.mart_unit_completion")[0][0]
    quarantined = _snapshot_value(world, "select count(*) from raw.quarantine")[0][0]
    run_id = current_snapshot(world.paths.serving).manifest["run_id"]
    _start(dash_duo, app, passwords)
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/targets?region={quote('阳泉市')}&kpi=pm25_concentration")
    dash_duo.wait_for_element(".target-note", timeout=15)
    dash_duo.wait_for_contains_text("#grid-targets", formats.number(pm25), timeout=10)  # as shown: 34.88
    assert "PM2.5" in dash_duo.find_element(".target-note blockquote").text  # the printed sentence
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/units")
    _wait_count(dash_duo, "units", units)
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/quality")
    _wait_count(dash_duo, "quarantine", quarantined)
    _wait_count(dash_duo, "plan_files", 6)
    dash_duo.wait_for_contains_text("#grid-plan_files", LEGACY_DOC, timeout=10)
    assert run_id in dash_duo.find_element("#lineage-run").text
    assert dash_duo.find_element("#data-docs-link").get_attribute("href").endswith("/quality-docs/")
    assert dash_duo.get_logs() in ([], None)
    # GX's own site (it asks a CDN for its styles, which an offline network refuses; its content still shows)
    dash_duo.driver.get(f"{dash_duo.server_url}/quality-docs/")
    assert "parsed_tasks" in dash_duo.driver.page_source
