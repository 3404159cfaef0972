"""Templates out, filled in, sent back: the reporting loop through Dagster and the marts."""
from datetime import datetime

import duckdb
import pytest
from openpyxl import load_workbook

from pipelines.submissions.ingest import mark_received
from pipelines.submissions.templates import GUIDE_ROWS, HEADER, INSTRUCTIONS, PREFILLED
from pipelines.warehouse.publish import current_snapshot
from tests.conftest import AS_OF, make_world, run_pipeline

pytestmark = pytest.mark.pipeline
PERIOD = AS_OF[:7]


def _snapshot(paths):
    return duckdb.connect(str(current_snapshot(paths.serving).path), read_only=True)


def test_one_template_per_unit_with_its_open_tasks(world):
    """The templates are int_reporting_obligations' rows for the period (the one rule), shaped to need no
    manual: guide lines with the count, the due date and whom to call; 完成时限 always filled."""
    folder = world.paths.outbox / PERIOD
    files = sorted(folder.glob("进展填报_*.xlsx"))
    con = _snapshot(world.paths)
    units = con.execute("""select count(distinct (region, unit)) from intermediate.int_reporting_obligations
                           where period = $p and unit is not null""", {"p": PERIOD}).fetchone()[0]
    assert len(files) == units > 50
    # the one rule: the templates hold exactly int_reporting_obligations' (unit, task) rows of the period
    obliged = con.execute("""select count(distinct (region, unit, task_id)) from intermediate.int_reporting_obligations
                             where period = $p and unit is not null""", {"p": PERIOD}).fetchone()[0]
    planned_col = HEADER.index("计划量")
    cells = [r[planned_col] for f in files
             for r in load_workbook(f, read_only=True)["进展填报"].iter_rows(min_row=GUIDE_ROWS + 2, values_only=True)]
    assert len(cells) == obliged
    # 计划量 printed, with its unit, exactly for the tasks with output targets (the parser's kind = output)
    with_output = con.execute("""select count(distinct (o.region, o.unit, o.task_id)) from intermediate.int_reporting_obligations o
                                 where o.period = $p and o.unit is not null and o.task_id in (
                                     select task_id from raw.targets where kind = 'output')""", {"p": PERIOD}).fetchone()[0]
    units_of_output = {u for (u,) in con.execute("select unit from raw.targets where kind = 'output' and unit is not null").fetchall()}
    printed = [c for c in cells if c]
    assert len(printed) == with_output > 0
    assert all(any(u in c for u in units_of_output) for c in printed)
    path = folder / f"进展填报_阳泉市_市生态环境局_{PERIOD}.xlsx"
    wb = load_workbook(path)
    ws = wb["进展填报"]
    head = GUIDE_ROWS + 1
    assert [c.value for c in ws[head]] == HEADER
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=head + 1)]
    expected, due = con.execute("""
        select count(distinct task_id), any_value(due_date) from intermediate.int_reporting_obligations
        where region = '阳泉市' and unit = '市生态环境局' and period = $p""", {"p": PERIOD}).fetchone()
    assert len(rows) == expected > 0
    guide = ws["A1"].value
    assert f"{PERIOD} 期进展填报：需填报 {expected} 项" in guide and f"{due.month}月{due.day}日" in guide
    assert "阳泉市生态环境局综合科" in ws["A3"].value and "5 MB" in ws["A3"].value
    col = {name: i for i, name in enumerate(HEADER)}
    assert all(r[col["完成时限"]] for r in rows)  # printed, 推定 from the plan year, or 长期
    assert {r[col["责任类型"]] for r in rows} <= {"牵头", "配合", "落实"} and all(r[5] == "市生态环境局" for r in rows)
    assert all(r[col["报告期"]] == PERIOD for r in rows)
    assert all(r[col[name]] is None for r in rows for name in ("进展状态", "完成进度(%)", "完成日期"))  # never pre-filled
    # locked sheet, input columns editable, drop-down and range checks with input prompts
    assert ws.protection.sheet
    assert ws.cell(head + 1, col["任务编号"] + 1).protection.locked
    assert not ws.cell(head + 1, col["进展状态"] + 1).protection.locked
    validations = {dv.errorTitle: dv for dv in ws.data_validations.dataValidation}
    assert validations["进展状态"].formula1 == '"已完成,推进中,未启动,滞后"'
    assert (validations["完成进度"].type, validations["完成进度"].formula1, validations["完成进度"].formula2) == (
        "decimal", "0", "100")
    assert validations["完成日期"].type == "date" and validations["累计完成量"].operator == "greaterThanOrEqual"
    assert all(dv.showInputMessage and dv.prompt for dv in validations.values())
    assert [r[0].value for r in wb["填报说明"].iter_rows()] == INSTRUCTIONS
    assert "监测数据" not in wb.sheetnames  # no target is set for 2024
    assert PREFILLED < set(HEADER)


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    from pipelines.submissions.templates import Assignment, UnitTemplate, write_templates
    t = UnitTemplate("某市", "市生态环境局", "2025-01", [Assignment("T1", "=1+1 不是公式", "", "lead")])
    path = write_templates([t], tmp_path)[0]
    cell = load_workbook(path)["进展填报"][f"B{GUIDE_ROWS + 2}"]
    assert cell.value == "=1+1 不是公式" and cell.data_type == "s" and cell.quotePrefix


def test_template_round_trip_reaches_the_marts(tmp_path):
    """Templates from the seeds, filled by openpyxl as a unit would, ingested, found in the marts."""
    from pipelines.steps import write_templates
    paths = make_world(tmp_path / "data")
    assert run_pipeline(paths).success  # no submissions yet: every task open
    templates = write_templates(paths, "2023-07")
    bureau = load_workbook(next(p for p in templates if p.name == "进展填报_阳泉市_市生态环境局_2023-07.xlsx"))
    obs = [[c.value for c in r] for r in bureau["监测数据"].iter_rows(min_row=2)]
    assert ["pm25_concentration", "阳泉市", "2023-07", None, "µg/m³", None] in obs
    path = next(p for p in templates if p.name == "进展填报_阳泉市_市城管局_2023-07.xlsx")
    wb = load_workbook(path)
    ws = wb["进展填报"]
    col = {c.value: c.column for c in ws[GUIDE_ROWS + 1]}
    filled = []
    for r in range(GUIDE_ROWS + 2, ws.max_row + 1):
        done = r % 2 == 0
        ws.cell(r, col["进展状态"]).value = "已完成" if done else "推进中"
        ws.cell(r, col["完成进度(%)"]).value = 100 if done else 40
        ws.cell(r, col["完成日期"]).value = "2023-06-30" if done else None
        ws.cell(r, col["进展情况"]).value = "测试填报"
        filled.append((ws.cell(r, col["任务编号"]).value, "已完成" if done else "推进中"))
    wb.save(paths.inbox / path.name)
    # a report counts from its arrival (issue 23): the unit sent it in August 2023, within the world's as-of
    mark_received(paths.inbox / path.name, datetime(2023, 8, 5))
    assert run_pipeline(paths).success
    con = _snapshot(paths)
    landed = dict(con.execute("select task_id, latest_status from marts.mart_task_status "
                              "where latest_status is not null").fetchall())
    assert landed == dict(filled)
    assert con.execute("select count(*) from raw.quarantine").fetchone()[0] == 0
    # Only lead units complete a task, all of them: 市城管局's 已完成 completes the tasks it alone leads.
    sole_lead = {t for (t,) in con.execute("""select task_id from raw.task_units where role = 'lead' group by task_id
                                             having count(distinct unit) = 1 and any_value(unit) = '市城管局'""").fetchall()}
    done = {t for t, s in filled if s == "已完成"}
    assert done - sole_lead  # the file also says 已完成 where 市城管局 is a support unit or one of several leads
    completed = {t for (t,) in con.execute("select task_id from marts.mart_task_status where is_completed").fetchall()}
    assert completed == done & sole_lead
