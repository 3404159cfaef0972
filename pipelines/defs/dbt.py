"""dbt models as Dagster assets (dagster-dbt); dbt sources map to the raw.* assets by key."""
import importlib.metadata
import os
import sys
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource, DbtProject, dbt_assets
from packaging import version

from ..config import DBT_PROJECT_DIR
from ..quality import dbt_results
from ..warehouse.increment import incremental_refusal
from ..warehouse.schema import connect, ensure_raw_schema
from .automation import adds_submissions_only
from .resources import PlanKpiResource

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


class LocalDbtCli(DbtCliResource):
    """dbt run by the executable beside this Python (a venv used without activation has none on PATH).

    dagster-dbt asks that executable its version before every invocation (`dbt --version`: one more dbt
    start-up, 2.4 s of a 30 s incremental publish); it is the dbt-core of this environment, whose version
    the package metadata gives without starting anything."""

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(importlib.metadata.version("dbt-core"))


def dbt_resource() -> DbtCliResource:
    local = Path(sys.executable).parent / "dbt"
    if local.exists():
        return LocalDbtCli(project_dir=dbt_project, profiles_dir=str(DBT_PROJECT_DIR), dbt_executable=str(local))
    return DbtCliResource(project_dir=dbt_project, profiles_dir=str(DBT_PROJECT_DIR), dbt_executable="dbt")


@dbt_assets(manifest=dbt_project.manifest_path, project=dbt_project)
def plankpi_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, plankpi: PlanKpiResource):
    os.environ["PLANKPI_DATA"] = str(plankpi.paths.root)  # profiles.yml reads it
    os.environ.setdefault("DO_NOT_TRACK", "1")
    # dbt's unit tests check the models' SQL on fixed inputs, not the data: they run in make test
    # (tests/pipeline/test_dbt_unit_tests.py runs every one of them), not in the pipeline's builds, as dbt
    # advises for production — at province scale they were ≈ 25 s of every full build.
    args = ["build", "--exclude-resource-type", "unit_test"]
    # Incremental models append what the inbox brought and recompute the tasks it changed
    # (int_changed_tasks), only when the warehouse holds a whole build for the same as-of date; every other
    # run rebuilds them from raw, so the daily publish never depends on earlier increments.
    refusal = (incremental_refusal(plankpi.paths.build_db, plankpi.as_of) if adds_submissions_only(context)
               else "不是只添加报送的运行 / not a run that only adds submissions: full rebuild")
    if refusal:
        context.log.info(refusal)
        args.append("--full-refresh")
    # The run's as-of date and increment go to dbt by environment (macros/as_of.sql, changed_tasks.sql), not
    # --vars: a var that differs from the last parse's makes dbt re-parse the whole project (≈ 8 s per run).
    parameters = {"PLANKPI_AS_OF": plankpi.as_of or "", "PLANKPI_CHANGED_TASKS_ONLY": "" if refusal else "1"}
    with _environment(parameters):  # dbt.cli starts the dbt process here, with a copy of os.environ
        invocation = dbt.cli(args, context=context, raise_on_error=False, target_path=plankpi.paths.dbt_target)
    yield from invocation.stream()
    # Results go into the warehouse (after dbt has let go of the file) so the snapshot shows them.
    with connect(plankpi.paths.build_db) as con:
        ensure_raw_schema(con)
        dbt_results.record(con, dbt_results.result_rows(_run_results(invocation), context.run.run_id))
    if not invocation.is_successful():
        raise invocation.get_error()


@contextmanager
def _environment(values: dict[str, str]):
    """os.environ with `values` set for the duration (empty = unset), then as it was: the process serves
    other runs, and a default resource reads PLANKPI_AS_OF (defs/resources.py)."""
    before = {name: os.environ.get(name) for name in values}
    try:
        for name, value in values.items():
            if value:
                os.environ[name] = value
            else:
                os.environ.pop(name, None)
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _run_results(invocation) -> dict:
    try:
        return invocation.get_artifact("run_results.json")
    except FileNotFoundError:  # dbt stopped before running anything (the error is raised just after)
        return {}
