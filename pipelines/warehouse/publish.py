"""Write-audit-publish: copy the audited build database to a new read-only serving snapshot.

The pointer file ``serving/CURRENT`` names the snapshot the dashboard reads; it is replaced
atomically (os.replace), so a failed or killed run leaves the last good snapshot in place.
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


class PublicationBlocked(Exception):
    """A blocking check failed: nothing is published."""


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
    name = f"snapshot-{run_id}.duckdb"
    tmp = serving / f".{name}.tmp"
    shutil.copyfile(build_db, tmp)
    os.replace(tmp, serving / name)
    manifest = _manifest(build_db, run_id, name)
    (serving / f"snapshot-{run_id}.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2),
                                                     encoding="utf-8")
    pointer_tmp = serving / f".{POINTER}.tmp"
    pointer_tmp.write_text(name, encoding="utf-8")
    os.replace(pointer_tmp, serving / POINTER)
    prune(serving)
    return Snapshot(serving / name, manifest)


def current_snapshot_path(serving: Path) -> Path | None:
    """The published snapshot's file, from the pointer alone (readers ask on every request; a province's
    manifest is megabytes of JSON, read only by those who need it)."""
    pointer = serving / POINTER
    if not pointer.exists():
        return None
    path = serving / pointer.read_text(encoding="utf-8").strip()
    return path if path.exists() else None


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
    current = (serving / POINTER).read_text(encoding="utf-8").strip()
    snaps = sorted(serving.glob(SNAPSHOT_FILES), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in snaps[keep:]:
        if old.name != current:
            old.unlink(missing_ok=True)
            old.with_suffix(".json").unlink(missing_ok=True)
