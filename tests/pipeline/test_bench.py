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
    assert "| dbt build |" in next(tmp_path.glob("*.md")).read_text(encoding="utf-8")
