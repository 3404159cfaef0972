"""Issue 24's remaining asks as a reader meets them in headless Chromium on the default data: /quality reads
as an auditor reads it (rows named as people cite them, the file only in the tooltip, checks in words, no
JSON or ids); a 390-px phone gets /tasks as cards; the overview sets planned against reported outputs; a
unit opens a task of its list (click and Enter) and a leader a unit's tasks from /units."""
import re
import time

import pytest
from selenium.webdriver.common.keys import Keys

from dashboards.i18n import TASK_STATUS
from tests.browser.conftest import login, login_client, no_sideways_scroll, open_on_phone, start
from tests.browser.test_cockpit import _snapshot, _wait, app  # noqa: F401  (app: the fixture)

pytestmark = pytest.mark.browser

TASK_ID = re.compile(r"\bT[0-9a-f]{11}\b")
FILE_HASH = re.compile(r"[0-9a-f]{16}")
CODES = {"true", "false", "True", "False", "warning", "critical", "pass", "fail", "parsed", "rejected"}


def _cells(dash_duo, grid: str, col: str | None = None) -> list[tuple[str, str]]:
    """(text, column) of the rendered cells of a grid (one column, or all)."""
    return dash_duo.driver.execute_script(
        "return Array.from(document.querySelectorAll('#' + arguments[0] + ' .ag-cell'))"
        ".filter(c => !arguments[1] || c.getAttribute('col-id') === arguments[1])"
        ".map(c => [c.textContent, c.getAttribute('col-id')])", f"grid-{grid}", col)


def _grid_rows(dash_duo, grid: str) -> None:
    dash_duo.wait_for_element(f"#grid-{grid}", timeout=20)
    dash_duo.driver.execute_script("document.getElementById(arguments[0]).scrollIntoView()", f"grid-{grid}")
    _wait(lambda: len([t for t, _ in _cells(dash_duo, grid) if t.strip()]) > 2)


def test_quality_names_rows_as_people_cite_them_and_keeps_files_for_the_tooltip(world, app, dash_duo, passwords):
    start(dash_duo, app)
    login(dash_duo, "auditor", passwords["auditor"])
    dash_duo.driver.get(dash_duo.server_url + "/quality")
    for grid in ("gx", "quarantine", "inputs", "plan_files"):
        _grid_rows(dash_duo, grid)
        shown = [t for t, _ in _cells(dash_duo, grid) if t.strip()]
        assert not [t for t in shown if TASK_ID.search(t)], grid
        assert not [t for t in shown if FILE_HASH.search(t)], grid  # 003_1a3a67b7a1f5494e.pdf is a tooltip
        assert not [t for t in shown if t.strip() in CODES], grid
        assert not [t for t in shown if '{"' in t or '[{' in t], grid  # no JSON
    severities = {t for t, _ in _cells(dash_duo, "gx", "severity")}
    assert severities <= {"严重（阻断发布）", "警告"} and severities
    assert {t for t, _ in _cells(dash_duo, "gx", "success")} <= {"通过", "未通过"}
    # the has_deadline warning names its tasks as 计划 第N条, with how many more GX counted
    rows = [t for t, _ in _cells(dash_duo, "gx", "unexpected_rows") if t.strip()]
    assert rows and all(re.search(r"第\S+条", t) for t in rows), rows
    assert any("另" in t and "项" in t for t in rows)
    # refused rows: 阳泉市 各县区人民政府 2023年12月 报表 第29行, what the row held in the template's words
    sources = [t for t, _ in _cells(dash_duo, "quarantine", "source")]
    assert all(re.fullmatch(r".+ (报表|监测数据) 第\d+行|示例数据_损坏文件\.xlsx", t) for t in sources), sources

    held = [t for t, _ in _cells(dash_duo, "quarantine", "original") if t.strip()]
    assert held and all(re.match(r"(指标代码|完成时限|报告期|填报单位|进展状态)：", t) for t in held), held
    assert not [t for t in held if "T" in t and TASK_ID.search(t)]
    # the plan files by their notice; the hashed file name is still there, in the download
    plans = [t for t, _ in _cells(dash_duo, "plan_files", "source")]
    assert any(t.startswith("晋城市空气质量改善") and "晋市政办〔2022〕11号" in t for t in plans), plans
    # every refused row named so, and the file names kept in the downloads
    auditor = login_client(app, "auditor", passwords["auditor"])
    refused = auditor.get("/download/quarantine.csv").data.decode("utf-8-sig")
    assert re.search(r"阳泉市 各县区人民政府 2023年12月 报表 第\d+行", refused)
    assert "示例数据_进展填报_阳泉市_各县区人民政府_2023-12.xlsx#" in refused and "进展状态：已完成" in refused
    assert "001_6d8037a82e9ce14b.docx" in auditor.get("/download/plan_files.csv").data.decode("utf-8-sig")


def _click(dash_duo, element) -> None:
    dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click()", element)


def test_phone_tasks_are_cards_with_status_in_colour_and_words_and_deadline(world, app, dash_duo, passwords):
    start(dash_duo, app)
    login(dash_duo, "leader", passwords["leader"])
    width = open_on_phone(dash_duo, "/tasks", "#task-cards .task-card")
    assert not dash_duo.find_element("#grid-tasks").is_displayed()  # no wide grid on a phone
    (total,) = _snapshot(world, "select count(*) from marts.mart_task_status")[0]
    cards = dash_duo.find_elements("#task-cards .task-card")
    assert len(cards) == min(20, total)
    words = {zh for zh, _ in TASK_STATUS.values()}
    for card in cards:
        badge = card.find_element("css selector", ".task-card-status")
        assert badge.text in words  # the status in words …
        assert re.search(r"\bbg-(danger|warning|success|light|info)\b", badge.get_attribute("class"))  # … and colour
        assert "完成时限：" in card.text and card.rect["width"] <= width
        assert not TASK_ID.search(card.text)
    # the first card is the list's first task (the same order as the grid's)
    (first,) = _snapshot(world, "select title from marts.mart_task_status order by list_order limit 1")[0]
    assert first[:10] in cards[0].text
    _click(dash_duo, dash_duo.find_element("#task-cards-more"))
    _wait(lambda: len(dash_duo.find_elements("#task-cards .task-card")) == min(40, total))
    _click(dash_duo, dash_duo.find_elements("#task-cards .task-card")[0])
    dash_duo.wait_for_element("#task-status", timeout=20)
    # /targets on the phone: its cards, no wide grid, no sideways scroll
    dash_duo.driver.get(dash_duo.server_url + "/targets")
    dash_duo.wait_for_element(".target-note", timeout=20)
    assert not dash_duo.find_element("#grid-targets").is_displayed()
    assert no_sideways_scroll(dash_duo, width)


def test_overview_sets_planned_against_reported_outputs(world, app, dash_duo, passwords):
    start(dash_duo, app)
    login(dash_duo, "leader", passwords["leader"])
    dash_duo.wait_for_element("#outputs-list .output-item", timeout=20)
    rows = _snapshot(world, """select target_value, measure_unit, reported_value, task_id from marts.mart_task_outputs
                               order by reported_value is null, output_rate, plan_title, no, line, target_id""")
    (listed, reported), = _snapshot(world, "select count(*), count(reported_value) from marts.mart_task_outputs")
    assert reported > 0
    items = dash_duo.find_elements("#outputs-list .output-item")
    assert len(items) == min(8, listed)
    planned, unit, done, task_id = rows[0]
    text = items[0].find_element("css selector", ".output-figures").text
    assert text.startswith(f"计划 {planned:,.0f} {unit} / 已报 {done:,.0f} {unit}"), text
    assert f"task={task_id}" in items[0].get_attribute("href")
    assert f"共 {listed} 项产出，{reported} 项已报数量" in dash_duo.find_element("#outputs-note").text
    # the task's detail shows the same figure, and each report row its 累计完成量
    _click(dash_duo, items[0])
    dash_duo.wait_for_contains_text("#task-outputs", f"{done:,.0f} {unit}（", timeout=20)
    assert "累计完成量" in dash_duo.find_element("#task-reports").text


def test_a_unit_opens_a_task_of_its_list_by_click_and_by_enter(world, app, dash_duo, passwords):
    start(dash_duo, app)
    login(dash_duo, "yq_sthjj", passwords["yq_sthjj"], landing="#my-unit")
    _grid_rows(dash_duo, "my_tasks")
    # the grid sits below the unit's evidence and returned-report panels: scrolled to, then clicked
    _click(dash_duo, dash_duo.find_element("#grid-my_tasks .ag-cell[col-id='title']"))
    dash_duo.wait_for_element("#task-status", timeout=20)
    assert "task=T" in dash_duo.driver.current_url and "/my" in dash_duo.driver.current_url
    opened = dash_duo.driver.current_url
    dash_duo.driver.get(dash_duo.server_url + "/my")
    _grid_rows(dash_duo, "my_tasks")
    _click(dash_duo, dash_duo.find_elements("#grid-my_tasks .ag-cell[col-id='title']")[1])  # focus (this opens the second task) …
    dash_duo.wait_for_element("#task-status", timeout=20)
    second = dash_duo.driver.current_url
    assert second != opened
    dash_duo.driver.get(dash_duo.server_url + "/my")
    _grid_rows(dash_duo, "my_tasks")
    dash_duo.driver.execute_script(  # … and Enter on a focused cell, as the keyboard reaches it
        "document.querySelector(\"#grid-my_tasks .ag-cell[col-id='title']\").focus()")
    dash_duo.driver.switch_to.active_element.send_keys(Keys.ENTER)
    dash_duo.wait_for_element("#task-status", timeout=20)
    assert dash_duo.driver.current_url == opened
    # another unit's task is not shown on the unit's page
    (other,) = _snapshot(world, """select task_id from marts.mart_task_status where task_id not in (
                                       select task_id from staging.stg_task_units where unit = '市生态环境局')
                                   and region <> '阳泉市' limit 1""")[0]
    dash_duo.driver.get(dash_duo.server_url + f"/my?task={other}")
    dash_duo.wait_for_contains_text("#task-detail", "该任务不在您的查看范围", timeout=20)


def test_a_units_row_opens_its_tasks(world, app, dash_duo, passwords):
    start(dash_duo, app)
    login(dash_duo, "leader", passwords["leader"])
    dash_duo.driver.get(dash_duo.server_url + "/units")
    _grid_rows(dash_duo, "units")
    unit = dash_duo.find_element("#grid-units .ag-cell[col-id='unit']")
    name = unit.text
    unit.click()
    _wait(lambda: "/tasks?" in dash_duo.driver.current_url and "unit=" in dash_duo.driver.current_url)
    dash_duo.wait_for_element("#count-tasks", timeout=20)
    _wait(lambda: re.search(r"\d", dash_duo.find_element("#count-tasks").text))
    assert name in dash_duo.driver.page_source
