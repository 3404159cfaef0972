"""The terminal is a UI too: `plankpi run` prints one line per step — what it did, its counts, its time —
and a summary, while Dagster's full log (DEBUG, every event) goes to a file under $DAGSTER_HOME/logs/.
The run itself is the same Dagster run as before (recorded in DAGSTER_HOME unless --ephemeral)."""
from __future__ import annotations

import os
import sys
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

QUIET_CONSOLE = {"loggers": {"console": {"config": {"log_level": "ERROR"}}}}
_POLL_SECONDS = 0.5


def log_folder() -> Path:
    folder = Path(os.environ.get("DAGSTER_HOME") or ".dagster_home") / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _counts(entries) -> dict[str, float]:
    """The numbers a step's materialisations reported (rows, tasks, files …), by label: summed over the
    assets the step materialised, except a number every one of them repeats — a multi-asset step such as
    ``submissions`` puts its one summary (files, rows landed) on each of its tables, and that is the step's
    figure, not one per table (summed, 26,000 report files showed as 104,000)."""
    by_label: dict[str, list[float]] = {}
    assets = 0
    for entry in entries:
        event = entry.dagster_event
        if event is None or event.event_type_value != "ASSET_MATERIALIZATION":
            continue
        assets += 1
        for label, value in (event.event_specific_data.materialization.metadata or {}).items():
            raw = getattr(value, "value", value)
            if isinstance(raw, (int, float)) and not isinstance(raw, bool):
                by_label.setdefault(label, []).append(raw)
    return {label: values[0] if assets > 1 and len(values) == assets and len(set(values)) == 1 else sum(values)
            for label, values in by_label.items()}


def step_line(step: str, ok: bool, seconds: float, counts: dict[str, float]) -> str:
    shown = "，".join(f"{k} {int(v):,}" if float(v).is_integer() else f"{k} {v:,.2f}" for k, v in list(counts.items())[:4])
    mark = "✓" if ok else "✗ 失败 / failed"
    return f"  {mark} {step:<48} {seconds:7.1f} s" + (f"   {shown}" if shown else "")


def failure_reason(event) -> str | None:
    """The first line of the error that failed a step — the user's own exception under Dagster's wrapper —
    so the terminal says why without opening the log."""
    data = getattr(event, "step_failure_data", None)
    error = data.error if data else None
    while error is not None and error.cause is not None:
        error = error.cause
    lines = error.message.strip().splitlines() if error and error.message else []
    if not lines:
        return None
    first = lines[0]
    if error.cls_name and first.split(": ", 1)[0].endswith(error.cls_name):  # "pkg.mod.SomeError: text"
        first = first.split(": ", 1)[1]
    return first[:400]


class _Progress(threading.Thread):
    """Reads the run's events from the instance while it runs and prints a line per finished step."""

    def __init__(self, instance, run_id: str, out: TextIO):
        super().__init__(daemon=True)
        self.instance, self.run_id, self.out = instance, run_id, out
        self.stop = threading.Event()
        self.seen = 0
        self.started: dict[str, float] = {}
        self.by_step: dict[str, list] = {}
        self.steps_done = 0
        self.failed = 0

    def drain(self) -> None:
        try:
            entries = self.instance.all_logs(self.run_id)
        except Exception:  # the run's storage is not there yet
            return
        for entry in entries[self.seen:]:
            event = entry.dagster_event
            if event is None or not entry.step_key:
                continue
            self.by_step.setdefault(entry.step_key, []).append(entry)
            kind = event.event_type_value
            if kind == "STEP_START":
                self.started[entry.step_key] = entry.timestamp
            elif kind in ("STEP_SUCCESS", "STEP_FAILURE"):
                seconds = entry.timestamp - self.started.get(entry.step_key, entry.timestamp)
                ok = kind == "STEP_SUCCESS"
                self.steps_done += 1
                self.failed += not ok
                print(step_line(entry.step_key, ok, seconds, _counts(self.by_step[entry.step_key])),
                      file=self.out, flush=True)
                reason = None if ok else failure_reason(event)
                if reason:
                    print(f"      原因 / reason: {reason}", file=self.out, flush=True)
        self.seen = len(entries)

    def run(self) -> None:
        while not self.stop.wait(_POLL_SECONDS):
            self.drain()


def write_log(instance, run_id: str, path: Path) -> None:
    """Every event of the run, DEBUG included, one line each."""
    with path.open("w", encoding="utf-8") as fh:
        for entry in instance.all_logs(run_id):
            event = entry.dagster_event
            kind = event.event_type_value if event else ""
            stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(entry.timestamp))
            fh.write(f"{stamp} UTC {entry.level if isinstance(entry.level, str) else entry.level:<5} "
                     f"{entry.step_key or '-'} {kind} {entry.user_message}\n")


@contextmanager
def _terminal_to(path: Path):
    """Everything written to the process's stdout and stderr — dbt's own lines included, which dagster-dbt
    streams straight to the terminal — goes to ``path``; yields a stream on the real terminal."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved_out, saved_err = os.dup(1), os.dup(2)
    python_out, python_err = sys.stdout, sys.stderr
    with path.open("ab") as sink, path.open("a", encoding="utf-8", buffering=1) as text:
        os.dup2(sink.fileno(), 1)  # below Python: what subprocesses and C code write
        os.dup2(sink.fileno(), 2)
        sys.stdout = sys.stderr = text  # Python's own prints
        terminal = os.fdopen(os.dup(saved_out), "w", encoding="utf-8", buffering=1)
        try:
            yield terminal
        finally:
            sys.stdout, sys.stderr = python_out, python_err
            os.dup2(saved_out, 1)
            os.dup2(saved_err, 2)
            os.close(saved_out)
            os.close(saved_err)
            terminal.close()


def run_with_progress(job, instance, out: TextIO, tags: dict | None = None):
    """Execute ``job`` on ``instance`` with one line per step on ``out``; returns the result and the log's
    path."""
    run_id = str(uuid.uuid4())
    path = log_folder() / f"run-{time.strftime('%Y%m%d-%H%M%S')}-{run_id[:8]}.log"
    print(f"PlanKPI 运行 / run {run_id[:8]}：每步一行；完整日志 / full log → {path}（步骤输出 / step output: .out）",
          file=out, flush=True)
    began = time.time()
    output = path.with_suffix(".out")  # what the steps printed themselves (dbt's lines)
    with _terminal_to(output) as terminal:
        progress = _Progress(instance, run_id, terminal)
        progress.start()
        try:
            result = job.execute_in_process(run_config=QUIET_CONSOLE, instance=instance, raise_on_error=False,
                                            run_id=run_id, tags=tags)
        finally:
            progress.stop.set()
            progress.join()
            progress.drain()
    write_log(instance, run_id, path)
    verdict = "成功 / success" if result.success else "失败 / failed"
    print(f"共 {progress.steps_done} 步，失败 {progress.failed} 步，用时 {time.time() - began:.1f} s — {verdict}"
          f" / {progress.steps_done} steps, {progress.failed} failed", file=out, flush=True)
    return result, path
