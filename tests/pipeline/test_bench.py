"""The benchmark harness runs end to end on the smallest size and reports every stage."""
import json

import pytest

from pipelines import bench

pytestmark = pytest.mark.pipeline


def test_bench_harness_runs_on_two_documents(tmp_path):
    assert bench.main(["--sizes", "2", "--out", str(tmp_path)]) == 0
    (result,) = json.loads(next(tmp_path.glob("*.json")).read_text(encoding="utf-8"))["results"]
    assert result["success"] and result["inputs"]["plan_files"] == 2
    assert result["tasks"] == 71 + 77  # 阳泉 and 晋城 made synthetic
    assert set(result["stages"]) >= {"parse + load plans", "ingest submissions", "dbt build", "GX validation",
                                     "publish"}
    assert all(s["seconds"] > 0 and s["peak_rss_mib"] > 0 for s in result["stages"].values())
    # CPU seconds of the process tree: parsing and dbt (a child process) cost CPU; the run's CPU covers its stages
    assert result["stages"]["parse + load plans"]["cpu_seconds"] > 0 and result["stages"]["dbt build"]["cpu_seconds"] > 0
    assert result["run_cpu_seconds"] >= max(s["cpu_seconds"] for s in result["stages"].values())
    # the province's one bulletin, Word and PDF (LibreOffice a child process: its CPU counted)
    assert result["bulletin_province"]["pdf"] and result["bulletin_province"]["cpu_seconds"] > 0
    # of the province that holds the tasks (示例省), not the seeds' 山西省 that sorts first and holds none
    assert result["bulletin_province"]["tasks"] == result["tasks"]
    assert result["load_before"] and result["load_after"]
    # one new file through the sensor's job: ingested, marts rebuilt, published — no plan parsing
    assert result["incremental"]["success"] and "parse + load plans" not in result["incremental"]["stages"]
    assert result["templates"]["success"] and result["templates"]["files"] > 0
    assert result["bulletin"]["success"] and result["bulletin"]["files"] >= 2  # the province and a city
    # every dashboard callback answered, next to the SQL it ran replayed bare
    pages = result["dashboard"]
    assert {"page / (overview)", "page /tasks", "page /targets", "download tasks.csv (region)"} <= set(pages)
    assert all(p["queries"] > 0 and p["p95_ms"] >= p["p50_ms"] > 0 and p["bare_p95_ms"] > 0 for p in pages.values())
    table = next(tmp_path.glob("*.md")).read_text(encoding="utf-8")
    assert "通报 of the province, .docx + .pdf" in table and "load average" in table
    assert "| dbt build |" in table and "one new file → published" in table and "bulletin_job" in table and "| page /tasks |" in table
