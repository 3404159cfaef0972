"""Corrupted inputs make the right GX check fail with the right severity: a blocking one keeps the last
good snapshot, a warning publishes and stays in the history; `plankpi audit` says which in its exit code."""
import duckdb
import pytest

from pipelines.cli import main as plankpi
from tests.conftest import run_pipeline, world_after_a_good_run

pytestmark = pytest.mark.pipeline


def _failures(paths, run_id):
    with duckdb.connect(str(paths.build_db), read_only=True) as con:
        return con.execute("""select suite, severity, column_name, sample_unexpected from raw.validation_results
                              where run_id = ? and not success""", [run_id]).fetchall()


def _audit(paths, monkeypatch, capsys) -> tuple[int, str]:
    monkeypatch.setenv("PLANKPI_DATA", str(paths.root))
    code = plankpi(["audit"])
    return code, capsys.readouterr().out


def test_an_implausible_observation_is_refused_by_its_row_and_the_run_publishes(world, tmp_path, monkeypatch, capsys):
    """Since issue 22 the ingest refuses a value outside the catalogue's plausible range row by row (the
    raw_observations suite's value_plausible stays as a second line behind it and finds nothing)."""
    paths, before = world_after_a_good_run(world, tmp_path / "warn")
    (paths.inbox / "监测数据_阳泉市_2023-13.csv").write_text(
        "指标代码,地区,报告期,数值,单位,数据来源\npm25_concentration,阳泉市,2021-05,900,µg/m³,手工录入\n",
        encoding="utf-8-sig")
    result = run_pipeline(paths)
    assert result.success
    with duckdb.connect(str(paths.build_db), read_only=True) as con:
        refused = con.execute("""select row_number, rule, reason_zh from raw.quarantine
                                 where file_name = '监测数据_阳泉市_2023-13.csv'""").fetchall()
        landed = con.execute("select count(*) from raw.observations where value = 900").fetchone()[0]
        runs = con.execute("select count(distinct run_id) from raw.validation_results").fetchone()[0]
    assert [(row, rule) for row, rule, _ in refused] == [(2, "value_plausible")]
    assert "合理范围" in refused[0][2] and landed == 0
    failed = _failures(paths, result.run_id)
    assert not [f for f in failed if f[0] == "raw_observations"]
    assert not [f for f in failed if f[1] == "critical"]
    assert (paths.serving / "CURRENT").read_text() != before  # published
    assert runs >= 2  # the history keeps every run
    code, out = _audit(paths, monkeypatch, capsys)
    assert code == 0


def test_an_implausible_target_blocks_and_audit_says_so(world, tmp_path, monkeypatch, capsys):
    paths, before = world_after_a_good_run(world, tmp_path / "block")
    seed = paths.plans / "000_114a78fadf8f0ccd.txt"
    text = seed.read_text(encoding="utf-8")
    assert "力争降到 **35** 微克/立方米" in text
    seed.write_text(text.replace("力争降到 **35** 微克/立方米", "力争降到 **3500** 微克/立方米"), encoding="utf-8")
    result = run_pipeline(paths)
    assert not result.success
    failed = _failures(paths, result.run_id)
    assert ("parsed_targets", "critical", "value_plausible") in [(s, sev, col) for s, sev, col, _ in failed]
    assert (paths.serving / "CURRENT").read_text() == before  # the last good snapshot stays
    code, out = _audit(paths, monkeypatch, capsys)
    assert code == 1 and "parsed_targets" in out and "BLOCKING" in out
