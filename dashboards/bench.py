"""How fast the dashboard answers: `python -m dashboards.bench` (make bench-dashboard; the pipeline
benchmark runs it on every size it builds).

Each case is one request exactly as the browser makes it — the page router rendering a URL (posted to
/_dash-update-component), a download link (a GET) — through Flask's test client by a signed-in auditor (login,
authorization, layout, JSON: everything but the network). Cold: the query cache emptied first, so the
callback runs every query; next to it, the same SQL the callback issued (recorded as it ran) replayed on
a bare read-only DuckDB connection of the same snapshot: the floor the dashboard's own work is measured
against. Warm: the same page again with its results cached (what the next reader of a page gets until
the next snapshot). REPEAT times each; p50 / p95 in ms.
"""
from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote

import duckdb

REPEAT = 20
BENCH_ACCOUNT = "loadtest"


def percentiles(runs: list[float]) -> tuple[float, float]:
    """(p50, p95) of timings in ms, rounded to 0.1."""
    runs = sorted(runs)
    return round(statistics.median(runs), 1), round(runs[int(0.95 * (len(runs) - 1))], 1)


def sample_pages(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Named page URLs with a real region and task of the snapshot (the most overdue task's)."""
    region, task = con.execute("""select region, task_id from marts.mart_task_status
                                  order by days_overdue desc nulls last, task_id limit 1""").fetchall()[0]
    r = quote(region)
    return {"page / (overview)": "/", "page /?lang=en": "/?lang=en", "page /tasks": "/tasks",
            "page /tasks (region, overdue)": f"/tasks?region={r}&overdue=1",
            "page /tasks?task= (detail)": f"/tasks?region={r}&task={task}",
            "page /targets": "/targets", "page /targets (region)": f"/targets?region={r}",
            "page /units": "/units", "page /quality": "/quality", "page /review": "/review"}


def cases(con: duckdb.DuckDBPyConnection) -> dict[str, dict]:
    """The request of every case: a callback's body, or a download link's URL."""
    from dashboards.callback_requests import router_body
    out: dict = {name: router_body(page) for name, page in sample_pages(con).items()}
    region = con.execute("select min(region) from marts.mart_task_status").fetchall()[0][0]
    out["download tasks.csv (region)"] = f"/download/tasks.csv?region={quote(region)}"
    out["download tasks.csv (all)"] = "/download/tasks.csv"
    out["download units.csv"] = "/download/units.csv"
    return out


def _timed_callback(client, body: dict | str) -> tuple[float, list]:
    """One callback; a page's includes the first block of rows of each of its grids (fetched by the grids
    as soon as the page appears: the reader sees no rows before)."""
    from dashboards import data
    from dashboards.callback_requests import first_blocks, page_search
    with data.recording() as queries:
        started = time.perf_counter()
        rendered = _send(client, body)
        search = page_search(body) if isinstance(body, dict) else None
        for block in first_blocks(search, rendered) if search is not None else []:
            _send(client, block)
        elapsed = (time.perf_counter() - started) * 1000
    return elapsed, list(queries)


def _send(client, body: dict | str) -> str:
    """A callback request (its JSON body; the answer's text), or a GET of a route (a download link: its
    bytes are a file the browser saves, not text it reads)."""
    response = (client.get(body) if isinstance(body, str) else
                client.post("/_dash-update-component", json=body))
    if response.status_code != 200:
        raise RuntimeError(f"callback answered {response.status_code}: {response.get_data(as_text=True)[:300]}")
    return "" if isinstance(body, str) else response.get_data(as_text=True)


def _bare(con: duckdb.DuckDBPyConnection, queries: list) -> float:
    started = time.perf_counter()
    for sql, params in queries:
        con.execute(sql, params or []).fetchnumpy()
    return (time.perf_counter() - started) * 1000


_APP = []


def _app():
    """One app per process (pages register globally); it reads whichever PLANKPI_DATA is set."""
    from dashboards.app import create_app
    if not _APP:
        _APP.append(create_app())
    return _APP[0]


def measure(root: Path, repeat: int = REPEAT) -> dict:
    """Every case on the published snapshot of the data folder ``root`` (PLANKPI_DATA is set to it)."""
    import os
    os.environ["PLANKPI_DATA"] = str(root)
    from dashboards import data
    from dashboards.loadtest import load_account_password
    from pipelines.config import DataPaths
    from pipelines.warehouse.publish import current_snapshot
    password = load_account_password(root)
    from dashboards.callback_requests import signed_in_client
    client = signed_in_client(_app().server, BENCH_ACCOUNT, password)
    if client.login_response.status_code != 302:
        raise RuntimeError("benchmark account could not sign in")
    con = duckdb.connect(str(current_snapshot(DataPaths(root).serving).path), read_only=True)
    results = {}
    for name, body in cases(con).items():
        _, queries = _timed_callback(client, body)  # opens the snapshot, imports what the page needs
        cold, warm, bare = [], [], []
        for _ in range(repeat):
            data.clear_cache()  # cold: the callback runs every query, as the bare replay does
            elapsed, queries = _timed_callback(client, body)
            cold.append(elapsed)
            warm.append(_timed_callback(client, body)[0])  # warm: the same page again, results cached
            bare.append(_bare(con, queries))
        (p50, p95), (w50, w95), (b50, b95) = percentiles(cold), percentiles(warm), percentiles(bare)
        results[name] = {"p50_ms": p50, "p95_ms": p95, "warm_p50_ms": w50, "warm_p95_ms": w95,
                         "bare_p50_ms": b50, "bare_p95_ms": b95, "runs": repeat, "queries": len(queries),
                         "ratio_p95": round(p95 / b95, 1) if b95 else None}
    con.close()
    return results


def markdown(results: dict) -> str:
    lines = ["| callback | cold p50 / p95 ms | bare DuckDB p50 / p95 ms (queries) | cold p95 ÷ bare | warm p50 / p95 ms |",
             "|---|---|---|---|---|"]
    for name, r in results.items():
        lines.append(f"| {name} | {r['p50_ms']} / {r['p95_ms']} | {r['bare_p50_ms']} / {r['bare_p95_ms']} "
                     f"({r['queries']}) | {r['ratio_p95']} | {r['warm_p50_ms']} / {r['warm_p95_ms']} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    from pipelines.config import data_paths
    results = measure(data_paths().root)
    print(markdown(results))
    if "--json" in sys.argv:
        print(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
