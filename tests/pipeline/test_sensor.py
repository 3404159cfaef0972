"""The inbox sensor asks for a run when files wait in the inbox, and only then; the supervision sensor when
the supervision store holds a record newer than its cursor."""
import shutil

import dagster as dg
import pytest

from pipelines.defs.automation import inbox_sensor, supervision_sensor


def test_inbox_sensor(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANKPI_DATA", str(tmp_path))
    (tmp_path / "inbox").mkdir()
    assert isinstance(inbox_sensor(dg.build_sensor_context()), dg.SkipReason)
    (tmp_path / "inbox" / "市城管局_2023-07.xlsx").write_bytes(b"x")
    request = inbox_sensor(dg.build_sensor_context())
    assert isinstance(request, dg.RunRequest) and request.tags["plankpi/inbox_files"] == "1"
    again = inbox_sensor(dg.build_sensor_context())
    assert again.run_key == request.run_key  # same files, same key: Dagster starts one run only


def test_supervision_sensor_runs_once_per_new_record(tmp_path, monkeypatch):
    from pipelines.supervision import store_for
    monkeypatch.setenv("PLANKPI_DATA", str(tmp_path))
    assert supervision_sensor.job_name == "submissions_job"
    context = dg.build_sensor_context()
    assert isinstance(supervision_sensor(context), dg.SkipReason)  # an empty store
    store = store_for(tmp_path)
    store.decide("T1", "市住建局", "2024-05", "abc:进展填报:3", "return", "缺少验收材料", "sup1")
    store.escalate("T2", "issue", "逾期 95 天", "sup1")
    request = supervision_sensor(context)
    assert isinstance(request, dg.RunRequest) and request.run_key == "supervision-2" and context.cursor == "2"
    assert isinstance(supervision_sensor(context), dg.SkipReason)  # nothing new since
    store.decide("T1", "市住建局", "2024-05", "abc:进展填报:3", "approve", None, "sup1")
    assert supervision_sensor(context).run_key == "supervision-3"


@pytest.mark.pipeline
def test_a_new_file_is_published_without_reparsing_the_plans(world, tmp_path):
    """The sensor's job: ingest, rebuild what depends on submissions, audit, publish — nothing else."""
    import duckdb
    from pipelines.definitions import build_defs
    from pipelines.defs.resources import PlanKpiResource
    from pipelines.bench import one_more_report
    from pipelines.warehouse.publish import current_snapshot
    from tests.conftest import AS_OF, world_after_a_good_run
    assert inbox_sensor.job_name == "submissions_job"
    paths, before = world_after_a_good_run(world, tmp_path / "incremental")
    (paths.inbox / "监测数据_阳泉市_复核.csv").write_text(
        "指标代码,地区,报告期,数值,单位,数据来源\npm25_concentration,阳泉市,2023-12,33.5,µg/m³,复核\n",
        encoding="utf-8-sig")
    shutil.copytree(world.paths.archive, paths.archive, dirs_exist_ok=True)
    report = one_more_report(paths)  # the latest archived progress report again, for the next month
    defs = build_defs(PlanKpiResource(data_dir=str(paths.root), as_of=AS_OF))
    result = defs.resolve_job_def("submissions_job").execute_in_process(
        instance=dg.DagsterInstance.ephemeral(), raise_on_error=False)
    assert result.success
    steps = {e.step_key for e in result.all_events if e.event_type_value == "STEP_SUCCESS"}
    assert {"submissions", "plankpi_dbt_models", "published_snapshot"} <= steps
    assert not steps & {"parsed_plans", "reference_data", "progress_templates"}
    assert (paths.serving / "CURRENT").read_text() != before
    with duckdb.connect(str(current_snapshot(paths.serving).path), read_only=True) as con:
        value = con.execute("""select value from marts.mart_kpi_trends
                               where region = '阳泉市' and kpi = 'pm25_concentration' and period = '2023-12'""").fetchone()
        assert value == (33.5,)  # the resubmission supersedes the sample's December value
        landed = con.execute("select rows_landed from raw.ingested_files where file_name = ?", [report.name]).fetchone()[0]
        # stg_progress_reports is incremental here: it appended this run's rows, each once
        counts = con.execute("""select (select count(*) from raw.progress_reports),
                                       (select count(*) from staging.stg_progress_reports),
                                       (select count(*) from staging.stg_progress_reports where file_name = ?)""",
                             [report.name]).fetchone()
    assert landed > 0 and counts == (counts[0], counts[0], landed)
    # GX checked only the rows this run landed (earlier rows were checked against the same plans)
    checks = {e.asset_check_key.name: e.metadata for e in result.get_asset_check_evaluations()}
    assert checks["gx_raw_progress_reports"]["rows_validated"].value == landed
    assert checks["gx_raw_observations"]["rows_validated"].value == 1
    assert checks["gx_raw_progress_reports"]["rows"].value == "landed by this run"
