"""Issue 22 in the browser: the unit reads what to do this month, downloads its template, fills ONE row
the way Excel does (a real date cell), uploads it and reads "入库 1 行，未填 N 项" with no error; a PDF
gets a visible refusal; the result is still there after a reload, in Chinese."""
from __future__ import annotations

from datetime import datetime
from io import BytesIO

import duckdb
import openpyxl
import pytest
import requests

from pipelines.accounts import store_for
from pipelines.submissions.templates import GUIDE_ROWS
from pipelines.warehouse.publish import current_snapshot
from tests.browser.conftest import login, passwords_for, start, wait_for_grid_text
from tests.conftest import AS_OF, world_after_a_good_run

pytestmark = pytest.mark.browser


def _snapshot(paths, sql, params=None):
    with duckdb.connect(str(current_snapshot(paths.serving).path), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def test_a_unit_fills_one_row_with_a_date_cell_and_reads_landed_1_blank_the_rest(world, app_for, dash_duo, tmp_path):
    paths, _ = world_after_a_good_run(world, tmp_path / "data")
    pw = passwords_for(paths.root)
    period = AS_OF[:7]
    [(tasks, due, reported)] = _snapshot(paths, """
        select count(distinct task_id), min(due_date), count(distinct task_id) filter (where unit_reported)
        from intermediate.int_reporting_obligations where region = '阳泉市' and unit = '市生态环境局' and period = ?""",
                                         [period])
    assert tasks > 1
    start(dash_duo, app_for(paths.root))
    login(dash_duo, "yq_sthjj", pw["yq_sthjj"], "#my-unit")
    dash_duo.wait_for_contains_text("#my-todo", f"{period} 期：需填报 {tasks} 项，{due.month}月{due.day}日前；已报 {reported} 项",
                                    timeout=10)

    session = requests.Session()  # the browser's session: its cookie and agent
    session.headers["User-Agent"] = dash_duo.driver.execute_script("return navigator.userAgent")
    for c in dash_duo.driver.get_cookies():
        session.cookies.set(c["name"], c["value"])
    template = session.get(f"{dash_duo.server_url}/my/template.xlsx")
    assert template.status_code == 200
    wb = openpyxl.load_workbook(BytesIO(template.content))
    ws = wb["进展填报"]
    col = {c.value: c.column for c in ws[GUIDE_ROWS + 1]}
    rows = ws.max_row - (GUIDE_ROWS + 1)
    assert rows == tasks
    first = GUIDE_ROWS + 2
    ws.cell(first, col["进展状态"]).value = "已完成"
    ws.cell(first, col["完成日期"]).value = datetime(2024, 6, 20)  # a date cell, as Excel's date entry stores it
    ws.cell(first, col["进展情况"]).value = "已按期完成"
    filled = tmp_path / "阳泉市生态环境局_本月.xlsx"
    wb.save(filled)

    dash_duo.find_element("#upload input[type=file]").send_keys(str(filled))
    dash_duo.wait_for_contains_text("#upload-summary", f"入库 1 行，未填 {tasks - 1} 项", timeout=20)
    summary = dash_duo.find_element("#upload-summary").text
    assert "拒收" not in summary and not dash_duo.driver.find_elements("css selector", "#upload-reasons")
    inbox = [p for p in paths.inbox.iterdir() if p.is_file() and not p.name.startswith(".")]
    assert len(inbox) == 1

    # a PDF dropped on the box: a visible refusal, kept out of the inbox
    pdf = tmp_path / "进展报告.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    dash_duo.find_element("#upload input[type=file]").send_keys(str(pdf))
    dash_duo.wait_for_contains_text("#upload-refused", "请另存为 .xlsx", timeout=20)
    assert len([p for p in paths.inbox.iterdir() if p.is_file() and not p.name.startswith(".")]) == 1

    # after a reload the uploads are still listed, with their status in Chinese
    dash_duo.driver.get(f"{dash_duo.server_url}/my")
    wait_for_grid_text(dash_duo, "grid-my_uploads", "待入库")  # below the unit's tasks and evidence panels
    dash_duo.wait_for_contains_text("#grid-my_uploads", "拒收", timeout=15)
    actions = [e["action"] for e in store_for(paths.root).audit_log(actor="yq_sthjj")]
    assert "upload" in actions and "upload_refused" in actions
