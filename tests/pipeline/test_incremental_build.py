"""Issue 23: the inbox's submissions_job builds incrementally — it recomputes only the tasks its new report
rows and supervision records touch (int_changed_tasks) — and every incremental model then holds exactly the
rows a full rebuild of the same data makes (multisets of rows), both for a new report file (a template a
unit filled and re-saved in LibreOffice) that completes a task and for a review decision added in the
supervision store. Each incremental model's executed SQL read int_changed_tasks (the filter was there),
and an untouched task is not among the changed ones."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pytest

from pipelines.config import DBT_PROJECT_DIR
from pipelines.supervision import store_for
from pipelines.warehouse.increment import incremental_refusal
from tests.conftest import AS_OF, world_after_a_good_run
from tests.pipeline.test_supervision import _filled_template, _run, review_required_from

pytestmark = pytest.mark.pipeline

DBT = str(Path(sys.executable).parent / "dbt")


def _incremental_models() -> dict[str, tuple[str, str]]:
    """Every model the submissions_job builds by key: name -> (schema-qualified table, unique key)."""
    manifest = json.loads((DBT_PROJECT_DIR / "target" / "manifest.json").read_text())
    return {n["name"]: (f'{n["schema"]}.{n["name"]}', n["config"]["unique_key"])
            for n in manifest["nodes"].values()
            if n["resource_type"] == "model" and n["config"].get("incremental_strategy") == "delete+insert"}


def _key_of_task(key: str, task: str) -> str:
    """The rows of one task in a model keyed by task_id or by report_key."""
    if key == "task_id":
        return f"task_id = '{task}'"
    return f"report_key in (select report_key from staging.stg_progress_reports where task_id = '{task}')"


def _columns(con, table: str) -> str:
    schema, name = table.split(".")
    cols = [c for (c,) in con.execute("select column_name from duckdb_columns() where schema_name = ? and "
                                      "table_name = ? and column_name <> 'dbt_invocation_id' order by column_index",
                                      [schema, name]).fetchall()]
    return ", ".join(f'"{c}"' for c in cols)


def _full_rebuild(paths, out: Path) -> Path:
    """The same warehouse rebuilt whole by dbt (--full-refresh), in a copy."""
    shutil.copytree(paths.warehouse, out / "warehouse", ignore=shutil.ignore_patterns("dbt_target"))
    env = {**os.environ, "PLANKPI_DATA": str(out), "DO_NOT_TRACK": "1"}
    done = subprocess.run([DBT, "run", "--full-refresh", "--vars", json.dumps({"as_of": AS_OF}),
                           "--profiles-dir", str(DBT_PROJECT_DIR), "--project-dir", str(DBT_PROJECT_DIR),
                           "--target-path", str(out / "target")], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:]
    return out / "warehouse" / "build.duckdb"


def _assert_equal_to_full_rebuild(paths, full_db: Path, models, sentinel: str) -> None:
    with duckdb.connect(str(paths.build_db), read_only=True) as con:
        con.execute(f"attach '{full_db}' as full_build (read_only)")
        for name, (table, key) in models.items():
            cols = _columns(con, table)
            assert cols == _columns(con.execute("use full_build"), table), name
            con.execute("use build")
            full_rows = f"select {cols} from full_build.{table}"
            inc_rows = f"select {cols} from {table}"
            for a, b in ((inc_rows, full_rows), (full_rows, inc_rows)):
                extra = con.execute(f"select count(*) from ({a} except all {b})").fetchone()[0]
                assert extra == 0, f"{name}: {extra} rows differ from the full rebuild"


def _changed_tasks(paths) -> set[str]:
    with duckdb.connect(str(paths.build_db), read_only=True) as con:
        return {t for (t,) in con.execute("select task_id from intermediate.int_changed_tasks").fetchall()}


def _was_incremental(paths) -> bool:
    return not json.loads((paths.dbt_target / "run_results.json").read_text())["args"].get("full_refresh")


def _filtered(paths, models) -> None:
    """Every incremental model's SELECT as this run compiled it (is_incremental() true) read only the changed
    tasks. (target/run holds the delete+insert statement around it, which names only the temporary table.)"""
    for name in models:
        [sql] = list((paths.dbt_target / "compiled").rglob(f"{name}.sql"))
        assert "int_changed_tasks" in sql.read_text(encoding="utf-8"), f"{name} was not filtered"


def test_the_submissions_job_recomputes_the_changed_tasks_only_and_equals_a_full_rebuild(world, tmp_path):
    paths, _ = world_after_a_good_run(world, tmp_path / "data")
    # review required from 2024-06-01: a 已完成 that arrived before completes its task at once, one that
    # arrived after awaits the supervisor's decision
    review_required_from(paths, "2024-06-01")
    _run(paths, "publish_job")  # a full build that reads the world's review policy
    assert not _was_incremental(paths)
    models = _incremental_models()
    assert {"int_task_completion_timeline", "int_task_status", "mart_task_status_monthly",
            "int_reporting_obligations", "int_report_review_events"} <= set(models)

    with duckdb.connect(str(paths.build_db), read_only=True) as con:
        # two units that alone lead open tasks, and a task with reports that neither touches (the sentinel)
        leads = con.execute("""select region, lead_unit, list(task_id order by task_id) from intermediate.int_task_status
                               where lead_units_total = 1 and not is_completed and not is_ongoing
                               group by all order by count(*) desc, 1, 2 limit 2""").fetchall()
        (region, unit, tasks), (region2, unit2, tasks2) = leads
        sentinel = con.execute("""select task_id from intermediate.int_task_completion_timeline
                                  where task_id not in (select unnest(?)) and task_id not in (select unnest(?))
                                  group by task_id order by count(*) desc, task_id limit 1""",
                               [tasks, tasks2]).fetchone()[0]
    completes, awaits = tasks[0], tasks2[0]
    assert incremental_refusal(paths.build_db, AS_OF) is None
    assert incremental_refusal(paths.build_db, "2024-07-31") is not None  # another as-of date: full rebuild

    # run 1: two units' files; the first arrived before review was required (it completes a task), the
    # second after (its 已完成 awaits review)
    files = [_filled_template(paths, tmp_path, region, unit, [completes], datetime(2024, 5, 25, 9, 0)),
             _filled_template(paths, tmp_path, region2, unit2, [awaits], datetime(2024, 6, 3, 9, 30))]
    _run(paths, "submissions_job")
    assert _was_incremental(paths)
    _filtered(paths, models)
    changed = _changed_tasks(paths)
    assert {completes, awaits} <= changed and sentinel not in changed
    with duckdb.connect(str(paths.build_db), read_only=True) as con:  # exactly the tasks of the two files' rows
        in_files = {t for (t,) in con.execute("select distinct task_id from staging.stg_progress_reports "
                                              "where file_name in (select unnest(?))", [files]).fetchall()}
    assert changed == in_files
    with duckdb.connect(str(paths.build_db), read_only=True) as con:
        status = dict(con.execute("select task_id, status_class from intermediate.int_task_status "
                                  "where task_id in (?, ?)", [completes, awaits]).fetchall())
        report_key = con.execute("select report_key from intermediate.int_report_review where task_id = ? and "
                                 "review_state = 'pending_review'", [awaits]).fetchone()[0]
    assert status[completes] in ("completed_on_time", "completed_late") and status[awaits] == "awaiting_review"
    _assert_equal_to_full_rebuild(paths, _full_rebuild(paths, tmp_path / "full-1"), models, sentinel)

    # run 2: nothing in the inbox, one decision in the supervision store: the supervisor approves the report
    # awaiting review (the sensor's run)
    store_for(paths.root).decide(awaits, unit2, "2024-05", report_key, "approve", None, "sup_demo",
                                 at=datetime(2024, 6, 30, 2, 0, tzinfo=timezone.utc))
    _run(paths, "submissions_job")
    assert _was_incremental(paths)
    assert _changed_tasks(paths) == {awaits}
    with duckdb.connect(str(paths.build_db), read_only=True) as con:
        assert con.execute("select status_class, review_state from intermediate.int_task_status where task_id = ?",
                           [awaits]).fetchone()[1] == "approved"
    _assert_equal_to_full_rebuild(paths, _full_rebuild(paths, tmp_path / "full-2"), models, sentinel)
