"""Issue 25: runs that collide, a full disk, what a killed publish leaves behind.

A small tmpfs is not available in CI: the full disk is simulated by making the serving folder's free-space
check (publish.free_bytes) see too little, and a disk filling up half-way by a copy that writes part of
the file and then fails with ENOSPC, as the kernel's write would."""
from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys

import pytest

from pipelines.runlock import run_lock
from pipelines.warehouse import publish as pub
from tests.conftest import world_after_a_good_run

pytestmark = pytest.mark.pipeline


@pytest.fixture
def published(world, tmp_path):
    paths, current = world_after_a_good_run(world, tmp_path / "data")
    return paths, current


def _files(serving):
    return sorted(p.name for p in serving.iterdir())


def test_a_full_disk_refuses_the_publish_with_a_clear_reason_and_leaves_nothing(published, monkeypatch):
    """Was: on a 50 MB tmpfs the publish failed half-way, left .snapshot-*.tmp, and the next run failed again."""
    paths, current = published
    before = _files(paths.serving)
    monkeypatch.setattr(pub, "free_bytes", lambda folder: 10 * 1024 * 1024)  # the disk as the check sees it
    with pytest.raises(pub.NotEnoughSpace, match="磁盘空间不足.*not enough free space"):
        pub.publish(paths.build_db, paths.serving, "full-disk")
    assert _files(paths.serving) == before and (paths.serving / "CURRENT").read_text() == current


def test_a_disk_that_fills_during_the_copy_leaves_no_temp_file(published, monkeypatch):
    paths, current = published
    before = _files(paths.serving)

    def copy_until_full(src, dst):
        with open(src, "rb") as a, open(dst, "wb") as b:
            b.write(a.read(1024 * 1024))
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(dst))
    monkeypatch.setattr(shutil, "copyfile", copy_until_full)
    with pytest.raises(OSError, match="No space"):
        pub.publish(paths.build_db, paths.serving, "filled-up")
    assert _files(paths.serving) == before and (paths.serving / "CURRENT").read_text() == current
    monkeypatch.undo()
    snap = pub.publish(paths.build_db, paths.serving, "after-the-disk-was-freed")  # the next run publishes
    assert (paths.serving / "CURRENT").read_text() == snap.path.name


def test_what_a_killed_publish_left_is_removed_at_the_next_start(published):
    paths, _ = published
    leftovers = [paths.serving / ".snapshot-killed.duckdb.tmp", paths.serving / ".snapshot-killed.json.tmp",
                 paths.serving / ".CURRENT.tmp"]
    for f in leftovers:
        f.write_bytes(b"\0" * 4096)
    snap = pub.publish(paths.build_db, paths.serving, "next")
    assert not [p for p in paths.serving.iterdir() if p.name.endswith(".tmp")]
    assert snap.path.exists() and snap.path.with_suffix(".json").exists()


def test_a_second_plankpi_run_says_why_and_touches_nothing(published, tmp_path):
    """Was: two `plankpi run` 1 s apart: the second failed on DuckDB's lock, but only after its first steps
    had rewritten the build database under the first."""
    paths, _ = published
    build_before = paths.build_db.stat().st_mtime_ns
    env = {**os.environ, "PLANKPI_DATA": str(paths.root), "DAGSTER_HOME": str(tmp_path / "dagster_home")}
    (tmp_path / "dagster_home").mkdir()
    with run_lock(paths.warehouse):  # the first run, in progress
        second = subprocess.run([sys.executable, "-m", "pipelines.cli", "run", "--ephemeral"], env=env,
                                capture_output=True, text=True, timeout=300)
    assert second.returncode == 75, second.stderr[-2000:]
    assert "另一次运行正在进行" in second.stderr and f"pid {os.getpid()}" in second.stderr
    assert paths.build_db.stat().st_mtime_ns == build_before


def test_the_lock_goes_with_its_process_even_on_kill_9(tmp_path):
    warehouse = tmp_path / "warehouse"
    holder = subprocess.Popen([sys.executable, "-c", f"""
import time
from pathlib import Path
from pipelines.runlock import run_lock
with run_lock(Path({str(warehouse)!r})):
    print("held", flush=True)
    time.sleep(120)
"""], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        from pipelines.runlock import RunInProgress
        with pytest.raises(RunInProgress, match=f"pid {holder.pid}"):
            with run_lock(warehouse):
                pass
    finally:
        holder.kill()  # SIGKILL
        holder.wait()
    with run_lock(warehouse):  # no stale lock
        pass


def test_dagster_runs_queue_one_at_a_time(tmp_path):
    """The project's dagster.yaml: Dagster's QueuedRunCoordinator, one run in progress at a time."""
    import dagster as dg
    from pipelines.config import REPO_ROOT
    shutil.copy(REPO_ROOT / "dagster.yaml", tmp_path / "dagster.yaml")
    instance = dg.DagsterInstance.from_config(str(tmp_path))
    coordinator = instance.run_coordinator
    assert type(coordinator).__name__ == "QueuedRunCoordinator"
    assert coordinator.get_run_queue_config().max_concurrent_runs == 1
