"""The guard of the incremental build (issue 23): incremental only on a warehouse holding a whole build for
the run's as-of date; anything else is a full rebuild, with the reason in Chinese and English."""
from datetime import date

import duckdb

from pipelines.warehouse.increment import incremental_refusal


def _warehouse(path, as_of: date | None, statuses: list[str] | None):
    with duckdb.connect(str(path)) as con:
        if as_of is not None:
            con.execute("create schema marts")
            con.execute("create table marts.mart_headline as select ?::date as as_of", [as_of])
        if statuses is not None:
            con.execute("create schema raw")
            con.execute("create table raw.dbt_results (run_id varchar, status varchar, recorded_at timestamp)")
            # an older run that failed, then the latest run with the given statuses
            con.execute("insert into raw.dbt_results values ('old', 'error', timestamp '2024-06-01 08:00')")
            for s in statuses:
                con.execute("insert into raw.dbt_results values ('new', ?, timestamp '2024-06-30 08:00')", [s])
    return path


def test_a_whole_build_for_the_same_as_of_date_may_be_incremental(tmp_path):
    db = _warehouse(tmp_path / "b.duckdb", date(2024, 6, 30), ["success", "pass", "warn", "no-op"])
    assert incremental_refusal(db, "2024-06-30") is None


def test_another_as_of_date_is_a_full_rebuild(tmp_path):
    db = _warehouse(tmp_path / "b.duckdb", date(2024, 6, 30), ["success", "pass"])
    reason = incremental_refusal(db, "2024-07-01")
    assert reason and "2024-06-30" in reason and "2024-07-01" in reason and "全量重建" in reason
    # empty as_of means today: a warehouse built for 2024-06-30 is not today's
    assert incremental_refusal(db, "") is not None


def test_a_build_that_did_not_finish_whole_is_followed_by_a_full_rebuild(tmp_path):
    for statuses in (["success", "error"], ["success", "fail"], ["success", "skipped"], []):
        db = _warehouse(tmp_path / f"b{len(statuses)}{statuses[-1:] }.duckdb", date(2024, 6, 30), statuses)
        assert incremental_refusal(db, "2024-06-30") is not None, statuses


def test_no_warehouse_or_no_finished_build_is_a_full_rebuild(tmp_path):
    assert incremental_refusal(tmp_path / "missing.duckdb", "2024-06-30") is not None
    assert incremental_refusal(_warehouse(tmp_path / "no_marts.duckdb", None, ["success"]), "2024-06-30") is not None
    assert incremental_refusal(_warehouse(tmp_path / "no_results.duckdb", date(2024, 6, 30), None), "2024-06-30") is not None
