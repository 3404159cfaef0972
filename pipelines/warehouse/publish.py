"""Write-audit-publish: copy the audited build database to a new read-only serving snapshot.

The pointer file ``serving/CURRENT`` names the snapshot the dashboard reads; it is replaced
atomically (os.replace), so a failed or killed run leaves the last good snapshot in place. Every file is
written aside first (``.<name>.tmp``); a publish removes what a killed or failed one left behind, checks
the free space before it copies, and readers fall back to the newest complete kept snapshot (its manifest
beside it: the manifest is put in place after the database) when CURRENT is broken.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from ..config import REPO_ROOT
from .schema import connect

KEEP_SNAPSHOTS = 5
POINTER = "CURRENT"
SNAPSHOT_FILES = "snapshot-*.duckdb"
TEMP_FILES = (".*.tmp", ".*.tmp.wal")  # what a publish writes aside before putting it in place (and DuckDB's log of it)
# room left beyond the new snapshot: the manifest, DuckDB's own files, the rest of the system
FREE_MARGIN_BYTES = int(os.environ.get("PLANKPI_FREE_MARGIN_MB", "64")) * 1024 * 1024


class PublicationBlocked(Exception):
    """A blocking check failed: nothing is published."""


class NotEnoughSpace(PublicationBlocked):
    """The serving folder has too little free space for the new snapshot: nothing is published."""


def free_bytes(folder: Path) -> int:
    """Free space of the file system holding ``folder`` (tests make this see too little: a full disk)."""
    return shutil.disk_usage(folder).free


def clean_temp(serving: Path) -> list[str]:
    """Removes the files a killed or failed publish left aside (one run at a time: see pipelines.runlock);
    returns their names."""
    removed = []
    for leftover in [p for pattern in TEMP_FILES for p in serving.glob(pattern)]:
        leftover.unlink(missing_ok=True)
        removed.append(leftover.name)
    return removed


# The tables the dashboard reads one task at a time (a task's detail page: dashboards.data.task and its
# supervision section, the scope check of a task link) and the column it reads them by. In the snapshot
# each gets an index, so a task's rows are a point lookup, not a scan of a province's 141,600 tasks (600,000
# printed lines): the detail page's lookups took 35 ms of DuckDB time at 2,000
# documents, 10 ms with these. Only in the snapshot, which is never written after publication: the build
# database is rewritten by every incremental run, and its writers gain nothing from them. Not the 3 million
# report rows of mart_task_provenance: its index took 1.1 of the 2.3 CPU s the indexes add to every publish
# (idle, 2,000 documents) and spared the detail page 1.5 ms.
LOOKUP_INDEXES = (
    ("marts", "mart_task_status", "task_id"),
    ("marts", "mart_task_lines", "task_id"),
    ("marts", "mart_task_units", "task_id"),
    ("marts", "mart_task_deadlines", "task_id"),
    ("marts", "mart_task_annex", "task_id"),
    ("marts", "mart_escalation_history", "task_id"),
)


def index_lookups(snapshot: Path) -> list[str]:
    """Indexes the snapshot file ``snapshot`` (still aside, not yet read by anyone) for the dashboard's
    lookups by key (LOOKUP_INDEXES); returns the indexes made. A table the database does not hold (a
    warehouse built before it existed) is left as it is: its pages read nothing from it either."""
    made = []
    with connect(snapshot) as con:
        held = {(s, t) for s, t in con.execute("select schema_name, table_name from duckdb_tables()").fetchall()}
        for schema, table, column in LOOKUP_INDEXES:
            if (schema, table) in held:
                name = f"ix_{table}_{column}"
                con.execute(f'create index "{name}" on "{schema}"."{table}" ("{column}")')
                made.append(name)
        con.execute("checkpoint")  # into the file itself: no log beside it when it is put in place
    return made


def _check_space(build_db: Path, serving: Path) -> None:
    need = build_db.stat().st_size + FREE_MARGIN_BYTES
    free = free_bytes(serving)
    if free < need:
        mb = lambda n: f"{n / 1024 / 1024:,.0f} MB"  # noqa: E731
        raise NotEnoughSpace(
            f"磁盘空间不足，未发布新快照：{serving} 可用 {mb(free)}，需要 {mb(need)}（快照 {mb(build_db.stat().st_size)} "
            f"加余量 {mb(FREE_MARGIN_BYTES)}）；当前快照继续提供服务 / not enough free space, nothing published: "
            f"{mb(free)} free in {serving}, {mb(need)} needed (the snapshot plus a margin); the current snapshot "
            f"keeps serving")


@dataclass
class Snapshot:
    path: Path
    manifest: dict


def code_version() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO_ROOT, capture_output=True,
                              text=True, check=True, timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def blocking_failures(build_db: Path, run_id: str) -> list[tuple]:
    with connect(build_db, read_only=True) as con:
        return con.execute("""
            select suite, expectation, column_name, observed_value from raw.validation_results
            where run_id = ? and not success and severity = 'critical'""", [run_id]).fetchall()


def _manifest(build_db: Path, run_id: str, snapshot_name: str) -> dict:
    with connect(build_db, read_only=True) as con:
        tables = con.execute("""select table_schema || '.' || table_name from information_schema.tables
                                where table_schema in ('raw', 'staging', 'intermediate', 'marts')
                                order by 1""").fetchall()
        counts = {t: con.execute(f"select count(*) from {t}").fetchone()[0] for (t,) in tables}
        # every plan file read, the refused ones too: the lineage says what was offered, not only what loaded
        plans = con.execute("select source, checksum, format, status from raw.plan_files order by source").fetchall()
        files = con.execute("""select file_name, file_checksum, status, rows_landed, rows_rejected
                               from raw.ingested_files order by ingested_at, file_name""").fetchall()
        checks = con.execute("""select suite, expectation, column_name, severity, success
                                from raw.validation_results where run_id = ? order by suite""", [run_id]).fetchall()
    return {
        "snapshot": snapshot_name,
        "run_id": run_id,
        "published_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "code_version": code_version(),
        "inputs": {
            "plans": [{"file": f, "sha256": c, "format": k, "status": s} for f, c, k, s in plans],
            "submissions": [{"file": f, "sha256": c, "status": s, "rows_landed": a, "rows_rejected": r}
                            for f, c, s, a, r in files],
        },
        "row_counts": counts,
        "checks": {
            "passed": sum(1 for *_, ok in checks if ok),
            "failed": sum(1 for *_, ok in checks if not ok),
            "failed_expectations": [
                {"suite": s, "expectation": e, "column": c, "severity": sev}
                for s, e, c, sev, ok in checks if not ok],
        },
    }


def publish(build_db: Path, serving: Path, run_id: str) -> Snapshot:
    failures = blocking_failures(build_db, run_id)
    if failures:
        raise PublicationBlocked(
            f"阻断性检查未通过，未发布新快照 / blocking checks failed, nothing published: {failures[:5]}")
    serving.mkdir(parents=True, exist_ok=True)
    clean_temp(serving)
    _check_space(build_db, serving)
    name = f"snapshot-{run_id}.duckdb"
    try:
        manifest = _manifest(build_db, run_id, name)
        tmp, manifest_tmp = serving / f".{name}.tmp", serving / f".snapshot-{run_id}.json.tmp"
        shutil.copyfile(build_db, tmp)
        index_lookups(tmp)
        manifest_tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        os.replace(tmp, serving / name)
        os.replace(manifest_tmp, serving / f"snapshot-{run_id}.json")  # now complete: a fall-back candidate
        pointer_tmp = serving / f".{POINTER}.tmp"
        pointer_tmp.write_text(name, encoding="utf-8")
        os.replace(pointer_tmp, serving / POINTER)
    except BaseException:
        clean_temp(serving)  # a full disk or an error half-way: nothing left aside, CURRENT untouched
        raise
    prune(serving)
    return Snapshot(serving / name, manifest)


def serving_snapshot(serving: Path) -> tuple[Path | None, str | None]:
    """The snapshot readers open — the one CURRENT names — and None; or, when CURRENT is missing, empty,
    unreadable or names no kept snapshot, the newest complete kept one (its manifest beside it) and why.
    From the pointer alone when it is sound (readers ask on every request; a province's manifest is
    megabytes of JSON, read only by those who need it)."""
    pointer = serving / POINTER
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        name = None
    except (OSError, UnicodeDecodeError):
        name = ""
    path = kept_snapshot_path(serving, name) if name else None
    if path is not None:
        return path, None
    complete = [p for p in serving.glob(SNAPSHOT_FILES) if p.with_suffix(".json").exists()]
    if not complete:
        return None, None
    newest = max(complete, key=lambda p: (p.stat().st_mtime, p.name))
    if name is None:
        why = "指针文件 CURRENT 不存在 / the pointer file CURRENT is missing"
    elif not name:
        why = "指针文件 CURRENT 为空或无法读取 / the pointer file CURRENT is empty or unreadable"
    else:
        why = (f"指针文件 CURRENT 指向的快照不存在（{name[:80]!r}）/ the pointer file CURRENT names no kept "
               f"snapshot ({name[:80]!r})")
    return newest, (f"{why}；现显示最近一份完整快照 {newest.name} / showing the newest complete kept snapshot, "
                    f"{newest.name}")


def current_snapshot_path(serving: Path) -> Path | None:
    """The file of the snapshot readers open (see serving_snapshot)."""
    return serving_snapshot(serving)[0]


def kept_snapshot_path(serving: Path, name: str) -> Path | None:
    """The file of the kept snapshot called ``name`` (a file name, as readers were told it), or None:
    pruned since, or not a snapshot's name at all (only the name is used, never a path)."""
    path = serving / Path(name).name
    return path if path.match(SNAPSHOT_FILES) and path.exists() else None


def current_snapshot(serving: Path) -> Snapshot | None:
    path = current_snapshot_path(serving)
    if path is None:
        return None
    manifest_path = path.with_suffix(".json")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else {}
    return Snapshot(path, manifest)


def prune(serving: Path, keep: int = KEEP_SNAPSHOTS) -> None:
    current = (serving / POINTER).read_text(encoding="utf-8").strip()  # just written by publish
    snaps = sorted(serving.glob(SNAPSHOT_FILES), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in snaps[keep:]:
        if old.name != current:
            old.unlink(missing_ok=True)
            old.with_suffix(".json").unlink(missing_ok=True)
