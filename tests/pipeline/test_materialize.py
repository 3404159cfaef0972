"""The whole product materialised through Dagster in a temporary folder, checked against the sample data."""

from decimal import ROUND_HALF_EVEN, Decimal

import duckdb
import pandas as pd
import pytest

from pipelines.parsing.folder import parse_folder

from pipelines.submissions.contract import (OBSERVATION_COLUMNS, OBSERVATION_OPTIONAL_COLUMNS, PROGRESS_COLUMNS,
                                           STATUS_CODES)
from pipelines.submissions.templates import GUIDE_ROWS
from pipelines.warehouse.publish import current_snapshot
from tests.conftest import LEGACY_DOC, OFFICE_SEEDS, run_pipeline, world_after_a_good_run

pytestmark = pytest.mark.pipeline


def _snapshot(world):
    snap = current_snapshot(world.paths.serving)
    assert snap is not None
    return duckdb.connect(str(snap.path), read_only=True)


def _expected_task_states(world) -> pd.DataFrame:
    """What the sample files say, computed in pandas independently of the SQL marts."""
    con = _snapshot(world)
    tasks = con.sql("select task_id from marts.mart_task_status").df()
    responsible = con.sql("select task_id, unit from staging.stg_task_units "
                          "union select task_id, unit_printed from staging.stg_task_units").df()
    con.close()
    frames = []
    for f in sorted(world.paths.archive.glob("示例数据_进展填报_*.xlsx")):
        # openpyxl here, calamine in the product: the expected values come from another reader
        df = pd.read_excel(f, sheet_name="进展填报", dtype=str, engine="openpyxl", header=GUIDE_ROWS
                           ).rename(columns=PROGRESS_COLUMNS)
        df["row"] = range(GUIDE_ROWS + 2, len(df) + GUIDE_ROWS + 2)
        df["file"] = f.name
        frames.append(df)
    reports = pd.concat(frames, ignore_index=True)
    pct = pd.to_numeric(reports["percent"], errors="coerce")
    ok = (reports["task_id"].isin(tasks["task_id"]) & reports["status"].isin(list(STATUS_CODES))
          & pct.between(0, 100) & reports["period"].str.fullmatch(r"\d{4}-\d{2}")
          & ~((reports["status"] == "已完成") & reports["completed_on"].isna()))
    pairs = set(zip(responsible["task_id"], responsible["unit"]))
    ok &= pd.Series([(t, u) in pairs for t, u in zip(reports["task_id"], reports["reporting_unit"])],
                    index=reports.index)
    latest = reports[ok].sort_values(["period", "row"]).groupby("task_id").tail(1)
    return tasks.merge(latest[["task_id", "status"]], on="task_id", how="left")


def _standing_tasks(con) -> set[str]:
    """Tasks worded only as standing (长期坚持, 每年…): no dated deadline, reported apart."""
    rows = con.execute("""select task_id from raw.task_deadlines group by task_id
                          having count(due_date) = 0
                             and bool_or(kind in ('ongoing', 'recurring', 'seasonal'))""").fetchall()
    return {t for (t,) in rows}


def test_headline_matches_the_sample_data(world):
    expected = _expected_task_states(world)
    con = _snapshot(world)
    standing = _standing_tasks(con)
    counted = expected[~expected["task_id"].isin(standing)]
    completed = int((counted["status"] == "已完成").sum())
    h = con.sql("select * from marts.mart_headline").df().iloc[0]
    assert h["documents_total"] == 5 and h["plans_total"] == 18
    assert h["tasks_total"] == 354 == len(expected)
    assert h["tasks_ongoing"] == len(standing) > 0
    assert h["tasks_with_due_date"] == len(counted) == 354 - len(standing)
    assert h["tasks_completed"] == completed
    assert h["completion_rate"] == pytest.approx(round(completed / len(counted), 4))
    assert bool(h["includes_sample_data"])
    parsed = parse_folder(world.paths.plans, world.paths.reference).docs
    assert sum(len(p["targets"]) for d in parsed for p in d["plans"]) == 64
    judged = [t for d in parsed for p in d["plans"] for t in p["targets"] if t["kind"] == "outcome" and t["kpi"] != "other"]
    assert len(judged) == 23
    # the headline counts binding targets; 力争 levels apart; two 省下达 targets come from the allocation table
    assert h["stretch_total"] == sum(g["stretch"] for g in judged) > 0
    assert h["targets_total"] == sum(not g["stretch"] for g in judged) + 2


def test_completion_per_plan_sums_to_the_total(world):
    con = _snapshot(world)
    per_plan = con.execute("select sum(tasks_total), sum(tasks_completed) from marts.mart_completion "
                           "where dimension = 'plan'").fetchone()
    total = con.execute("select tasks_total, tasks_completed from marts.mart_completion "
                        "where dimension = 'all'").fetchone()
    assert per_plan == total


def test_pm25_attainment_is_the_day_weighted_mean_of_the_sample_months(world):
    """HJ 663-2013: the year's concentration is the mean of its daily values — the months weighted by
    their valid days — and it is judged as published (rounded to an integer, GB/T 8170)."""
    obs = pd.read_csv(world.paths.archive / "示例数据_监测数据_阳泉市.csv", dtype=str, encoding="utf-8-sig")
    obs = obs.rename(columns={**OBSERVATION_COLUMNS, **OBSERVATION_OPTIONAL_COLUMNS})
    pm = obs[(obs["kpi"] == "pm25_concentration") & obs["period"].str.startswith("2023-")]
    days = pd.to_numeric(pm["valid_days"])
    mean = (pd.to_numeric(pm["value"]) * days).sum() / days.sum()
    con = _snapshot(world)
    row = con.sql("""select actual, judged_value, months_reported, status, target_value, comparator
                     from marts.mart_target_attainment
                     where region = '阳泉市' and kpi = 'pm25_concentration'""").df().iloc[0]
    assert row["months_reported"] == 12
    assert row["actual"] == pytest.approx(mean, abs=0.00005)  # rounded to 4 places in SQL
    assert row["judged_value"] == float(Decimal(repr(round(float(mean), 6))).quantize(Decimal(1), ROUND_HALF_EVEN))
    assert (row["target_value"], row["comparator"]) == (35, "<=")
    assert row["status"] == ("met" if row["judged_value"] <= 35 else "missed")
    rec = con.sql("""select actual, status from marts.mart_target_attainment
                     where region = '阳泉市' and kpi = 'reclaimed_water_utilization_rate'""").df().iloc[0]
    dec = obs[(obs["kpi"] == "reclaimed_water_utilization_rate") & (obs["period"] == "2023-12")]
    assert rec["actual"] == pytest.approx(float(dec["value"].iloc[0]))  # rates: latest value


def test_bad_rows_and_files_are_quarantined(world):
    con = _snapshot(world)
    rules = dict(con.sql("select rule, count(*) from raw.quarantine group by rule").fetchall())
    assert rules["file_unreadable"] == 1
    for rule in ("task_exists", "percent_range", "status_value", "period_format", "completed_on_required",
                 "kpi_known", "value_numeric", "unit_matches_catalogue"):
        assert rules.get(rule, 0) >= 1, rule
    assert (world.paths.quarantine / "示例数据_损坏文件.xlsx").exists()
    assert not list(world.paths.inbox.iterdir())


def test_manifest_lineage_and_quality_history(world):
    snap = current_snapshot(world.paths.serving)
    m = snap.manifest
    assert m["run_id"] == world.result.run_id
    assert len(m["inputs"]["plans"]) == 6 and all(len(p["sha256"]) == 64 for p in m["inputs"]["plans"])
    assert {p["file"]: p["status"] for p in m["inputs"]["plans"]}[LEGACY_DOC] == "rejected"
    assert m["row_counts"]["raw.tasks"] == 354
    assert m["checks"]["passed"] > 0
    con = _snapshot(world)
    suites = {s for (s,) in con.sql("select distinct suite from raw.validation_results").fetchall()}
    from pipelines.quality.checks import SUITES
    assert suites == {s.suite for s in SUITES} == {
        "parsed_tasks", "parsed_targets", "raw_progress_reports", "raw_observations",
        "mart_completion", "mart_target_attainment", "mart_history", "mart_consistency"}
    assert (world.paths.quality / "data_docs" / "index.html").exists()


def test_blocking_check_failure_keeps_the_last_good_snapshot(world, tmp_path):
    """Units removed from every task of one document: the critical GX check fails, nothing is published."""
    paths, before = world_after_a_good_run(world, tmp_path / "blocked")
    seed = paths.plans / "000_114a78fadf8f0ccd.txt"
    text = seed.read_text(encoding="utf-8")
    import re
    seed.write_text(re.sub(r"（[^（）]*(?:牵头|负责|配合)[^（）]*）", "", text), encoding="utf-8")
    result = run_pipeline(paths)
    assert not result.success
    checks = {e.asset_check_evaluation_data.check_name: e.asset_check_evaluation_data.passed
              for e in result.all_events if e.event_type_value == "ASSET_CHECK_EVALUATION"}
    assert checks["gx_parsed_tasks"] is False
    assert (paths.serving / "CURRENT").read_text() == before
    con = duckdb.connect(str(paths.build_db), read_only=True)
    failed = con.execute("""select expectation, column_name from raw.validation_results
                            where run_id = ? and not success and severity = 'critical'""",
                         [result.run_id]).fetchall()
    assert ("expect_column_values_to_be_between", "lead_count") in failed


def test_word_and_pdf_plans_are_read_by_the_run_and_a_legacy_doc_is_refused(world):
    """The world holds two seeds as .docx / .pdf: the headline figures above (354 tasks, 18 plans,
    64 targets, 23 of them judged) are those of the five text seeds, so the run read them to the same records."""
    con = _snapshot(world)
    files = {r[0]: r[1:] for r in con.sql("select source, format, status, reason from raw.plan_files").fetchall()}
    for stem, fmt in OFFICE_SEEDS.items():
        assert files[f"{stem}.{fmt}"][:2] == (fmt, "parsed")
    assert sorted(f for f, (fmt, *_r) in files.items() if fmt == "txt") == [
        "000_114a78fadf8f0ccd.txt", "002_d00cd320e7e0c579.txt", "004_2958428670c87bc9.txt"]
    fmt, status, reason = files[LEGACY_DOC]
    assert (fmt, status) == (None, "rejected") and "另存为" in reason and "save it as .docx" in reason
    assert con.execute("select count(*) from raw.plan_documents where source = ?", [LEGACY_DOC]).fetchall() == [(0,)]
    # positions in the originals: paragraphs and table rows of the .docx, pages and lines of the .pdf
    docx_source, pdf_source = (f"{s}.{f}" for s, f in OFFICE_SEEDS.items())
    located = dict(con.sql("""select t.source, count(*) filter (where l.location similar to '第[0-9]+(段|页第[0-9]+行)')
                              from raw.tasks t join raw.plan_lines l on l.source = t.source and l.line_no = t.start_line
                              group by t.source""").fetchall())
    tasks = dict(con.sql("select source, count(*) from raw.tasks group by source").fetchall())
    assert located[docx_source] == tasks[docx_source] > 0 and located[pdf_source] == tasks[pdf_source] > 0
    rows = con.sql("""select r.source, l.location from raw.annex_rows r
                      join raw.plan_lines l on l.source = r.source and l.line_no = r.start_line
                      where r.source in (?, ?) qualify row_number() over (partition by r.source order by r.start_line) = 1
                      order by r.source""", params=[docx_source, pdf_source]).fetchall()
    assert rows[0][1] == "表1第2行"  # the docx's first ledger row: table 1, row 2 (row 1 is the header)
    assert rows[1][1].startswith("第") and "表1第2行" in rows[1][1]
