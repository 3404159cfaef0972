"""The pipeline benchmark: the real Dagster job on growing inputs, wall time and peak memory per stage.

`python -m pipelines.bench --sizes seeds,50` (make bench). For each size a fresh data folder is built
(the seeds with their monthly sample, or `plankpi synth --docs N`: a synthetic province with a year of
monthly reports), then the whole job runs in this process as `plankpi run` runs it. A thread samples the RSS of
this process and its children (dbt runs as one) every 50 ms, with their CPU seconds (user + system, the
reaped children's included); each stage's peak is the highest sample between its steps' start and end events,
its CPU the difference between the samples at its ends (the machine is shared: CPU seconds are what a stage
costs, wall seconds what it took beside the others' load, recorded as the load average before and after).
Then the month's 通报 of the province (.docx and .pdf, issue 27's "one bulletin") at every size, and the
dashboard. Results go to bench/results/<date>.json and .md, compared stage by stage with ``--compare``.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

from .config import REPO_ROOT, DataPaths
from .synth import write_corpus

RESULTS = REPO_ROOT / "bench" / "results"
SEEDS = REPO_ROOT / "data" / "plans"
AS_OF = "2024-06-30"
# Dagster step -> stage of the report
STAGES = {"parsed_plans": "parse + load plans", "reference_data": "load reference",
          "submissions": "ingest submissions", "plankpi_dbt_models": "dbt build",
          "published_snapshot": "publish", "progress_templates": "templates", "monthly_bulletin": "bulletin"}


_TICKS = os.sysconf("SC_CLK_TCK")


def _tree_usage(pid: int) -> tuple[int, float]:
    """(resident KiB, CPU seconds) of a process and all its live descendants, from /proc. CPU is user +
    system of each process plus that of its children already reaped (cutime, cstime), so a dbt or
    LibreOffice child that has exited stays counted in its parent."""
    rss, ticks, todo = 0, 0, [pid]
    while todo:
        p = todo.pop()
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    rss += int(line.split()[1])
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += sum(int(f) for f in fields[11:15])  # utime stime cutime cstime (fields 14-17)
            for task in Path(f"/proc/{p}/task").iterdir():
                children = (task / "children").read_text().split()
                todo += [int(c) for c in children]
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return rss, ticks / _TICKS


def _load() -> str:
    """The load average (1, 5, 15 min), as `uptime` shows it: the machine is shared."""
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


class RssSampler(threading.Thread):
    def __init__(self, every: float = 0.05):
        super().__init__(daemon=True)
        self.every, self.samples, self._stop_event = every, [], threading.Event()

    def run(self) -> None:
        pid = os.getpid()
        while not self._stop_event.is_set():
            self.samples.append((time.time(), *_tree_usage(pid)))
            time.sleep(self.every)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()

    def peak_mib(self, start: float, end: float) -> float:
        inside = [kib for t, kib, _ in self.samples if start <= t <= end]
        return round(max(inside, default=0) / 1024, 1)

    def cpu_seconds(self, start: float, end: float) -> float | None:
        """CPU of the process tree between the last sample at or before ``start`` and the first at or after
        ``end`` (at most one sampling interval wider than the window on each side); None if there is no
        such sample (not measured — never a made-up 0)."""
        before = [cpu for t, _, cpu in self.samples if t <= start]
        after = [cpu for t, _, cpu in self.samples if t >= end]
        if not before or not after:
            return None
        return round(after[0] - before[-1], 2)

    def wait_past(self, moment: float, limit: float = 10.0) -> None:
        """Until a sample taken after ``moment`` exists (a starved sampler thread on a loaded machine can
        be late by more than its interval)."""
        deadline = time.time() + limit
        while time.time() < deadline and not (self.samples and self.samples[-1][0] >= moment):
            time.sleep(self.every)


def prepare(size: str, root: Path) -> dict:
    """A data folder for one size (the seeds with their sample, or `plankpi synth --docs N`)."""
    if size != "seeds":
        made = write_corpus(sorted(SEEDS.iterdir()), int(size), REPO_ROOT / "data" / "reference", root,
                            log=lambda line: print(f"  {line}", flush=True))
        return {k: made[k] for k in ("plan_files", "submission_files")}
    from .steps import write_sample
    paths = DataPaths(root).ensure()
    for f in sorted(SEEDS.iterdir()):
        shutil.copy2(f, paths.plans / f.name)
    return {"plan_files": len(list(paths.plans.iterdir())), "submission_files": len(write_sample(paths))}


def _stage_of(step_key: str) -> str:
    return "GX validation" if "_gx_" in step_key else STAGES.get(step_key, step_key)


def run_size(size: str, workdir: Path, templates: bool = True, dashboard: bool = True) -> dict:
    """Build one size from an empty warehouse (publish_job), then the month's templates (templates_job) and 通报 (bulletin_job),
    then one new submission file through the inbox sensor's job, then the dashboard on the result."""
    from .definitions import build_defs
    from .defs.resources import PlanKpiResource
    root = workdir / f"size-{size}"
    started = time.perf_counter()
    inputs = prepare(size, root)
    prepare_s = time.perf_counter() - started
    defs = build_defs(PlanKpiResource(data_dir=str(root), as_of=AS_OF))
    load_before = _load()
    sampler = RssSampler()
    sampler.start()
    t0 = time.time()
    result, stages, wall = run_job(defs, "publish_job", sampler)  # it waits for a sample after the job's end
    peak = sampler.peak_mib(t0, t0 + wall)
    out = {"size": size, "inputs": inputs, **_counts(root), "success": result.success,
           "prepare_seconds": round(prepare_s, 1), "run_seconds": round(wall, 1),
           "run_cpu_seconds": sampler.cpu_seconds(t0, t0 + wall), "peak_rss_mib": peak,
           "stages": stages, "load_before": load_before}
    if result.success:
        out["bulletin_province"] = province_bulletin(DataPaths(root), sampler)
    if templates and result.success:
        done, t_stages, t_wall = run_job(defs, "templates_job", sampler)
        out["templates"] = {"seconds": round(t_wall, 1), "success": done.success,
                            "files": len(list(DataPaths(root).outbox.glob("*/*.xlsx"))),
                            "peak_rss_mib": max(s["peak_rss_mib"] for s in t_stages.values())}
        # the month's 通报 of the province and of every city (Word, and PDF by one LibreOffice start)
        done, b_stages, b_wall = run_job(defs, "bulletin_job", sampler)
        out["bulletin"] = {"seconds": round(b_wall, 1), "success": done.success,
                           "files": len(list(DataPaths(root).outbox.glob("bulletins/*.docx"))),
                           "peak_rss_mib": max(s["peak_rss_mib"] for s in b_stages.values())}
    if result.success:
        one_more_report(DataPaths(root))
        done, i_stages, i_wall = run_job(defs, "submissions_job", sampler)
        out["incremental"] = {"seconds": round(i_wall, 1), "success": done.success,
                              "stages": {k: v["seconds"] for k, v in i_stages.items()}}
    sampler.stop()
    if dashboard and result.success:
        from dashboards.bench import measure
        print("  dashboard callbacks …", flush=True)
        out["dashboard"] = measure(root)
    out["load_after"] = _load()
    shutil.rmtree(root, ignore_errors=True)
    return out


def province_bulletin(paths: DataPaths, sampler: "RssSampler") -> dict:
    """Issue 27's figure: one bulletin — the province's, for the month before the as-of date — written as
    `plankpi bulletin` writes it (the published snapshot's numbers, charts, .docx, then the PDF by
    LibreOffice headless): wall seconds, CPU seconds of this process and its children, peak memory."""
    from .bulletin.numbers import published_scopes
    from .defs.bulletin import previous_month
    from .steps import write_bulletins
    from .warehouse.publish import current_snapshot
    from .warehouse.schema import connect
    with connect(current_snapshot(paths.serving).path, read_only=True) as con:
        # the province with tasks: the synthetic one (示例省), not the seeds' 山西省 that sorts first and
        # holds no task of a synthetic province
        scope = published_scopes(con)[0]
        tasks = con.execute("select tasks_total from marts.mart_scope_headline where scope = ?", [scope]).fetchone()[0]
    out = Path(tempfile.mkdtemp(prefix="bench-bulletin-", dir=paths.root))
    t0 = time.time()
    written = write_bulletins(paths, previous_month(AS_OF), [scope], out=out)
    t1 = time.time()
    sampler.wait_past(t1)  # a sample after the end, for the CPU difference
    return {"seconds": round(t1 - t0, 2), "cpu_seconds": sampler.cpu_seconds(t0, t1),
            "peak_rss_mib": sampler.peak_mib(t0, t1), "scope": written[0].scope, "tasks": tasks,
            "pdf": bool(written[0].pdf and Path(written[0].pdf).is_file())}


def one_more_report(paths: DataPaths) -> Path:
    """A new file into the inbox: the archived progress report of the latest period sent again for the
    next month by the same units (same tasks, new period: new rows, not a duplicate), as .csv."""
    import re

    from .submissions.contract import PROGRESS_COLUMNS
    from .submissions.read import read_submission
    from .submissions.sample import calendar_month
    period_of = re.compile(r"(\d{4})-(\d{2})")
    latest = max((p for p in paths.archive.glob("*.*") if "监测" not in p.name and period_of.search(p.name)),
                 key=lambda p: (period_of.findall(p.name)[-1], p.name))
    frame = next(s.frame for s in read_submission(latest) if s.kind == "progress")
    year, month = map(int, period_of.findall(latest.name)[-1])
    period = "{}-{:02d}".format(*calendar_month(year, month + 1))
    frame = frame[list(PROGRESS_COLUMNS.values())].assign(period=period)  # the contract's columns only
    frame.columns = list(PROGRESS_COLUMNS)
    target = paths.inbox / f"{latest.stem.replace(f'{year}-{month:02d}', period)}_bench.csv"
    frame.to_csv(target, index=False, encoding="utf-8-sig")
    return target


def run_job(defs, job: str, sampler: "RssSampler") -> tuple[object, dict, float]:
    """One job in this process; (result, stages with seconds and peak RSS, wall seconds)."""
    import dagster as dg
    instance = dg.DagsterInstance.ephemeral()
    t0 = time.time()
    result = defs.resolve_job_def(job).execute_in_process(instance=instance, raise_on_error=False)
    wall = time.time() - t0
    windows: dict[str, list[float]] = {}
    for entry in instance.all_logs(result.run_id):
        event = entry.dagster_event
        if event and event.step_key and event.event_type_value in ("STEP_START", "STEP_SUCCESS", "STEP_FAILURE"):
            windows.setdefault(event.step_key, []).append(entry.timestamp)
    sampler.wait_past(t0 + wall)  # a sample after the last step's end, for its CPU difference
    stages: dict[str, dict] = {}
    for step, stamps in windows.items():
        stage = stages.setdefault(_stage_of(step), {"seconds": 0.0, "cpu_seconds": 0.0, "peak_rss_mib": 0.0})
        stage["seconds"] = round(stage["seconds"] + max(stamps) - min(stamps), 2)
        cpu = sampler.cpu_seconds(min(stamps), max(stamps))
        stage["cpu_seconds"] = None if cpu is None or stage["cpu_seconds"] is None else round(stage["cpu_seconds"] + cpu, 2)
        stage["peak_rss_mib"] = max(stage["peak_rss_mib"], sampler.peak_mib(min(stamps), max(stamps)))
    return result, stages, wall


def _counts(root: Path) -> dict:
    from .warehouse.schema import connect
    with connect(DataPaths(root).build_db, read_only=True) as con:
        one = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
        return {"tasks": one("select count(*) from raw.tasks"),
                "progress_rows": one("select count(*) from raw.progress_reports"),
                "snapshot_mib": round(sum(f.stat().st_size for f in DataPaths(root).serving.glob("*.duckdb"))
                                      / 2**20, 1)}


def _cell(stage: dict | None) -> str:
    if not stage:
        return "—"
    cpu = f" ({stage['cpu_seconds'] if stage['cpu_seconds'] is not None else '—'})" if "cpu_seconds" in stage else ""
    return f"{stage['seconds']}{cpu} / {stage['peak_rss_mib']}"


def markdown(results: list[dict]) -> str:
    stages = list(dict.fromkeys(s for r in results for s in r["stages"]))
    head = "| stage | " + " | ".join(f"{r['size']} docs: s (CPU s) / MiB" for r in results) + " |"
    lines = [head, "|---|" + "---|" * len(results)]
    for stage in stages:
        lines.append(f"| {stage} | " + " | ".join(_cell(r["stages"].get(stage)) for r in results) + " |")
    lines.append("| **to publish, from an empty warehouse** | "
                 + " | ".join(f"**{r['run_seconds']} ({r.get('run_cpu_seconds') or '—'}) / {r['peak_rss_mib']}**"
                              for r in results) + " |")
    lines.append("| 通报 of the province, .docx + .pdf (one bulletin) | "
                 + " | ".join(_cell(r.get("bulletin_province")) for r in results) + " |")
    lines.append("| one new file → published (submissions_job) | "
                 + " | ".join(f"{r['incremental']['seconds']}" if "incremental" in r else "—" for r in results) + " |")
    lines.append("| templates of one period (templates_job) | "
                 + " | ".join(f"{r['templates']['seconds']} ({r['templates']['files']} files)"
                              if "templates" in r else "not run" for r in results) + " |")
    lines.append("| 通报 of the province and every city (bulletin_job) | "
                 + " | ".join(f"{r['bulletin']['seconds']} ({r['bulletin']['files']} bulletins)"
                              if "bulletin" in r else "not run" for r in results) + " |")
    lines.append("")
    for r in results:
        lines.append(f"- {r['size']}: {r['inputs']['plan_files']} plan files, {r['tasks']} tasks, "
                     f"{r['inputs']['submission_files']} submission files, {r['progress_rows']} progress rows, "
                     f"snapshot {r['snapshot_mib']} MiB, inputs prepared in {r['prepare_seconds']} s, "
                     f"run {'succeeded' if r['success'] else 'FAILED'}"
                     + (f"; 通报 of {r['bulletin_province']['scope']} ({r['bulletin_province'].get('tasks', '?')} tasks)"
                        if "bulletin_province" in r else "")
                     + (f"; load average {r['load_before']} before, {r['load_after']} after"
                        if "load_before" in r else ""))
    for r in results:
        if "dashboard" in r:
            from dashboards.bench import markdown as dashboard_table
            lines += ["", f"Dashboard callbacks at {r['size']} docs (signed-in auditor, Flask test client, "
                          f"cold and warm, {next(iter(r['dashboard'].values()))['runs']} runs each):", "",
                      dashboard_table(r["dashboard"])]
    return "\n".join(lines) + "\n"


STAGE_LIMIT = 1.5  # issue 23: every stage within 1.5x of the earlier figures
PAGE_RATIO_LIMIT, PAGE_P95_LIMIT_MS = 2.0, 150.0  # issue 24: cold p95 <= 2x its bare queries, < 150 ms
BULLETIN_LIMIT_S = {"seeds": 10.0, "2000": 60.0}  # issue 27: one bulletin


def comparison(results: list[dict], previous: dict) -> str:
    """Stage by stage and page by page against an earlier results file, with each issue's limit."""
    before = {r["size"]: r for r in previous["results"]}
    lines = []
    for r in results:
        old = before.get(r["size"])
        lines += ["", f"Against {previous['date']} at {r['size']} docs (wall s; CPU s where measured; "
                      f"stage limit {STAGE_LIMIT}× the earlier wall time):", "",
                  "| stage | before s | now s (CPU s) | now ÷ before | verdict |", "|---|---|---|---|---|"]
        rows = [(k, (old or {}).get("stages", {}).get(k, {}).get("seconds"), v["seconds"], v.get("cpu_seconds"))
                for k, v in r["stages"].items()]
        rows.append(("to publish", (old or {}).get("run_seconds"), r["run_seconds"], r.get("run_cpu_seconds")))
        rows.append(("one new file → published", (old or {}).get("incremental", {}).get("seconds"),
                     r.get("incremental", {}).get("seconds"), None))
        for name, was, now, cpu in rows:
            if now is None:
                continue
            ratio = round(now / was, 2) if was else None
            verdict = "—" if ratio is None else ("ok" if ratio <= STAGE_LIMIT else "OVER")
            lines.append(f"| {name} | {was if was is not None else '—'} | {now}"
                         f"{f' ({cpu})' if cpu is not None else ''} | {ratio if ratio else '—'} | {verdict} |")
        if "bulletin_province" in r and r["size"] in BULLETIN_LIMIT_S:
            b, limit = r["bulletin_province"], BULLETIN_LIMIT_S[r["size"]]
            lines.append(f"| 通报 of the province (one bulletin) | — | {b['seconds']} ({b['cpu_seconds'] if b['cpu_seconds'] is not None else '—'}) | "
                         f"limit {limit:g} s | {'ok' if b['seconds'] < limit else 'OVER'} |")
        if "dashboard" in r:
            lines += ["", f"Pages at {r['size']} docs (limit: cold p95 ≤ {PAGE_RATIO_LIMIT:g}× bare and "
                          f"< {PAGE_P95_LIMIT_MS:g} ms):", "",
                      "| callback | cold p95 before ms | cold p95 now ms | bare p95 now ms | ÷ bare | verdict |",
                      "|---|---|---|---|---|---|"]
            old_pages = (old or {}).get("dashboard", {})
            for name, page in r["dashboard"].items():
                ok = page["ratio_p95"] <= PAGE_RATIO_LIMIT and page["p95_ms"] < PAGE_P95_LIMIT_MS
                lines.append(f"| {name} | {old_pages.get(name, {}).get('p95_ms', '—')} | {page['p95_ms']} | "
                             f"{page['bare_p95_ms']} | {page['ratio_p95']} | {'ok' if ok else 'OVER'} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.bench")
    parser.add_argument("--sizes", default="seeds,50", help="comma-separated: seeds and/or document counts")
    parser.add_argument("--out", default=str(RESULTS))
    parser.add_argument("--no-templates", dest="templates", action="store_false",
                        help="skip the monthly jobs: templates (≈ 25 ms per unit: minutes at province scale) and bulletins")
    parser.add_argument("--no-dashboard", dest="dashboard", action="store_false")
    parser.add_argument("--compare", help="an earlier results .json to compare with, stage by stage and page by page")
    args = parser.parse_args(argv)
    os.environ.setdefault("DO_NOT_TRACK", "1")
    results, load_before = [], _load()
    with tempfile.TemporaryDirectory(prefix="plankpi-bench-") as tmp:
        for size in args.sizes.split(","):
            print(f"bench: {size} …", flush=True)
            results.append(run_size(size.strip(), Path(tmp), args.templates, args.dashboard))
            print(json.dumps(results[-1], ensure_ascii=False), flush=True)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    stem = out / f"{date.today().isoformat()}-{'-'.join(r['size'] for r in results)}"
    meta = {"date": date.today().isoformat(), "machine": f"{platform.machine()} {os.cpu_count()} cores",
            "python": platform.python_version(), "as_of": AS_OF, "load_before": load_before, "load_after": _load()}
    stem.with_suffix(".json").write_text(json.dumps({**meta, "results": results}, ensure_ascii=False, indent=2),
                                         encoding="utf-8")
    table = markdown(results)
    if args.compare:
        table += comparison(results, json.loads(Path(args.compare).read_text(encoding="utf-8")))
    stem.with_suffix(".md").write_text(f"# Pipeline benchmark {meta['date']} ({meta['machine']}; load average "
                                       f"{meta['load_before']} before, {meta['load_after']} after)\n\n{table}",
                                       encoding="utf-8")
    print(table)
    ok = all(r["success"] and r.get("incremental", {}).get("success", True)
             and r.get("bulletin_province", {}).get("pdf", True)
             and r.get("templates", {}).get("success", True) for r in results)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
