"""Every dbt unit test runs in `make test`: the pipeline's own builds leave them out
(`--exclude-resource-type unit_test` in pipelines/defs/dbt.py, as dbt advises for production), so this is
where the rules they pin (authority rule, month-end history, rounding, forecast, ...) are checked."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.config import DBT_PROJECT_DIR

pytestmark = pytest.mark.pipeline

DBT = str(Path(sys.executable).parent / "dbt")


def _dbt(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PLANKPI_DATA": str(root), "DO_NOT_TRACK": "1"}
    return subprocess.run([DBT, *args, "--profiles-dir", str(DBT_PROJECT_DIR), "--project-dir", str(DBT_PROJECT_DIR),
                           "--target-path", str(root / "target")], env=env, capture_output=True, text=True)


def test_the_pipeline_build_leaves_unit_tests_out_and_make_test_runs_every_one(world, tmp_path):
    # the world's run (Dagster, a full build) recorded no unit test: they are not run in production
    import duckdb
    with duckdb.connect(str(world.paths.build_db), read_only=True) as con:
        kinds = {k for (k,) in con.execute("select distinct resource_type from raw.dbt_results").fetchall()}
    assert "model" in kinds and "test" in kinds and "unit_test" not in kinds

    # here: every unit test of the project, on a copy of the world's warehouse (a unit test needs its
    # model's inputs to exist, for their column types)
    shutil.copytree(world.paths.warehouse, tmp_path / "warehouse")
    done = _dbt(tmp_path, "test", "--select", "test_type:unit")
    assert done.returncode == 0, done.stdout[-3000:]
    manifest = json.loads((tmp_path / "target" / "manifest.json").read_text())
    declared = {uid for uid in manifest["unit_tests"]}
    results = json.loads((tmp_path / "target" / "run_results.json").read_text())["results"]
    ran = {r["unique_id"] for r in results if r["status"] == "pass"}
    assert len(declared) >= 26 and ran == declared


def test_a_unit_test_fails_when_its_expected_value_is_changed(world, tmp_path):
    """The run above is not vacuous: one rule's expected value changed (T3 of the authority rule is
    complete from 2023-10-03 — here said to be complete already on 2023-09-03, when one of its two lead
    units had reported) makes dbt fail."""
    project = tmp_path / "dbt_project"
    shutil.copytree(DBT_PROJECT_DIR, project, ignore=shutil.ignore_patterns("target", "logs", "dbt_packages"))
    spec = project / "models" / "intermediate" / "_models.yml"
    pinned = ('{task_id: T3, known_from: "2023-09-03", lead_units_total: 2, lead_units_done: 1, is_complete: false')
    text = spec.read_text(encoding="utf-8")
    assert pinned in text
    spec.write_text(text.replace(pinned, pinned.replace("is_complete: false", "is_complete: true")), encoding="utf-8")
    shutil.copytree(world.paths.warehouse, tmp_path / "warehouse")
    env = {**os.environ, "PLANKPI_DATA": str(tmp_path), "DO_NOT_TRACK": "1"}
    done = subprocess.run([DBT, "test", "--select", "int_task_completion_timeline,test_type:unit",
                           "--profiles-dir", str(project), "--project-dir", str(project),
                           "--target-path", str(tmp_path / "target")], env=env, capture_output=True, text=True)
    assert done.returncode != 0
    assert "only_lead_units_complete_a_task_and_all_of_them" in done.stdout and "FAIL" in done.stdout
