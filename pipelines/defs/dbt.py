"""dbt models as Dagster assets (dagster-dbt); dbt sources map to the raw.* assets by key."""
import importlib.metadata
import json
import os
import sys
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
    variables = {"as_of": plankpi.as_of} if plankpi.as_of else {}
    if not refusal:
        variables["changed_tasks_only"] = True  # macros/changed_tasks.sql: recompute the changed tasks only
    if variables:
        args += ["--vars", json.dumps(variables)]
    invocation = dbt.cli(args, context=context, raise_on_error=False, target_path=plankpi.paths.dbt_target)
    yield from invocation.stream()
    # Results go into the warehouse (after dbt has let go of the file) so the snapshot shows them.
    with connect(plankpi.paths.build_db) as con:
        ensure_raw_schema(con)
        dbt_results.record(con, dbt_results.result_rows(_run_results(invocation), context.run.run_id))
    if not invocation.is_successful():
        raise invocation.get_error()


def _run_results(invocation) -> dict:
    try:
        return invocation.get_artifact("run_results.json")
    except FileNotFoundError:  # dbt stopped before running anything (the error is raised just after)
        return {}
