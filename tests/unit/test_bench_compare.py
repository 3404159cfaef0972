"""The benchmark's comparison with earlier results: each stage against 1.5x its earlier time (issue 23), each
page against 2x its bare queries and 150 ms (issue 24), the one bulletin against 60 s at 2,000 documents."""
from pipelines.bench import comparison, markdown


def _result(parse_s, dbt_s, page_p95, page_bare, bulletin_s):
    return {"size": "2000", "run_seconds": parse_s + dbt_s, "run_cpu_seconds": 1.0,
            "stages": {"parse + load plans": {"seconds": parse_s, "cpu_seconds": 0.5, "peak_rss_mib": 9},
                       "dbt build": {"seconds": dbt_s, "cpu_seconds": 0.5, "peak_rss_mib": 9}},
            "incremental": {"seconds": 10.0},
            "bulletin_province": {"seconds": bulletin_s, "cpu_seconds": 3.0, "peak_rss_mib": 9, "scope": "示例省",
                                  "tasks": 141600},
            "dashboard": {"page /": {"p95_ms": page_p95, "bare_p95_ms": page_bare,
                                     "ratio_p95": round(page_p95 / page_bare, 1)}}}


def _row(table: str, name: str) -> list[str]:
    line = next(line for line in table.splitlines() if line.startswith(f"| {name} |"))
    return [c.strip() for c in line.strip("|").split("|")]


def test_each_stage_page_and_bulletin_gets_its_verdict():
    before = {"date": "2026-12-01", "results": [_result(40.0, 16.0, 41.0, 23.0, 0)]}
    table = comparison([_result(61.0, 20.0, 160.0, 100.0, 61.0)], before)
    assert _row(table, "parse + load plans") == ["parse + load plans", "40.0", "61.0 (0.5)", "1.52", "OVER"]
    assert _row(table, "dbt build")[-2:] == ["1.25", "ok"]
    assert _row(table, "通报 of the province (one bulletin)")[-1] == "OVER"  # 61 s, not < 60 s
    assert _row(table, "page /")[1:] == ["41.0", "160.0", "100.0", "1.6", "OVER"]  # within 2x bare, not < 150 ms
    table = comparison([_result(59.0, 16.0, 140.0, 100.0, 59.0)], before)
    assert _row(table, "parse + load plans")[-1] == "ok" and _row(table, "page /")[-1] == "ok"
    assert _row(table, "通报 of the province (one bulletin)")[-1] == "ok"


def test_the_results_table_shows_wall_and_cpu_seconds():
    r = {**_result(40.0, 16.0, 41.0, 23.0, 12.5), "inputs": {"plan_files": 1, "submission_files": 1}, "tasks": 1,
         "progress_rows": 1, "snapshot_mib": 1, "prepare_seconds": 1, "success": True, "peak_rss_mib": 9,
         "load_before": "0.50, 0.40, 0.30", "load_after": "1.00, 0.50, 0.30"}
    r.pop("dashboard")
    table = markdown([r])
    assert _row(table, "dbt build") == ["dbt build", "16.0 (0.5) / 9"]
    assert _row(table, "通报 of the province, .docx + .pdf (one bulletin)") == [
        "通报 of the province, .docx + .pdf (one bulletin)", "12.5 (3.0) / 9"]
    assert "通报 of 示例省 (141600 tasks); load average 0.50, 0.40, 0.30 before, 1.00, 0.50, 0.30 after" in table


def test_a_windows_cpu_is_the_difference_of_the_samples_around_it():
    from pipelines.bench import RssSampler
    sampler = RssSampler()
    sampler.samples = [(0.0, 100, 1.0), (1.0, 200, 1.5), (2.0, 300, 3.0), (3.0, 100, 4.5)]
    assert sampler.cpu_seconds(0.5, 2.5) == 3.5  # from the sample at 0.0 to the one at 3.0
    assert sampler.cpu_seconds(1.0, 2.0) == 1.5
    assert sampler.cpu_seconds(1.0, 3.5) is None  # no sample after the end yet: not measured, not a guess
    assert sampler.peak_mib(0.5, 2.5) == round(300 / 1024, 1)
