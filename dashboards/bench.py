"""How fast the dashboard answers: `python -m dashboards.bench` (make bench-dashboard).

Every callback of the app ends in one of these server-side calls: the page router renders a page from
its URL (filters, task, language), a download rebuilds a table. Each is timed warm (the snapshot
connection open), N times, on the published snapshot of PLANKPI_DATA; median and 95th percentile in ms.
"""
from __future__ import annotations

import json
import statistics
import sys
import time

REPEAT = 20


def _time(fn, repeat: int = REPEAT) -> dict:
    fn()  # warm: first call opens the snapshot connection
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - started) * 1000)
    runs.sort()
    return {"median_ms": round(statistics.median(runs), 1), "p95_ms": round(runs[int(0.95 * (len(runs) - 1))], 1)}


def measure() -> dict:
    from dashboards.app import create_app
    create_app()  # registers the pages
    from dashboards import data
    from dashboards.pages import overview, quality, targets, tasks, units
    from dashboards.tables import TABLES, labelled

    first = data.tasks({}).iloc[0]
    region = first["region"]
    cases = {
        "page / (overview)": lambda: overview.layout(),
        "page / ?lang=en": lambda: overview.layout(lang="en"),
        "page /tasks": lambda: tasks.layout(),
        "page /tasks filtered (region, overdue)": lambda: tasks.layout(region=region, overdue="1"),
        "page /tasks?task= (detail)": lambda: tasks.layout(region=region, task=first["task_id"]),
        "page /targets": lambda: targets.layout(),
        "page /targets one region": lambda: targets.layout(region=region),
        "page /units": lambda: units.layout(),
        "page /quality": lambda: quality.layout(),
        "download tasks.csv": lambda: labelled(TABLES["tasks"]({}), "zh").to_csv(index=False),
        "download units.csv": lambda: labelled(TABLES["units"]({}), "zh").to_csv(index=False),
    }
    return {name: _time(fn) for name, fn in cases.items()}


def main() -> None:
    results = measure()
    width = max(map(len, results))
    for name, r in results.items():
        print(f"{name:<{width}}  median {r['median_ms']:>7.1f} ms   p95 {r['p95_ms']:>7.1f} ms")
    if "--json" in sys.argv:
        print(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
