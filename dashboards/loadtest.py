"""Many readers at once, while a new snapshot is published: `python -m dashboards.loadtest`.

Starts the dashboard under gunicorn (as `make dashboard` does) on the published snapshot of PLANKPI_DATA,
then N simulated users, each a thread with its own signed-in session (an auditor account "loadtest",
its password reset for the run), render pages through the same request the browser makes for a
page (Dash's router callback) for a bounded time. A third of the way through, a real pipeline run
(the inbox sensor's job, in its own process) ingests a new file and publishes a new snapshot (the
write–audit–publish swap) while the readers go on. Reports p50 / p95 / max latency, the
error count, and which snapshots the pages were rendered from (each page must name exactly one).
"""
from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import random
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

from dashboards.callback_requests import first_blocks, login_form_token, page_search, router_body

LOAD_ACCOUNT = "loadtest"



def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn_server(workers: int, env: dict | None = None, log=subprocess.DEVNULL):
    """The dashboard under gunicorn (as `make dashboard` serves it) on a free port, up and answering;
    yields its base URL and stops it on leaving."""
    port = _free_port()
    server = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "--workers", str(workers),
                               "--threads", "4", "--bind", f"127.0.0.1:{port}", "dashboards.wsgi:server"],
                              stdout=log, stderr=subprocess.STDOUT, env=env or dict(os.environ))
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):  # workers import Dash and the pages first
            try:
                urllib.request.urlopen(base + "/", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        yield base, server
    finally:
        server.terminate()
        server.wait(timeout=20)


def load_account_password(data_root: Path) -> str:
    """The load test's auditor account (every page), with a fresh password for this run."""
    from pipelines.accounts import store_for
    return store_for(data_root).ensure(LOAD_ACCOUNT, "auditor", actor="loadtest")


def signed_in(base: str, username: str, password: str) -> urllib.request.OpenerDirector:
    """A client with its own cookie jar, signed in through the login form as a browser is (its CSRF token
    included); its callbacks carry the session's token as Dash's renderer sends it."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    token = login_form_token(opener.open(base + "/login", timeout=30).read().decode())
    opener.open(base + "/login", data=urlencode({"username": username, "password": password,
                                                  "csrf_token": token}).encode(), timeout=30).read()
    opener.csrf_token = next(c.value for c in jar if c.name == "_csrf_token")
    return opener


def _post(client: urllib.request.OpenerDirector, base: str, body: dict) -> str:
    request = urllib.request.Request(base + "/_dash-update-component", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json", "X-CSRFToken": client.csrf_token})
    with client.open(request, timeout=30) as response:
        return response.read().decode()


def _page_view(client: urllib.request.OpenerDirector, base: str, page: str) -> str:
    """What a reader's browser asks to show a page: the page (Dash's router callback), then the first
    block of rows of each grid on it. Returns everything received."""
    page_body = router_body(page)
    rendered = _post(client, base, page_body)
    blocks = first_blocks(page_search(page_body), rendered)
    return rendered + "".join(_post(client, base, block) for block in blocks)


_RUN = re.compile(r"(?:运行|run) ([0-9a-z-]{8})")


def _user(base: str, client: urllib.request.OpenerDirector, pages: list[str], until: float, seed: int, out: list,
          lock: threading.Lock, think: tuple[float, float]) -> None:
    rng = random.Random(seed)
    time.sleep(rng.uniform(0, think[1]))  # readers arrive spread out, not in one instant
    while time.time() < until:
        page = rng.choice(pages)
        at, started = time.time(), time.perf_counter()
        try:
            body, ok = _page_view(client, base, page), True
        except Exception as exc:  # every failure is counted and shown
            body, ok = repr(exc), False
        elapsed = (time.perf_counter() - started) * 1000
        runs = set(_RUN.findall(body)) if ok else set()  # the snapshot(s) the page names
        with lock:
            out.append((page, elapsed, ok, tuple(sorted(runs)), at))
        time.sleep(rng.uniform(*think))  # a reader's pause between clicks


def _pipeline_run_publishes(paths) -> tuple[float, float]:
    """A real pipeline run in its own process, as the inbox sensor starts one: a new submission file,
    ingested, marts rebuilt, audited and published as a new snapshot. Returns when it started and ended."""
    from pipelines.bench import one_more_report
    one_more_report(paths)
    started = time.time()
    subprocess.run([str(Path(sys.executable).parent / "plankpi"), "run", "--ephemeral", "--job", "submissions_job"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env={**os.environ, "PLANKPI_DATA": str(paths.root)})
    return started, time.time()


def run(users: int, seconds: float, workers: int, publish: bool, think: tuple[float, float] = (1, 5)) -> dict:
    from pipelines.config import data_paths
    from pipelines.warehouse.publish import current_snapshot
    import duckdb

    from dashboards.bench import percentiles, sample_pages
    paths = data_paths()
    password = load_account_password(paths.root)
    with duckdb.connect(str(current_snapshot(paths.serving).path), read_only=True) as con:
        pages = list(sample_pages(con).values())
    with gunicorn_server(workers) as (base, _):
        warm = signed_in(base, LOAD_ACCOUNT, password)
        for page in pages:  # every worker opens the snapshot once before the clock starts
            _page_view(warm, base, page)
        before = current_snapshot(paths.serving).path.name
        clients = [signed_in(base, LOAD_ACCOUNT, password) for _ in range(users)]  # signed in before the clock
        results, lock = [], threading.Lock()
        until = time.time() + seconds
        threads = [threading.Thread(target=_user, args=(base, clients[i], pages, until, i, results, lock, think))
                   for i in range(users)]
        for t in threads:
            t.start()
        published, pipeline = None, (until, until)
        if publish:
            time.sleep(seconds / 3)
            pipeline = _pipeline_run_publishes(paths)
            published = current_snapshot(paths.serving).path.name
        for t in threads:
            t.join()
    latencies = sorted(ms for _, ms, ok, _, _ in results if ok)
    during = sorted(ms for _, ms, ok, _, at in results if ok and pipeline[0] <= at <= pipeline[1])
    pages_per_snapshot: dict[str, int] = {}
    for _, _, _, runs, _ in results:
        key = "+".join(runs) or "?"
        pages_per_snapshot[key] = pages_per_snapshot.get(key, 0) + 1
    return {
        "users": users, "seconds": seconds, "workers": workers, "think_seconds": list(think),
        "requests": len(results),
        "errors": sum(1 for _, _, ok, _, _ in results if not ok),
        **dict(zip(("p50_ms", "p95_ms"), percentiles(latencies) if latencies else (None, None))),
        "max_ms": round(latencies[-1], 1) if latencies else None,
        # the same while the pipeline ran beside the readers (it shares the cores)
        "requests_during_pipeline": len(during),
        **dict(zip(("p50_ms_during_pipeline", "p95_ms_during_pipeline"),
                   percentiles(during) if during else (None, None))),
        "snapshot_before": before, "snapshot_published_during": published,
        "pipeline_seconds": round(pipeline[1] - pipeline[0], 1) if publish else None,
        "pages_per_snapshot": pages_per_snapshot,  # a key with '+' would be a page mixing two snapshots
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboards.loadtest")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--no-publish", dest="publish", action="store_false")
    parser.add_argument("--think", default="1,5",
                        help="each user's pause between pages, MIN,MAX seconds (default 1,5: a reader looks at a "
                             "page before the next click, as load tools such as Locust simulate users; "
                             "0.05,0.3 is a stress test of clickers who never read)")
    args = parser.parse_args(argv)
    think = tuple(float(x) for x in args.think.split(","))
    result = run(args.users, args.seconds, args.workers, args.publish, think)
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0 if result["errors"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
