"""Templates out, filled in, sent back: the reporting loop through Dagster and the marts."""
import duckdb
import pytest
from openpyxl import load_workbook

from pipelines.submissions.templates import HEADER, INSTRUCTIONS, PREFILLED
from pipelines.warehouse.publish import current_snapshot
from tests.conftest import AS_OF, make_world, run_pipeline

pytestmark = pytest.mark.pipeline
PERIOD = AS_OF[:7]


def _snapshot(paths):
    return duckdb.connect(str(current_snapshot(paths.serving).path), read_only=True)


def test_one_template_per_unit_with_its_open_tasks(world):
    folder = world.paths.outbox / PERIOD
    files = sorted(folder.glob("进展填报_*.xlsx"))
    con = _snapshot(world.paths)
    units = con.execute("""
        select count(distinct (t.region, u.unit)) from raw.task_units u join raw.tasks t using (task_id)
        join raw.plans p using (plan_id)
        where p.year <= 2024 and task_id not in (
            select task_id from (select task_id, status_code, row_number() over (
                partition by task_id order by period desc, ingested_at desc, row_number desc) rn
                from raw.progress_reports where period <= $p) where rn = 1 and status_code = 'done')
    """, {"p": PERIOD}).fetchone()[0]
    assert len(files) == units > 50
    path = folder / f"进展填报_阳泉市_市生态环境局_{PERIOD}.xlsx"
    wb = load_workbook(path)
    ws = wb["进展填报"]
    assert [c.value for c in ws[1]] == HEADER
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    expected = con.execute("""
        select count(distinct task_id) from raw.task_units u join raw.tasks t using (task_id)
        where t.region = '阳泉市' and u.unit = '市生态环境局' and task_id not in (
            select task_id from (select task_id, status_code, row_number() over (
                partition by task_id order by period desc, ingested_at desc, row_number desc) rn
                from raw.progress_reports where period <= $p) where rn = 1 and status_code = 'done')
    """, {"p": PERIOD}).fetchone()[0]
    assert len(rows) == expected > 0
    assert {r[3] for r in rows} <= {"牵头", "配合", "落实"} and all(r[5] == "市生态环境局" for r in rows)
    assert all(r[4] == PERIOD for r in rows)
    # locked sheet, input columns editable, drop-down and range checks
    assert ws.protection.sheet
    col = {name: i for i, name in enumerate(HEADER)}
    assert ws.cell(2, col["任务编号"] + 1).protection.locked
    assert not ws.cell(2, col["进展状态"] + 1).protection.locked
    validations = {dv.type: dv for dv in ws.data_validations.dataValidation}
    assert validations["list"].formula1 == '"已完成,推进中,未启动,滞后"'
    assert (validations["whole"].formula1, validations["whole"].formula2) == ("0", "100")
    assert [r[0].value for r in wb["填报说明"].iter_rows()] == INSTRUCTIONS
    assert "监测数据" not in wb.sheetnames  # no target is set for 2024
    assert PREFILLED < set(HEADER)


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    from pipelines.submissions.templates import Assignment, UnitTemplate, write_templates
    t = UnitTemplate("某市", "市生态环境局", "2025-01", [Assignment("T1", "=1+1 不是公式", "", "lead")])
    path = write_templates([t], tmp_path)[0]
    cell = load_workbook(path)["进展填报"]["B2"]
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
    col = {c.value: c.column for c in ws[1]}
    filled = []
    for r in range(2, ws.max_row + 1):
        done = r % 2 == 0
        ws.cell(r, col["进展状态"]).value = "已完成" if done else "推进中"
        ws.cell(r, col["完成进度(%)"]).value = 100 if done else 40
        ws.cell(r, col["完成日期"]).value = "2023-06-30" if done else None
        ws.cell(r, col["进展情况"]).value = "测试填报"
        filled.append((ws.cell(r, col["任务编号"]).value, "已完成" if done else "推进中"))
    wb.save(paths.inbox / path.name)
    assert run_pipeline(paths).success
    con = _snapshot(paths)
    landed = dict(con.execute("select task_id, latest_status from marts.mart_task_status "
                              "where latest_status is not null").fetchall())
    assert landed == dict(filled)
    assert con.execute("select count(*) from raw.quarantine").fetchone()[0] == 0
    done = sum(1 for _, s in filled if s == "已完成")
    assert con.execute("select count(*) from marts.mart_task_status where is_completed").fetchone()[0] == done
