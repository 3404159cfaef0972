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


def test_an_implausible_observation_warns_publishes_and_stays_in_the_history(world, tmp_path, monkeypatch, capsys):
    paths, before = world_after_a_good_run(world, tmp_path / "warn")
    (paths.inbox / "监测数据_阳泉市_2023-13.csv").write_text(
        "指标代码,地区,报告期,数值,单位,数据来源\npm25_concentration,阳泉市,2021-05,900,µg/m³,手工录入\n",
        encoding="utf-8-sig")
    result = run_pipeline(paths)
    assert result.success
    failed = _failures(paths, result.run_id)
    observation = [f for f in failed if f[0] == "raw_observations"]
    assert [(s, sev, col) for s, sev, col, _ in observation] == [("raw_observations", "warning", "value_plausible")]
    assert "监测数据_阳泉市_2023-13.csv#2" in observation[0][3]  # the row is named
    assert not [f for f in failed if f[1] == "critical"]
    assert (paths.serving / "CURRENT").read_text() != before  # published
    with duckdb.connect(str(paths.build_db), read_only=True) as con:  # history keeps every run
        runs = con.execute("select count(distinct run_id) from raw.validation_results").fetchone()[0]
    assert runs >= 2
    code, out = _audit(paths, monkeypatch, capsys)
    assert code == 0 and "raw_observations" in out and "value_plausible" in out


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
