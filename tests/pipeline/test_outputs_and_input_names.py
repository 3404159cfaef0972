"""Issue 22's gap and issue 24's outputs: the 累计完成量 a unit writes lands in staging and in
mart_task_outputs beside the output target it counts towards, recomputed here in pandas from the raw rows
(not from the marts); and mart_input_files names every submission file by its own rows (checked against
the names the sample gave its files, which the mart never reads) and every plan file by its notice."""
from __future__ import annotations

import re

import pandas as pd
import pytest

from tests.conftest import AS_OF
from tests.pipeline.test_kpi_marts import _raw

pytestmark = pytest.mark.pipeline


def _latest_output_by_lead_units(world) -> pd.Series:
    reports = _raw(world, """select task_id, unit, period, output_done, ingested_at,
                                    coalesce(received_at, ingested_at) as received_at, file_checksum, sheet, row_number
                             from raw.progress_reports where output_done is not null""")
    units = _raw(world, "select task_id, unit, unit_printed from raw.task_units where role = 'lead'")
    leads = pd.concat([units[["task_id", "unit"]], units[["task_id", "unit_printed"]].rename(
        columns={"unit_printed": "unit"})]).dropna().drop_duplicates()
    known = reports[(pd.to_datetime(reports["period"] + "-01") <= pd.Timestamp(AS_OF))
                    & (reports["received_at"].dt.normalize() <= pd.Timestamp(AS_OF))]
    by_lead = known.merge(leads, on=["task_id", "unit"])
    no_lead = known[~known["task_id"].isin(leads["task_id"])]
    counted = pd.concat([by_lead, no_lead])
    latest = counted.sort_values(["period", "ingested_at", "received_at", "file_checksum", "sheet", "row_number"])
    return latest.groupby("task_id")["output_done"].last()


def test_reported_output_is_the_lead_units_latest_figure_put_against_a_single_output(world):
    expected = _latest_output_by_lead_units(world)
    outputs = _raw(world, "select target_id, task_id from raw.targets where kind = 'output' and task_id is not null")
    mart = _raw(world, "select * from marts.mart_task_outputs")
    # every output target of a task that is in the warehouse is a row, once
    assert sorted(mart["target_id"]) == sorted(outputs[outputs["task_id"].isin(
        _raw(world, "select task_id from marts.mart_task_status")["task_id"])]["target_id"])
    assert mart["reported_value"].notna().sum() > 0  # the sample reports 累计完成量 for its output tasks
    for r in mart.itertuples():
        want = expected.get(r.task_id)
        assert (pd.isna(r.reported_for_task) and want is None) or r.reported_for_task == want, r.task_id
        if r.outputs_of_task == 1:
            assert (pd.isna(r.reported_value) and want is None) or r.reported_value == want
            if want is not None and r.target_value:
                assert r.output_rate == pytest.approx(want / r.target_value)
        else:  # one figure for several outputs is not put against any one of them
            assert pd.isna(r.reported_value) and pd.isna(r.output_rate)


def test_staging_and_the_task_detail_mart_carry_the_figure_of_every_row(world):
    raw = _raw(world, "select count(output_done) as n, sum(output_done) as s from raw.progress_reports").iloc[0]
    for table in ("staging.stg_progress_reports", "marts.mart_task_provenance"):
        got = _raw(world, f"select count(output_done) as n, sum(output_done) as s from {table}").iloc[0]
        assert (got["n"], got["s"]) == (raw["n"], raw["s"]) and raw["n"] > 0, table


def test_every_submission_file_is_named_by_its_own_rows(world):
    every = _raw(world, "select * from marts.mart_input_files")
    files = every[every["input"] == "submission"]
    assert len(files) == len(_raw(world, "select file_checksum from raw.ingested_files"))
    plans = every[every["input"] == "plan"].set_index("file_name")["document_name"]
    assert len(plans) == len(_raw(world, "select source from raw.plan_files"))
    assert plans["001_6d8037a82e9ce14b.docx"] == "晋城市空气质量改善、水环境质量巩固提升和土壤污染防治2022年行动计划（晋市政办〔2022〕11号）"
    assert pd.isna(plans["旧版通知.doc"])  # refused: nothing read, its name stays
    named = re.compile(r"示例数据_进展填报_(.+?)_(.+)_(\d{4}-\d{2})\.xlsx")
    checked = 0
    for r in files.itertuples():
        m = named.fullmatch(r.file_name)
        if m and r.status != "rejected":
            assert (r.region, r.unit, r.period_first, r.period_last) == (m[1], m[2], m[3], m[3]), r.file_name
            checked += 1
    assert checked > 100
    broken = files[files["file_name"] == "示例数据_损坏文件.xlsx"].iloc[0]
    assert pd.isna(broken["region"]) and pd.isna(broken["unit"])  # nothing readable: the name stays
