"""Issue 23's acceptance check: the headline, every target's judged value and status, and the month-end
completion series recomputed here in pandas from the raw files (the sample's observation .csv files as
the monitoring stations sent them, the reference .csv files, the landed report rows) — never from the
marts — and found equal to the marts. Rules as published: HJ 663-2013 (day-weighted means, good days /
valid days), GB 3095-2012 §8 (valid-day minimums), GB/T 8170 (round half to even before judging)."""
from __future__ import annotations

import calendar
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal

import pandas as pd
import pytest

from pipelines.config import REPO_ROOT
from pipelines.submissions.contract import OBSERVATION_COLUMNS, OBSERVATION_OPTIONAL_COLUMNS

from tests.conftest import AS_OF
from tests.pipeline.test_kpi_marts import _completed
from tests.pipeline.test_kpi_marts import _raw as _sql

pytestmark = pytest.mark.pipeline
DAILY = ("day_weighted_mean", "good_day_ratio")


def _round(value: float, decimals: int) -> float:
    """GB/T 8170: a dropped 5 rounds to the even digit (on the value as printed to 6 places)."""
    return float(Decimal(repr(round(float(value), 6))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_EVEN))


def _catalogue() -> pd.DataFrame:
    cat = pd.read_csv(REPO_ROOT / "data" / "reference" / "kpi_catalogue.csv", dtype=str, keep_default_na=False)
    return cat.assign(decimals=cat["decimals"].astype(int)).set_index("kpi")


def _observations(world, cat: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """The stations' files as sent, minus the rows the contract refuses, known as of ``as_of``."""
    frames = []
    for f in sorted(world.paths.archive.glob("示例数据_监测数据_*.csv")):
        raw = f.read_bytes()
        text = raw.decode("utf-8-sig") if raw.startswith(b"\xef\xbb\xbf") else raw.decode("gbk")
        frames.append(pd.read_csv(pd.io.common.StringIO(text), dtype=str, keep_default_na=False))
    obs = pd.concat(frames).rename(columns={**OBSERVATION_COLUMNS, **OBSERVATION_OPTIONAL_COLUMNS})
    obs["value"] = pd.to_numeric(obs["value"], errors="coerce")
    for col in ("valid_days", "good_days"):
        obs[col] = pd.to_numeric(obs[col].replace("", None), errors="coerce")
    obs = obs[obs["kpi"].isin(cat.index) & obs["value"].notna()]
    obs = obs[obs["measure_unit"] == obs["kpi"].map(cat["unit"])]
    obs["year"] = obs["period"].str[:4].astype(int)
    obs["month"] = obs["period"].str[5:7].replace("", "0").astype(int)
    obs["days"] = [calendar.monthrange(y, m)[1] if m else 365 for y, m in zip(obs["year"], obs["month"])]
    obs = obs[~(obs["valid_days"] > obs["days"].where(obs["period_kind"] == "当月", 366))]
    ends = [date(y, 12, 31) if not m else date(y, m, calendar.monthrange(y, m)[1])
            for y, m in zip(obs["year"], obs["month"])]
    return obs[[e <= as_of for e in ends]]


def _ytd(rows: pd.DataFrame, rule: str, through: int) -> tuple[float, float | None]:
    """(value, valid days) of the year to date through month ``through``."""
    cum = rows[(rows["period_kind"] == "累计") & (rows["month"] == through)]
    if len(cum):
        return float(cum["value"].iloc[0]), cum["valid_days"].iloc[0]
    m = rows[(rows["period_kind"] == "当月") & (rows["month"] <= through)].sort_values("month")
    weight = m["valid_days"].fillna(m["days"])
    valid = None if m["valid_days"].isna().any() else float(m["valid_days"].sum())
    if rule == "day_weighted_mean":
        return float((m["value"] * weight).sum() / weight.sum()), valid
    if rule == "good_day_ratio":
        good = m["good_days"].fillna(m["value"] / 100 * weight)
        return float(100 * good.sum() / weight.sum()), valid
    if rule == "sum":
        return float(m["value"].sum()), valid
    return float(m["value"].iloc[-1]), valid


def _year_value(obs: pd.DataFrame, cat: pd.DataFrame, kpi: str, region: str, year: int, as_of: date):
    """(judged value, final, complete, unrounded value) of a KPI's year as of ``as_of``, or None."""
    rows = obs[(obs["kpi"] == kpi) & (obs["region"] == region) & (obs["year"] == year)]
    if rows.empty:
        return None
    rule, decimals = cat.loc[kpi, "year_rule"], int(cat.loc[kpi, "decimals"])
    annual = rows[rows["period_kind"] == "年度"]
    if len(annual):
        value = float(annual["value"].iloc[0])
        return _round(value, decimals), True, True, value
    through = int(rows["month"].max())
    value, valid = _ytd(rows, rule, through)
    final = date(year, 12, 31) <= as_of
    complete = True
    if rule in DAILY:
        required = 324 if through == 12 else 27 * through - (2 if through >= 2 else 0)
        months = rows[rows["period_kind"] == "当月"]["month"]
        complete = (valid >= required) if valid is not None else (len(months) == through or
                                                                  (rows["period_kind"] == "累计").any())
        complete = complete and (not final or through == 12)
    return _round(value, decimals), final, complete, value


def _expected_targets(world, as_of: date) -> pd.DataFrame:
    cat = _catalogue()
    obs = _observations(world, cat, as_of)
    targets = _sql(world, "select * from raw.targets")
    targets = targets[targets["kpi"].isin(cat.index)].copy()
    targets["stretch"] = targets["stretch"].fillna(False).astype(bool)
    allocated = pd.read_csv(REPO_ROOT / "data" / "reference" / "allocated_targets.csv", dtype={"year": int})
    printed_binding = set(zip(targets.loc[~targets["stretch"], "region"], targets.loc[~targets["stretch"], "kpi"],
                              targets.loc[~targets["stretch"], "year"].astype(int)))
    rows = [dict(t) for _, t in targets.iterrows()]
    rows += [{"target_id": None, "region": a.region, "kpi": a.kpi, "year": a.year, "value": a.value,
              "comparator": cat.loc[a.kpi, "comparator"], "stretch": False, "source": "allocated"}
             for a in allocated.itertuples() if (a.region, a.kpi, a.year) not in printed_binding]
    out = []
    for t in rows:
        year = int(t["year"])
        got = _year_value(obs, cat, t["kpi"], t["region"], year, as_of)
        comparator, v = t["comparator"], float(t["value"])
        base_year = int(t["base_year"]) if pd.notna(t.get("base_year")) else year - 1
        base = _year_value(obs, cat, t["kpi"], t["region"], base_year, as_of)
        baseline = base[0] if base else None
        direction = {"decrease_by": "<=", "increase_by": ">=", "rank": "<="}.get(comparator, comparator)
        if comparator == "decrease_by":
            threshold = round(baseline * (1 - v / 100), 4) if baseline is not None else None
        elif comparator == "increase_by":
            threshold = round(baseline * (1 + v / 100), 4) if baseline is not None else None
        elif comparator == "rank":
            threshold = v if t.get("rank_side") == "top" else float(t["rank_of"]) - v
        else:
            threshold = v
        actual = got[3] if got else None
        if threshold is None or got is None:
            status, judged = "no_data", (got[0] if got else None)
        else:
            judged, final, complete, _ = got
            ok = {"<=": judged <= threshold, ">=": judged >= threshold, "=": judged == threshold}[direction]
            status = ("insufficient_data" if not complete else
                      ("met" if ok else "missed") if final else ("on_track" if ok else "at_risk"))
        out.append({"target_id": t["target_id"], "region": t["region"], "kpi": t["kpi"], "year": year,
                    "is_binding": not t["stretch"], "judged_value": judged, "actual": actual, "status": status})
    return pd.DataFrame(out)


def _reports_in_force(world, month_end: date) -> pd.DataFrame:
    """Each task's report in force at ``month_end`` as known then: arrived by then, period begun."""
    rep = _sql(world, """select task_id, period, status_code, completed_on, ingested_at, received_at,
                                file_checksum, sheet, row_number from raw.progress_reports""")
    rep["received"] = pd.to_datetime(rep["received_at"].fillna(rep["ingested_at"])).dt.date
    rep["start"] = pd.to_datetime(rep["period"] + "-01").dt.date
    rep = rep[(rep["received"] <= month_end) & (rep["start"] <= month_end)]
    rep = rep.sort_values(["period", "ingested_at", "received_at", "file_checksum", "sheet", "row_number"])
    return rep.groupby("task_id").tail(1).set_index("task_id")


def _tasks(world) -> pd.DataFrame:
    tasks = _sql(world, """select t.task_id, t.plan_id, p.year, try_cast(d.issue_date as date) as issued
                           from raw.tasks t join raw.plans p using (plan_id)
                           join raw.plan_documents d on d.doc_id = p.doc_id""")
    dl = _sql(world, "select task_id, try_cast(due_date as date) as due_date, kind, source from raw.task_deadlines")
    dated = dl.dropna(subset=["due_date"]).sort_values(["due_date", "source"], key=lambda s: s if s.name == "due_date"
                                                       else s.eq("text"))
    latest = dated.groupby("task_id").tail(1).set_index("task_id")
    standing = set(dl[dl["kind"].isin(["ongoing", "recurring", "seasonal"])]["task_id"])
    tasks["due"] = tasks["task_id"].map(latest["due_date"]).map(lambda d: d.date() if pd.notna(d) else None)
    tasks["due"] = tasks["due"].astype(object)
    tasks["basis"] = tasks["task_id"].map(latest["source"]).map({"annex": "annex", "text": "printed"})
    tasks["ongoing"] = tasks["due"].isna() & tasks["task_id"].isin(standing)
    assumed = tasks["due"].isna() & ~tasks["ongoing"]
    tasks.loc[assumed, "due"] = [date(int(y), 12, 31) for y in tasks.loc[assumed, "year"]]
    tasks.loc[assumed, "basis"] = "plan_year"
    tasks["start"] = [date(int(y), i.month if pd.notna(i) and i.year == y else 1, 1)
                      for y, i in zip(tasks["year"], tasks["issued"])]
    return tasks


def _state(tasks: pd.DataFrame, world, on: date) -> pd.DataFrame:
    force = _reports_in_force(world, on)
    t = tasks.merge(force[["status_code", "completed_on"]], left_on="task_id", right_index=True, how="left")
    code = t["status_code"]
    done_on = pd.to_datetime(t["completed_on"])
    t["completed"] = (code == "done") & (done_on <= pd.Timestamp(on)).fillna(False)
    due = pd.to_datetime(t["due"])
    t["due_by"] = (due <= pd.Timestamp(on)).fillna(False)
    t["overdue"] = t["due_by"] & ~t["completed"]
    t["lagging"] = code.isin(["delayed", "not_started"])
    t["reported"] = code.notna()
    return t


def test_every_target_judged_value_and_status_recomputed_from_the_station_files(world):
    as_of = date.fromisoformat(AS_OF)
    expected = _expected_targets(world, as_of)
    mart = _sql(world, "select target_id, region, kpi, year, is_binding, actual, judged_value, status, source "
                       "from marts.mart_target_attainment")
    assert len(mart) == len(expected) > 20
    printed = expected.dropna(subset=["target_id"]).set_index("target_id")
    m = mart[mart["source"] != "allocated"].set_index("target_id").loc[printed.index]
    assert list(m["status"]) == list(printed["status"])
    assert m["judged_value"].tolist() == pytest.approx(printed["judged_value"].tolist(), nan_ok=True)
    # the unrounded year value too (4 places in SQL): a plain mean of months would differ here
    assert m["actual"].tolist() == pytest.approx(printed["actual"].tolist(), abs=0.00006, nan_ok=True)
    alloc = expected[expected["target_id"].isna()].set_index(["region", "kpi", "year"]).sort_index()
    got = mart[mart["source"] == "allocated"].set_index(["region", "kpi", "year"]).sort_index()
    assert len(alloc) == 2 and list(got["status"]) == list(alloc["status"])
    assert got["judged_value"].tolist() == pytest.approx(alloc["judged_value"].tolist())
    # the sample exercises the rules: one 累计 region, rounding before judging, binding and stretch
    assert (mart["is_binding"]).sum() > 0 and (~mart["is_binding"]).sum() > 0


def test_every_target_at_every_month_end_recomputed_as_known_then(world):
    """mart_target_monthly: each target's judged value and status at each month end of its year equal
    the same rules applied here to the observations known by that month end."""
    monthly = _sql(world, "select target_id, month_end, judged_value, status from marts.mart_target_monthly "
                          "where target_id in (select target_id from marts.mart_target_attainment "
                          "where source <> 'allocated')")
    assert len(monthly) > 200
    for month_end, rows in monthly.groupby("month_end"):
        on = pd.Timestamp(month_end).date()
        exp = _expected_targets(world, on).dropna(subset=["target_id"]).set_index("target_id").loc[rows["target_id"]]
        assert list(rows["status"]) == list(exp["status"]), on
        assert rows["judged_value"].tolist() == pytest.approx(exp["judged_value"].tolist(), nan_ok=True), on
    # the sample has a month with too few valid days: some month ends are not judged
    assert "insufficient_data" in set(monthly["status"])


def test_headline_recomputed_from_the_raw_rows(world):
    as_of = date.fromisoformat(AS_OF)
    head = _sql(world, "select * from marts.mart_headline").iloc[0]
    targets = _expected_targets(world, as_of)
    binding = targets[targets["is_binding"]]
    assert head["targets_total"] == len(binding)
    for status in ("met", "on_track", "at_risk", "missed", "insufficient_data", "no_data"):
        assert head[f"targets_{status}"] == int((binding["status"] == status).sum()), status
    assert head["stretch_total"] == int((~targets["is_binding"]).sum())
    t = _state(_tasks(world), world, as_of)
    # completion as of the date follows the lead-unit authority rule (issue 22, test_kpi_marts._completed)
    done = _completed(world, AS_OF)
    done = set(done.loc[pd.to_datetime(done["completed_on"]) <= pd.Timestamp(as_of), "task_id"])
    t["completed"] = t["task_id"].isin(done)
    t["overdue"] = t["due_by"] & ~t["completed"]
    dated = t[~t["ongoing"]]
    assert head["tasks_total"] == len(t)
    assert head["tasks_completed"] == int(dated["completed"].sum())
    assert head["tasks_overdue"] == int(t["overdue"].sum())
    assert head["tasks_overdue_printed"] == int((t["overdue"] & t["basis"].isin(["printed", "annex"])).sum())
    assert head["tasks_overdue_assumed"] == int((t["overdue"] & (t["basis"] == "plan_year")).sum()) > 0
    assert head["tasks_ongoing"] == int(t["ongoing"].sum()) > 0
    assert head["tasks_ongoing_lagging"] == int((t["ongoing"] & t["lagging"]).sum())
    assert head["tasks_ongoing_reported"] == int((t["ongoing"] & t["reported"]).sum())
    newest = max(pd.Timestamp(p + "-01").date() for p in _sql(world, "select distinct period from raw.progress_reports")
                 ["period"] if pd.Timestamp(p + "-01").date() <= as_of)
    assert pd.Timestamp(head["newest_data_date"]).date() >= newest


def test_month_end_completion_series_recomputed_as_known_then(world):
    as_of = date.fromisoformat(AS_OF)
    series = _sql(world, "select month_end, tasks_total, tasks_completed, tasks_overdue from "
                         "marts.mart_completion_monthly where dimension = 'all' order by month_end")
    tasks = _tasks(world)
    assert len(series) >= 36
    for row in series.itertuples():
        on = pd.Timestamp(row.month_end).date()
        t = _state(tasks[tasks["start"] <= on], world, on)
        # completion at each month end follows the headline's rule (lead units, all of them), as known then
        done = _completed(world, on.isoformat())
        done = set(done.loc[pd.to_datetime(done["completed_on"]) <= pd.Timestamp(on), "task_id"])
        t["completed"] = t["task_id"].isin(done)
        t["overdue"] = t["due_by"] & ~t["completed"]
        assert (row.tasks_total, row.tasks_completed, row.tasks_overdue) == (
            len(t), int((t["completed"] & ~t["ongoing"]).sum()), int(t["overdue"].sum())), on
    last = series.iloc[-1]
    assert pd.Timestamp(last["month_end"]).date() == as_of  # the sample's as-of is a month end
    head = _sql(world, "select tasks_completed, tasks_overdue from marts.mart_headline").iloc[0]
    assert (last["tasks_completed"], last["tasks_overdue"]) == (head["tasks_completed"], head["tasks_overdue"])
