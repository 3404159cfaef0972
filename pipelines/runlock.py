"""One run at a time for `plankpi run` (issue 25). Two runs started a second apart used to race: the
second failed on DuckDB's lock, but only after its first steps had rewritten the build database under
the first. Runs launched by Dagster (the UI, the inbox sensor) queue in Dagster's own run queue
(QueuedRunCoordinator, one run at a time: the project's dagster.yaml); `plankpi run` executes in its own
process, outside that queue, so it takes this guard before anything is written:

- an exclusive flock on ``warehouse/.run.lock`` — held by the process, released by the kernel when it
  ends, even by kill -9, so a crash never leaves a stale lock; the file names the holder (pid, start);
- and, with a persistent Dagster instance, no run of the instance in progress (cli.py asks Dagster).

A second run says why and stops, or with --wait waits for the first. Pure: no Dagster import here.
"""
from __future__ import annotations

import fcntl
import json
import os
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

LOCK_FILE = ".run.lock"


class RunInProgress(RuntimeError):
    """Another run holds the data folder; the message says which (Chinese / English)."""


def _holder(fd: int) -> str:
    try:
        info = json.loads(os.pread(fd, 4096, 0).decode() or "{}")
    except (OSError, ValueError):
        info = {}
    return f"pid {info.get('pid', '?')}, {info.get('started_at', '?')}"


@contextmanager
def run_lock(warehouse: Path, wait: bool = False, poll_seconds: float = 1.0):
    """Holds the data folder's run lock for the block; RunInProgress when another run holds it (or, with
    ``wait``, blocks until it ends)."""
    warehouse.mkdir(parents=True, exist_ok=True)
    fd = os.open(warehouse / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                holder = _holder(fd)
                if not wait:
                    raise RunInProgress(
                        f"另一次运行正在进行（{holder}），本次未开始；可稍后再试或加 --wait 排队 / another run is in "
                        f"progress ({holder}): this one did not start; try later or pass --wait") from None
                if not told:
                    print(f"等待另一次运行结束（{holder}）/ waiting for the run in progress ({holder})", flush=True)
                    told = True
                time.sleep(poll_seconds)
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps({"pid": os.getpid(), "started_at": datetime.now(timezone.utc)
                                  .isoformat(timespec="seconds")}).encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock
