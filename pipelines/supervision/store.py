"""The supervising office's own store (issue 26): evidence files, review decisions and 督办 events.

One SQLite file, ``<data_root>/supervision/supervision.sqlite``, that the dashboard writes and no pipeline
run writes: the pipeline reads it as a source at the start of every run (raw.evidence,
raw.review_events, raw.escalation_events), as it reads the inbox, so the dashboard never writes the build
database. Every table is append-only (update and delete triggers abort): a decision is an event, a later
event supersedes an earlier one in the warehouse, nothing is rewritten. ``seq`` is one sequence over the
three tables (the order of events; ``max_seq`` is the pipeline sensor's cursor).

Evidence bytes live beside it at ``<data_root>/evidence/<sha256[:2]>/<sha256>``, written once: the same
bytes uploaded twice are one file, attached by as many rows as there are tasks they prove.
Every call is also written to the accounts audit log.
"""
from __future__ import annotations

import hashlib
import os
import sqlite3
import tempfile
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from .evidence import check_evidence

DECISIONS = ("approve", "return")
ESCALATION_ACTIONS = ("issue", "close")
TABLES = ("evidence", "review_events", "escalation_events")

_SCHEMA = """
create table if not exists evidence (
    seq integer primary key, sha256 text not null, filename text not null, media_type text not null,
    size_bytes integer not null, task_id text not null, period text, unit text, region text,
    uploader text not null, uploaded_at text not null);
create index if not exists evidence_task on evidence (task_id);
create index if not exists evidence_sha on evidence (sha256);
create table if not exists review_events (
    seq integer primary key, at text not null, actor text not null, task_id text not null, unit text,
    period text, report_key text not null, decision text not null check (decision in ('approve', 'return')),
    reason text);
create table if not exists escalation_events (
    seq integer primary key, at text not null, actor text not null, task_id text not null,
    action text not null check (action in ('issue', 'close')), note text);
"""
_TRIGGERS = "".join(
    f"create trigger if not exists {t}_no_{op} before {op} on {t} "
    f"begin select raise(abort, '{t} is append-only'); end;\n"
    for t in TABLES for op in ("update", "delete"))


@dataclass(frozen=True)
class EvidenceRecord:
    seq: int
    sha256: str
    filename: str
    media_type: str
    size_bytes: int
    task_id: str
    period: str | None
    unit: str | None
    region: str | None
    uploader: str
    uploaded_at: str


_EVIDENCE_COLUMNS = ", ".join(EvidenceRecord.__dataclass_fields__)


def now() -> datetime:
    """The time a record is made at when none is given (the clock of every record; a test world dated in the
    past replaces it, as decisions made after a build's as-of date are not read)."""
    return datetime.now(timezone.utc)


def _utc(at: datetime | None) -> str:
    """A UTC ISO time; ``at`` (tests, back-filled records) must be timezone-aware."""
    at = at or now()
    if at.tzinfo is None:
        raise ValueError("时间须带时区 / the time must be timezone-aware")
    return at.astimezone(timezone.utc).isoformat(timespec="seconds")


def _stored_filename(filename: str) -> str:
    """The name as the clerk gave it, without a path and control characters (it is shown, never opened)."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in unicodedata.normalize("NFC", name) if unicodedata.category(ch) != "Cc")
    return name.strip()[:200] or "evidence"


class SupervisionStore:
    def __init__(self, data_root: Path):
        self.data_root = Path(data_root)
        self.path = self.data_root / "supervision" / "supervision.sqlite"
        self.evidence_root = self.data_root / "evidence"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as con:
            con.execute("pragma journal_mode=wal")  # dashboard workers read while one writes
            con.executescript(_SCHEMA + _TRIGGERS)

    @contextmanager
    def _connect(self):
        con = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        try:
            yield con
        finally:
            con.close()

    def _append(self, table: str, row: dict) -> int:
        """Insert one row with the next number of the shared sequence (one writer at a time)."""
        with self._connect() as con:
            con.execute("begin immediate")
            try:
                seq = self._max_seq(con) + 1
                cols = ["seq", *row]
                con.execute(f"insert into {table} ({', '.join(cols)}) values ({', '.join('?' * len(cols))})",
                            [seq, *row.values()])
                con.execute("commit")
            except BaseException:
                con.execute("rollback")
                raise
        return seq

    @staticmethod
    def _max_seq(con: sqlite3.Connection) -> int:
        return con.execute("select max(m) from ("
                           + " union all ".join(f"select coalesce(max(seq), 0) as m from {t}" for t in TABLES)
                           + ")").fetchone()[0]

    def _audit(self, actor: str, action: str, target: str, detail: str, checksum: str | None = None) -> None:
        from pipelines.accounts import store_for as accounts_for
        accounts_for(self.data_root).audit(actor, action, target, detail, checksum)

    # --- evidence ------------------------------------------------------------------------------
    def evidence_path(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError(f"不是 SHA-256 校验值 / not a SHA-256 checksum: {sha256[:80]!r}")
        return self.evidence_root / sha256[:2] / sha256

    def add_evidence(self, data: bytes, filename: str, *, task_id: str, period: str | None, unit: str | None,
                     region: str | None, uploader: str, at: datetime | None = None) -> EvidenceRecord:
        """Check the file by content (EvidenceRefused otherwise), store its bytes once by SHA-256 and attach
        it to the task. The same bytes attached again to the same task, period and unit return the first
        record (nothing new is written)."""
        media_type = check_evidence(data, filename)
        sha = hashlib.sha256(data).hexdigest()
        for rec in self.evidence_record(sha):
            if (rec.task_id, rec.period, rec.unit) == (task_id, period, unit):
                return rec
        path = self.evidence_path(sha)
        if not path.exists():  # written once, atomically: a reader never sees half a file
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, path)
        row = dict(sha256=sha, filename=_stored_filename(filename), media_type=media_type, size_bytes=len(data),
                   task_id=task_id, period=period, unit=unit, region=region, uploader=uploader,
                   uploaded_at=_utc(at))
        seq = self._append("evidence", row)
        self._audit(uploader, "evidence_upload", task_id,
                    f"{row['filename']} ({len(data)} B) · {unit or ''} {period or ''}".strip(), sha)
        return EvidenceRecord(seq=seq, **row)

    def _evidence(self, where: str, params: list) -> list[EvidenceRecord]:
        with self._connect() as con:
            rows = con.execute(f"select {_EVIDENCE_COLUMNS} from evidence where {where} order by seq", params)
            return [EvidenceRecord(*r) for r in rows.fetchall()]

    def evidence_for(self, task_ids: list[str]) -> list[EvidenceRecord]:
        if not task_ids:
            return []
        return self._evidence(f"task_id in ({', '.join('?' * len(task_ids))})", list(task_ids))

    def evidence_record(self, sha256: str) -> list[EvidenceRecord]:
        """Every attachment of these bytes (which tasks they prove): the download's access check."""
        return self._evidence("sha256 = ?", [sha256])

    # --- review --------------------------------------------------------------------------------
    def decide(self, task_id: str, unit: str | None, period: str | None, report_key: str, decision: str,
               reason: str | None, actor: str, at: datetime | None = None) -> int:
        """Record a supervisor's decision on one report row (its report_key from the marts)."""
        if decision not in DECISIONS:
            raise ValueError(f"未知审核结论 {decision}（approve/return）/ unknown decision {decision}")
        reason = (reason or "").strip()
        if decision == "return" and not reason:
            raise ValueError("退回须写明理由 / a return needs a reason")
        if not report_key:
            raise ValueError("缺少报告行标识 / report_key is missing")
        seq = self._append("review_events", dict(at=_utc(at), actor=actor, task_id=task_id, unit=unit,
                                                 period=period, report_key=report_key, decision=decision,
                                                 reason=reason or None))
        self._audit(actor, f"review_{decision}", task_id, f"{unit or ''} {period or ''} {report_key}"
                    + (f" · {reason}" if reason else ""))
        return seq

    # --- 督办 ----------------------------------------------------------------------------------
    def escalate(self, task_id: str, action: str, note: str | None, actor: str, at: datetime | None = None) -> int:
        if action not in ESCALATION_ACTIONS:
            raise ValueError(f"未知督办操作 {action}（issue/close）/ unknown action {action}")
        note = (note or "").strip() or None
        seq = self._append("escalation_events", dict(at=_utc(at), actor=actor, task_id=task_id, action=action,
                                                     note=note))
        self._audit(actor, f"escalation_{action}", task_id, note or "")
        return seq

    # --- reading -------------------------------------------------------------------------------
    def max_seq(self) -> int:
        """The newest event's number over all three tables: it grows with every record (the sensor's cursor)."""
        with self._connect() as con:
            return self._max_seq(con)

    def frame(self, table: str) -> pd.DataFrame:
        if table not in TABLES:
            raise ValueError(f"unknown table {table}")
        with self._connect() as con:
            return pd.read_sql_query(f"select * from {table} order by seq", con)


def store_for(data_root: Path) -> SupervisionStore:
    return SupervisionStore(Path(data_root))


__all__ = ["SupervisionStore", "store_for", "EvidenceRecord", "DECISIONS", "ESCALATION_ACTIONS", "TABLES"]
