"""Ingest submission files: one transaction per file; every row lands or is quarantined with a reason.

The same file (same SHA-256) is never ingested twice. Files are moved, never deleted: landed ones to
archive/, rejected ones to quarantine/. A file uploaded by a unit through the dashboard arrives with a
sender note (``.<file>.sender.json``: account, region, unit): its rows must then report as that unit.
``check_file`` runs the same reading and validation without writing, for the uploader's instant answer.
"""
from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd

from ..readers import file_checksum
from .contract import SAMPLE_MARK
from .read import UnreadableFile, read_submission
from .validate import validate_observations, validate_progress

PROGRESS_COLS = ["task_id", "task_text", "deadline", "period", "reporting_unit", "unit", "status",
                 "status_code", "percent", "completed_on", "narrative", "evidence"]
OBSERVATION_COLS = ["kpi", "region", "period", "value", "unit", "source"]
SUBMISSION_SUFFIXES = (".xlsx", ".csv", ".xlsm", ".xls")


@dataclass
class IngestContext:
    """What validation needs from the warehouse, read once per batch."""
    responsibilities: pd.DataFrame
    canonical: dict
    catalogue: pd.DataFrame
    regions: set
    today: date
    task_regions: dict = field(default_factory=dict)

    @classmethod
    def from_warehouse(cls, con: duckdb.DuckDBPyConnection, today: date | None = None) -> "IngestContext":
        return cls(
            # A unit may report under its canonical name, the name printed in the plan, or an alias
            # of its region (the same alias can mean different units in different regions).
            responsibilities=con.sql("""
                select task_id, unit from raw.task_units
                union select task_id, unit_printed from raw.task_units
                union select tu.task_id, a.alias from raw.task_units tu
                    join raw.tasks t using (task_id)
                    join raw.ref_unit_aliases a on a.unit = tu.unit and a.region = t.region
            """).df(),
            canonical=dict(con.sql("""
                select alias, any_value(unit) from raw.ref_unit_aliases
                group by alias having count(distinct unit) = 1
            """).fetchall()),
            catalogue=con.sql("select kpi, unit from raw.ref_kpi_catalogue").df(),
            regions={r for (r,) in con.sql("select region from raw.ref_regions").fetchall()},
            today=today or date.today(),
            task_regions=dict(con.sql("select task_id, region from raw.tasks").fetchall()),
        )


@dataclass(frozen=True)
class Sender:
    """The account a dashboard upload came from."""
    username: str
    region: str
    unit: str


def sender_note(path: Path) -> Path:
    return Path(path).parent / f".{Path(path).name}.sender.json"


def write_sender_note(path: Path, sender: Sender) -> None:
    sender_note(path).write_text(json.dumps(sender.__dict__, ensure_ascii=False), encoding="utf-8")


def read_sender_note(path: Path) -> Sender | None:
    note = sender_note(path)
    return Sender(**json.loads(note.read_text(encoding="utf-8"))) if note.exists() else None


@dataclass
class FileReport:
    file_name: str
    status: str  # landed | partial | rejected | duplicate
    rows_landed: int = 0
    rows_rejected: int = 0
    reasons: list[tuple[int | None, str, str, str]] = field(default_factory=list)  # row, column, zh, en

    def format(self, limit: int = 5) -> str:
        head = {
            "landed": "全部入库 / all rows landed",
            "partial": "部分入库 / some rows rejected",
            "rejected": "整个文件被拒收 / whole file rejected",
            "duplicate": "该文件已接收过，未重复入库 / already ingested (same checksum), nothing changed",
        }[self.status]
        lines = [f"{self.file_name}: {head}",
                 f"  入库 {self.rows_landed} 行 / rows landed: {self.rows_landed}; "
                 f"拒收 {self.rows_rejected} 行 / rows rejected: {self.rows_rejected}"]
        for row, col, zh, en in self.reasons[:limit]:
            where = f"第{row}行 {col}" if row is not None else "文件"
            where_en = f"row {row}, {col}" if row is not None else "file"
            lines.append(f"  - {where}：{zh} / {where_en}: {en}")
        if len(self.reasons) > limit:
            lines.append(f"  … 另有 {len(self.reasons) - limit} 条 / {len(self.reasons) - limit} more")
        return "\n".join(lines)


def _destination(path: Path, folder: Path, checksum: str) -> Path:
    target = folder / path.name
    return folder / f"{checksum[:8]}_{path.name}" if target.exists() else target


def _move(path: Path, folder: Path, checksum: str, target: Path | None = None) -> Path:
    """Move the file (and the note of who sent it, if any) out of the inbox; nothing is deleted."""
    folder.mkdir(parents=True, exist_ok=True)
    target = target or _destination(path, folder, checksum)
    note = sender_note(path)
    shutil.move(str(path), target)
    if note.exists():
        shutil.move(str(note), sender_note(target))
    return target


def _insert(con, table: str, frame: pd.DataFrame) -> None:
    if frame.empty:
        return
    con.register("_rows", frame)
    con.execute(f"insert into raw.{table} by name select * from _rows")
    con.unregister("_rows")


def _already_ingested(con, checksum: str) -> bool:
    return con.execute("select count(*) from raw.ingested_files where file_checksum = ?",
                       [checksum]).fetchone()[0] > 0


def received_at(path: Path, now: datetime) -> datetime:
    """When the file arrived: its modification time in the inbox (a copy into the inbox sets it),
    never later than the moment it is ingested. Reporting compliance judges lateness by it."""
    return min(datetime.fromtimestamp(path.stat().st_mtime), now)


def _reject_whole_file(con, path: Path, checksum: str, err: UnreadableFile, now: datetime,
                       received: datetime, quarantine: Path) -> FileReport:
    sender = read_sender_note(path)
    stored = _move(path, quarantine, checksum)
    con.execute("begin")
    con.execute("insert into raw.quarantine values (?, ?, null, null, null, 'file_unreadable', ?, ?, null, ?)",
                [path.name, checksum, err.reason_zh, err.reason_en, now])
    con.execute("""insert into raw.ingested_files (file_checksum, file_name, kind, status, rows_landed,
                   rows_rejected, reason_zh, reason_en, stored_as, ingested_at, received_at, submitted_by)
                   values (?, ?, null, 'rejected', 0, 0, ?, ?, ?, ?, ?, ?)""",
                [checksum, path.name, err.reason_zh, err.reason_en, str(stored), now, received,
                 sender.username if sender else None])
    con.execute("commit")
    return FileReport(path.name, "rejected", reasons=[(None, "", err.reason_zh, err.reason_en)])


def ingest_file(con: duckdb.DuckDBPyConnection, path: Path, ctx: IngestContext,
                archive: Path, quarantine: Path) -> FileReport:
    path = Path(path)
    checksum = file_checksum(path)
    now = datetime.now()
    received = received_at(path, now)
    if _already_ingested(con, checksum):
        _move(path, archive / "duplicates", checksum)
        return FileReport(path.name, "duplicate")
    try:
        sheets = read_submission(path)
    except UnreadableFile as err:
        return _reject_whole_file(con, path, checksum, err, now, received, quarantine)

    is_sample = SAMPLE_MARK in path.name
    sender = read_sender_note(path)
    meta = {"file_name": path.name, "file_checksum": checksum, "is_sample": is_sample, "ingested_at": now,
            "received_at": received}
    report = FileReport(path.name, "landed")
    kinds = set()
    con.execute("begin")
    try:
        for sheet, good, bad in _validated(sheets, ctx, sender):
            kinds.add(sheet.kind)
            _insert(con, "progress_reports" if sheet.kind == "progress" else "observations",
                    good.assign(sheet=sheet.name, **meta))
            _insert(con, "quarantine", bad.assign(file_name=path.name, file_checksum=checksum, sheet=sheet.name,
                                                  quarantined_at=now))
            _count(report, good, bad)
        stored = _destination(path, archive, checksum)
        con.execute("""insert into raw.ingested_files (file_checksum, file_name, kind, status, rows_landed,
                       rows_rejected, stored_as, ingested_at, received_at, submitted_by)
                       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    [checksum, path.name, ",".join(sorted(kinds)), report.status, report.rows_landed,
                     report.rows_rejected, str(stored), now, received, sender.username if sender else None])
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    _move(path, archive, checksum, stored)
    return report


def _validated(sheets, ctx: IngestContext, sender: Sender | None):
    """(sheet, rows that land, rows quarantined) per sheet: the one validation of every path."""
    for sheet in sheets:
        if sheet.kind == "progress":
            result = validate_progress(sheet.frame, ctx.responsibilities, ctx.canonical, ctx.today,
                                       (sender.region, sender.unit) if sender else None, ctx.task_regions)
            yield sheet, result.good[["row_number", *PROGRESS_COLS]], result.bad
        else:
            result = validate_observations(sheet.frame, ctx.catalogue,
                                           {sender.region} if sender else ctx.regions)
            yield sheet, result.good[["row_number", *OBSERVATION_COLS]], result.bad


def _count(report: FileReport, good: pd.DataFrame, bad: pd.DataFrame) -> None:
    report.rows_landed += len(good)
    report.rows_rejected += bad["row_number"].nunique()
    report.reasons += list(zip(bad["row_number"], bad["column_name"], bad["reason_zh"], bad["reason_en"]))
    if report.rows_rejected:
        report.status = "partial"


def check_file(path: Path, ctx: IngestContext, sender: Sender | None = None) -> FileReport:
    """What ingesting ``path`` will do (rows that land, each rejected row and why), writing nothing."""
    path = Path(path)
    try:
        sheets = read_submission(path)
    except UnreadableFile as err:
        return FileReport(path.name, "rejected", reasons=[(None, "", err.reason_zh, err.reason_en)])
    report = FileReport(path.name, "landed")
    for _sheet, good, bad in _validated(sheets, ctx, sender):
        _count(report, good, bad)
    return report


def inbox_files(inbox: Path) -> list[Path]:
    """Every file waiting in the inbox (any type: unsupported ones are quarantined, not ignored)."""
    if not inbox.is_dir():
        return []
    return sorted(p for p in inbox.iterdir() if p.is_file() and not p.name.startswith("."))


def ingest_inbox(con: duckdb.DuckDBPyConnection, inbox: Path, archive: Path, quarantine: Path,
                 today: date | None = None) -> list[FileReport]:
    ctx = IngestContext.from_warehouse(con, today)
    return [ingest_file(con, p, ctx, archive, quarantine) for p in inbox_files(inbox)]
