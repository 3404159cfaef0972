"""The KPI marts rebuilt for two as-of dates, checked against values computed here from the raw rows
and the sample files (independently of the SQL), and dbt docs carrying every KPI's formula."""
import json
import os
import shutil
import subprocess
import sys
from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from pipelines.config import DBT_PROJECT_DIR
from pipelines.submissions.contract import OBSERVATION_COLUMNS, OBSERVATION_OPTIONAL_COLUMNS

pytestmark = pytest.mark.pipeline

EARLY, LATE = "2023-09-30", "2024-06-30"
DBT = str(Path(sys.executable).parent / "dbt")


def _dbt(data_root: Path, *args: str) -> None:
    env = {**os.environ, "PLANKPI_DATA": str(data_root), "DO_NOT_TRACK": "1"}
    done = subprocess.run([DBT, *args, "--profiles-dir", str(DBT_PROJECT_DIR), "--project-dir", str(DBT_PROJECT_DIR)],
                          env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:]


@pytest.fixture(scope="module")
def rebuilt(world, tmp_path_factory):
    """A copy of the world's warehouse with the marts built as of EARLY and as of LATE."""
    frames = {}
    for as_of in (EARLY, LATE):
        root = tmp_path_factory.mktemp(f"asof_{as_of}")
        shutil.copytree(world.paths.warehouse, root / "warehouse")
        _dbt(root, "run", "--vars", json.dumps({"as_of": as_of}), "--target-path", str(root / "target"))
        con = duckdb.connect(str(root / "warehouse" / "build.duckdb"), read_only=True)
        frames[as_of] = {name: con.execute(f"select * from marts.{name}").df() for name in (
            "mart_task_status", "mart_completion", "mart_target_attainment", "mart_reporting_units",
            "mart_kpi_trends", "mart_unreported_tasks", "mart_headline")}
        con.close()
    return frames


def _raw(world, sql: str) -> pd.DataFrame:
    con = duckdb.connect(str(world.paths.build_db), read_only=True)
    try:
        return con.execute(sql).df()
    finally:
        con.close()


def _completed(world, as_of: str) -> pd.DataFrame:
    """Tasks complete as of a date by the authority rule, in pandas: every lead unit's own latest report
    known by then (arrived and its period begun) says 已完成 (a task without a lead: any unit's);
    completed_on the last lead's date, done_period the period the last of them first said 已完成."""
    rep = _raw(world, "select task_id, unit, period, status_code, completed_on, ingested_at, "
                      "coalesce(received_at, ingested_at) as received_at, file_checksum, sheet, row_number "
                      "from raw.progress_reports")
    day = pd.Timestamp(as_of)
    rep = rep[(pd.to_datetime(rep["period"] + "-01") <= day)
              & (pd.to_datetime(rep["received_at"]).dt.normalize() <= day)]
    latest = rep.sort_values(["period", "ingested_at", "received_at", "file_checksum", "sheet", "row_number"]) \
        .groupby(["task_id", "unit"]).tail(1)
    first = rep[rep["status_code"] == "done"].groupby(["task_id", "unit"])["period"].min().rename("first_done")
    latest = latest.join(first, on=["task_id", "unit"])
    leads = _raw(world, "select distinct task_id, unit from raw.task_units where role = 'lead'")
    by_lead = leads.merge(latest, on=["task_id", "unit"], how="left")
    lead_tasks = by_lead.groupby("task_id").agg(all_done=("status_code", lambda s: bool((s == "done").all())),
                                                completed_on=("completed_on", "max"),
                                                done_period=("first_done", "max"))
    lead_done = lead_tasks[lead_tasks["all_done"]].drop(columns="all_done")
    no_lead = latest[~latest["task_id"].isin(leads["task_id"]) & (latest["status_code"] == "done")]
    no_lead_done = no_lead.groupby("task_id").agg(completed_on=("completed_on", "max"),
                                                  done_period=("first_done", "min"))
    return pd.concat([lead_done, no_lead_done]).reset_index()


def _expected_status(world, as_of: str) -> pd.DataFrame:
    """Each task's due date and completion as of a date, by the rules of the brief, in pandas."""
    day = pd.Timestamp(as_of)
    tasks = _raw(world, "select t.task_id, p.year from raw.tasks t join raw.plans p using (plan_id)")
    dl = _raw(world, "select task_id, try_cast(due_date as date) as due_date, kind from raw.task_deadlines")
    printed = dl.dropna(subset=["due_date"]).groupby("task_id")["due_date"].max()
    standing = set(dl[dl["kind"].isin(["ongoing", "recurring", "seasonal"])]["task_id"])
    tasks["due"] = tasks["task_id"].map(printed)
    tasks["ongoing"] = tasks["due"].isna() & tasks["task_id"].isin(standing)
    no_date = tasks["due"].isna() & ~tasks["ongoing"]
    tasks.loc[no_date, "due"] = pd.to_datetime(tasks.loc[no_date, "year"].astype(str) + "-12-31")
    tasks["due"] = pd.to_datetime(tasks["due"])
    done = _completed(world, as_of)
    done = done[pd.to_datetime(done["completed_on"]) <= day]
    tasks["completed"] = tasks["task_id"].isin(done["task_id"])
    tasks["overdue"] = (tasks["due"] <= day) & ~tasks["completed"]
    return tasks


@pytest.mark.parametrize("as_of", [EARLY, LATE])
def test_overdue_and_completion_match_the_rules(world, rebuilt, as_of):
    exp = _expected_status(world, as_of)
    marts = rebuilt[as_of]
    status = marts["mart_task_status"].set_index("task_id")
    assert int(status["is_overdue"].sum()) == int(exp["overdue"].sum())
    assert set(status.index[status["is_overdue"]]) == set(exp.loc[exp["overdue"], "task_id"])
    total = marts["mart_completion"].query("dimension == 'all'").iloc[0]
    counted = exp[~exp["ongoing"]]
    assert total["tasks_ongoing"] == int(exp["ongoing"].sum()) > 0
    assert total["tasks_with_due_date"] == len(counted)
    assert total["tasks_completed"] == int(counted["completed"].sum())
    assert total["completion_rate"] == pytest.approx(round(counted["completed"].mean(), 4))
    due = exp[exp["due"] <= pd.Timestamp(as_of)]
    assert total["tasks_due"] == len(due)
    assert total["due_completion_rate"] == pytest.approx(round(due["completed"].mean(), 4))
    overdue = status[status["is_overdue"]]
    days = (pd.Timestamp(as_of) - pd.to_datetime(overdue["due_date"])).dt.days
    assert (overdue["days_overdue"] == days).all()


def test_numbers_move_between_the_two_dates_as_they_must(rebuilt):
    early = rebuilt[EARLY]["mart_completion"].query("dimension == 'all'").iloc[0]
    late = rebuilt[LATE]["mart_completion"].query("dimension == 'all'").iloc[0]
    assert early["tasks_due"] < late["tasks_due"]            # year-end deadlines pass
    assert early["tasks_completed"] < late["tasks_completed"]  # more reports say 已完成
    assert early["tasks_total"] == late["tasks_total"] == 354
    assert early["tasks_ongoing"] == late["tasks_ongoing"]
    # days overdue of a task overdue on both dates grow by exactly the days between them
    e = rebuilt[EARLY]["mart_task_status"].set_index("task_id")
    lt = rebuilt[LATE]["mart_task_status"].set_index("task_id")
    both = e.index[e["is_overdue"]].intersection(lt.index[lt["is_overdue"]])
    assert len(both) > 0
    gap = (date.fromisoformat(LATE) - date.fromisoformat(EARLY)).days
    assert ((lt.loc[both, "days_overdue"] - e.loc[both, "days_overdue"]) == gap).all()


def test_pm25_year_to_date_as_of_september_and_final_as_of_next_june(world, rebuilt):
    """The day-weighted year to date (HJ 663-2013) as of September and for the whole year, judged as
    published (integer µg/m³, GB/T 8170); the trend's judged line is the same value month by month."""
    obs = pd.read_csv(world.paths.archive / "示例数据_监测数据_阳泉市.csv", dtype=str, encoding="utf-8-sig")
    obs = obs.rename(columns={**OBSERVATION_COLUMNS, **OBSERVATION_OPTIONAL_COLUMNS})
    pm = obs[(obs["kpi"] == "pm25_concentration")]
    months = pm[pm["period"].str.startswith("2023-")].assign(value=lambda d: pd.to_numeric(d["value"]),
                                                            days=lambda d: pd.to_numeric(d["valid_days"]))
    baseline = float(pm[pm["period"] == "2022"]["value"].iloc[0])
    for as_of, n in ((EARLY, 9), (LATE, 12)):
        row = rebuilt[as_of]["mart_target_attainment"].query(
            "region == '阳泉市' and kpi == 'pm25_concentration'").iloc[0]
        first = months.sort_values("period").head(n)
        mean = (first["value"] * first["days"]).sum() / first["days"].sum()
        judged = float(Decimal(repr(round(float(mean), 6))).quantize(Decimal(1), ROUND_HALF_EVEN))
        assert row["months_reported"] == n
        assert row["actual"] == pytest.approx(mean, abs=0.00005)  # rounded to 4 places in SQL
        assert row["judged_value"] == judged
        published_baseline = float(Decimal(repr(float(baseline))).quantize(Decimal(1), ROUND_HALF_EVEN))
        assert row["baseline"] == pytest.approx(published_baseline)
        assert row["progress_from_baseline"] == pytest.approx(
            round((judged - published_baseline) / (35 - published_baseline), 4))
        ok = judged <= 35
        assert row["status"] == ({EARLY: "on_track", LATE: "met"} if ok
                                 else {EARLY: "at_risk", LATE: "missed"})[as_of]
    trend = rebuilt[EARLY]["mart_kpi_trends"].query("region == '阳泉市' and kpi == 'pm25_concentration'")
    assert sorted(trend["month"]) == list(range(1, 10))
    assert (trend["target_threshold"].isna() & (trend["stretch_threshold"] == 35)).all()  # 力争 35


def test_relative_and_rank_targets_are_judged(rebuilt):
    att = rebuilt[LATE]["mart_target_attainment"].set_index(["region", "kpi"])
    so2 = att.loc[("新绛县", "so2_concentration")]
    assert so2["comparator"] == "decrease_by" and so2["baseline_year"] == 2022
    assert so2["threshold"] == pytest.approx(round(so2["baseline"] * 0.7, 2))
    rank = att.loc[("阳泉市", "air_quality_index_rank")]
    assert (rank["rank_of"], rank["threshold"], rank["direction"]) == (168, 148, "<=")
    assert set(att["status"]) <= {"met", "missed", "insufficient_data"}  # every target year has ended by LATE


def test_reporting_compliance_follows_the_arrival_of_each_file(world, rebuilt):
    """A report is on time when its file arrived (its time in the inbox) by the 10th of the next month."""
    units = rebuilt[LATE]["mart_reporting_units"]
    checked = 0
    for f in sorted(world.paths.archive.glob("示例数据_进展填报_*.xlsx")):
        _, _, region, unit, period = f.stem.split("_")
        arrived = datetime.fromtimestamp(f.stat().st_mtime).date()
        y, m = map(int, period.split("-"))
        due = date(y + m // 12, m % 12 + 1, 10)
        row = units[(units["region"] == region) & (units["unit"] == unit) & (units["period"] == period)]
        if row.empty:  # the unit had no open task left that period
            continue
        assert row.iloc[0]["report_status"] == ("on_time" if arrived <= due else "late"), f.name
        checked += 1
    assert checked > 500
    statuses = units["report_status"].value_counts()
    assert statuses["late"] > 0 and statuses["missing"] > 0
    # carried-over tasks are due in the as-of month too: only its report is still pending
    assert set(units.loc[units["report_status"] == "pending", "period"]) <= {LATE[:7]}
    early = rebuilt[EARLY]["mart_reporting_units"]
    assert early["period"].max() <= EARLY[:7] and "pending" in set(early["report_status"])


def _expected_unreported(world, as_of: str) -> set[str]:
    """Open tasks with no report in their two latest reporting periods due by as_of, in pandas. A task not
    complete at the end of its plan year is carried over into the later months (standing tasks are not)."""
    plans = _raw(world, """select t.task_id, p.year, try_cast(d.issue_date as date) as issued
                           from raw.tasks t join raw.plans p using (plan_id) join raw.plan_documents d
                           on d.doc_id = p.doc_id""")
    dl = _raw(world, "select task_id, due_date, kind from raw.task_deadlines")
    standing = set(dl.groupby("task_id").filter(
        lambda g: g["due_date"].isna().all() and g["kind"].isin(["ongoing", "recurring", "seasonal"]).any())["task_id"])
    rep = _raw(world, "select task_id, period, status_code from raw.progress_reports")
    reported = set(zip(rep["task_id"], rep["period"]))
    done = _completed(world, as_of).set_index("task_id")["done_period"].to_dict()
    last = date.fromisoformat(as_of)
    flagged = set()
    for task_id, year, issued in plans.itertuples(index=False):
        first = issued.month if issued is not None and issued.year == year else 1
        months = [(year, m) for m in range(first, 13)]
        if task_id not in standing:
            months += [(y, m) for y in range(year + 1, last.year + 1) for m in range(1, 13)]
        due = [f"{y}-{m:02d}" for y, m in months if date(y + m // 12, m % 12 + 1, 10) <= last]
        open_periods = [p for p in due if not (task_id in done and done[task_id] < p)]
        last_two = open_periods[-2:]
        if len(last_two) == 2 and not any((task_id, p) in reported for p in last_two):
            flagged.add(task_id)
    return flagged


@pytest.mark.parametrize("as_of", [EARLY, LATE])
def test_unreported_tasks_are_open_tasks_silent_for_two_periods(world, rebuilt, as_of):
    found = set(rebuilt[as_of]["mart_unreported_tasks"]["task_id"])
    assert found == _expected_unreported(world, as_of)
    if as_of == EARLY:  # the sample's silent units (July and August) show up in September
        assert len(found) > 0
    else:               # the sample reports in plan years only: the carried-over open tasks go silent
        assert len(found) > 0


def test_dbt_docs_state_each_kpi_formula(world, tmp_path):
    root = tmp_path / "docs"
    shutil.copytree(world.paths.warehouse, root / "warehouse")
    _dbt(root, "docs", "generate", "--target-path", str(tmp_path / "target"))
    manifest = json.loads((tmp_path / "target" / "manifest.json").read_text(encoding="utf-8"))
    catalog = json.loads((tmp_path / "target" / "catalog.json").read_text(encoding="utf-8"))
    docs = {n["name"]: n["description"] for n in manifest["nodes"].values() if n["resource_type"] == "model"}
    formulas = {
        "mart_completion": ["completion_rate = tasks_completed / tasks_with_due_date",
                            "due_completion_rate =", "on_time_rate ="],
        "mart_target_attainment": ["gap = judged_value − threshold", "progress_from_baseline =", "on_track",
                                   "at_risk", "insufficient_data", "GB/T 8170"],
        "int_kpi_ytd_values": ["HJ 663-2013", "GB 3095-2012", "GB/T 8170", "Σ 优良天数 / Σ 有效天数"],
        "mart_target_forecast": ["required rest-of-year mean R =", "稳定达标", "难以达标"],
        "mart_task_status_monthly": ["arrived", "Grain: task × month_end"],
        "mart_reporting_compliance": ["reporting_rate = units_reported / units_expected"],
        "mart_task_status": ["days_overdue =", "is_overdue = is_due and not is_completed"],
        "mart_unit_completion": ["completion_rate = completed / tasks with a due date"],
    }
    for model, needles in formulas.items():
        for needle in needles:
            assert needle in docs[model], (model, needle)
    assert all(docs[name] for name in docs if name.startswith("mart_"))
    assert "model.plankpi.mart_reporting_compliance" in catalog["nodes"]
