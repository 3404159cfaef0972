"""Ingest submission files: every row lands or is quarantined with a reason.

Files are read one by one and validated in batches (about BATCH_ROWS rows: one set-wise validation and
one transaction per batch, so a province's tens of thousands of files cost what their rows cost, not a
round of pandas per file; a file is never split across batches). The same file (same SHA-256) is never
ingested twice. Files are moved, never deleted: landed ones to
archive/, rejected ones to quarantine/. A file uploaded by a unit through the dashboard arrives with a
sender note (``.<file>.sender.json``: account, region, unit): its rows must then report as that unit.
``check_file`` runs the same reading and validation without writing, for the uploader's instant answer.
"""
from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd

from ..readers import file_checksum
from .contract import OBSERVATION_INPUTS, PROGRESS_INPUTS, SAMPLE_MARK
from .read import UnreadableFile, read_submission, tidy
from .validate import Responsibilities, blank_rows, validate_observations, validate_progress

PROGRESS_COLS = ["task_id", "task_text", "deadline", "period", "reporting_unit", "unit", "status",
                 "status_code", "percent", "completed_on", "narrative", "evidence", "output_done"]
OBSERVATION_COLS = ["kpi", "region", "period", "period_kind", "value", "measure_unit", "valid_days", "good_days",
                    "source"]
SUBMISSION_SUFFIXES = (".xlsx", ".csv", ".xlsm", ".xls")
BATCH_ROWS = 200_000  # rows validated and written per transaction: memory stays bounded at any inbox size
META_COLS = ["file_name", "file_checksum", "is_sample", "ingested_at", "received_at"]


@dataclass
class IngestContext:
    """What validation needs from the warehouse, read once per ingest."""
    responsibilities: Responsibilities
    canonical: dict
    catalogue: pd.DataFrame
    regions: set
    today: date
    reporters: pd.DataFrame | None = None  # indicator_reporters.csv: who reports which indicator

    @classmethod
    def from_warehouse(cls, con: duckdb.DuckDBPyConnection, today: date | None = None) -> "IngestContext":
        return cls(
            # A unit may report under its canonical name, the name printed in the plan, or an alias
            # of its region (the same alias can mean different units in different regions).
            responsibilities=Responsibilities.of(con.sql("""
                select task_id, unit from raw.task_units
                union select task_id, unit_printed from raw.task_units
                union select tu.task_id, a.alias from raw.task_units tu
                    join raw.tasks t using (task_id)
                    join raw.ref_unit_aliases a on a.unit = tu.unit and a.region = t.region
            """).df(), con.sql("select task_id, region from raw.tasks").df(),
                # each task's units as a unit-mismatch reason lists them: distinct, in code-point order
                con.sql("""
                    select task_id, string_agg(distinct unit, '、' order by unit) as units
                    from raw.task_units group by task_id
                """).df()),
            canonical=dict(con.sql("""
                select alias, any_value(unit) from raw.ref_unit_aliases
                group by alias having count(distinct unit) = 1
            """).fetchall()),
            catalogue=con.sql("select kpi, unit, min_value, max_value from raw.ref_kpi_catalogue").df(),
            regions={r for (r,) in con.sql("select region from raw.ref_regions").fetchall()},
            today=today or date.today(),
            reporters=_indicator_reporters(con),
        )


def _indicator_reporters(con) -> pd.DataFrame | None:
    """indicator_reporters.csv as loaded; None in a warehouse loaded before the table existed (then
    observations are not checked against it)."""
    exists = con.execute("select count(*) from duckdb_tables() where schema_name = 'raw' "
                         "and table_name = 'ref_indicator_reporters'").fetchall()[0][0]
    return con.sql("select kpi, region, unit from raw.ref_indicator_reporters").df() if exists else None


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


SCREEN_REASONS = 50  # reasons shown on screen; the full list is downloadable


@dataclass
class FileReport:
    file_name: str
    status: str  # landed | partial | rejected | duplicate
    rows_landed: int = 0
    rows_rejected: int = 0
    reasons: list[tuple[int | None, str, str, str]] = field(default_factory=list)  # row, column, zh, en
    kind: str = ""  # progress, observations or both
    rows_blank: int = 0  # rows left empty: 未填, not reported this period (not an error)

    @property
    def summary(self) -> str:
        """One line a clerk reads first: what landed, what was refused, what was left blank."""
        if self.status == "duplicate":
            return "该文件已接收过，未重复入库 / already ingested (same checksum), nothing changed"
        if self.status == "rejected" and not (self.rows_landed or self.rows_blank):
            return "整个文件被拒收 / whole file rejected"
        zh = f"入库 {self.rows_landed} 行"
        en = f"{self.rows_landed} rows landed"
        if self.rows_rejected:
            zh += f"，拒收 {self.rows_rejected} 行"
            en += f", {self.rows_rejected} rejected"
        zh += f"，未填 {self.rows_blank} 项"
        en += f", {self.rows_blank} left blank (not reported this period)"
        return f"{zh} / {en}"

    def reason_lines(self) -> list[str]:
        """Every reason as a line: the row Excel shows, the reason (it names the template's column)."""
        lines = []
        for row, _col, zh, en in self.reasons:
            lines.append(f"文件：{zh} / file: {en}" if row is None or pd.isna(row)
                         else f"第{int(row)}行 {zh} / row {int(row)}: {en}")
        return lines

    def format(self, limit: int = 5) -> str:
        lines = [f"{self.file_name}: {self.summary}"]
        shown = self.reason_lines()
        lines += [f"  - {line}" for line in shown[:limit]]
        if len(shown) > limit:
            lines.append(f"  … 另有 {len(shown) - limit} 条 / {len(shown) - limit} more")
        if self.rows_blank:
            lines.append(f"  未填 {self.rows_blank} 项：本期未报告，不算错误 / {self.rows_blank} rows left blank: "
                         "not reported this period, not an error")
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


def _insert(con, table: str, query: str) -> None:
    con.execute(f"insert into raw.{table} by name {query}")


def mark_received(path: Path, when: datetime) -> None:
    """Say when a file arrived, the way received_at reads it: its modification time (the sample and the
    synthetic province date their unit's files so; a copy into the inbox sets it for real ones)."""
    stamp = when.timestamp()
    os.utime(path, (stamp, stamp))


def received_at(path: Path, now: datetime) -> datetime:
    """When the file arrived: its modification time in the inbox (a copy into the inbox sets it),
    never later than the moment it is ingested. Reporting compliance judges lateness by it."""
    return min(datetime.fromtimestamp(path.stat().st_mtime), now)


@dataclass
class Arrival:
    """A readable file waiting for its batch."""
    path: Path
    checksum: str
    received: datetime
    sender: Sender | None
    sheets: list


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


def _stacked(arrivals: list[Arrival], kind: str) -> pd.DataFrame | None:
    """The sheets of one kind of every file of the batch as one frame; ``_file`` numbers the file."""
    parts = []
    for k, a in enumerate(arrivals):
        sender = {"_sender_region": a.sender.region, "_sender_unit": a.sender.unit} if a.sender else {}
        parts += [s.frame.assign(_file=k, sheet=s.name, **sender) for s in a.sheets if s.kind == kind]
    return tidy(pd.concat(parts, ignore_index=True)) if parts else None


def _validated(arrivals: list[Arrival], ctx: IngestContext):
    """(kind, rows that land, rows quarantined, blank rows) of a batch: the one validation of every path.
    Blank rows (no input cell filled) are 未填: counted, neither landed nor quarantined."""
    for kind, validate, columns, inputs in (
            ("progress", lambda f: validate_progress(f, ctx.responsibilities, ctx.canonical, ctx.today),
             PROGRESS_COLS, PROGRESS_INPUTS),
            ("observations", lambda f: validate_observations(f, ctx.catalogue, ctx.regions, ctx.reporters),
             OBSERVATION_COLS, OBSERVATION_INPUTS)):
        frame = _stacked(arrivals, kind)
        if frame is not None:
            blank = blank_rows(frame, inputs)
            blanks, frame = frame.loc[blank, ["_file"]], frame.loc[~blank]
            result = validate(frame)
            bad = result.bad.assign(_file=frame.loc[result.bad.index, "_file"], sheet=frame.loc[result.bad.index, "sheet"])
            yield kind, result.good[["_file", "sheet", "row_number", *columns]], bad, blanks


def _reports(arrivals: list[Arrival], checked: list[tuple]) -> list[FileReport]:
    reports = [FileReport(a.path.name, "landed", kind=",".join(sorted({s.kind for s in a.sheets})))
               for a in arrivals]
    for _kind, good, bad, blanks in checked:
        for k, n in good["_file"].value_counts().items():
            reports[k].rows_landed += int(n)
        for k, n in blanks["_file"].value_counts().items():
            reports[k].rows_blank += int(n)
        for k, rows in bad.groupby("_file", sort=False):
            report = reports[k]
            report.rows_rejected += rows["row_number"].nunique()
            report.reasons += list(zip(rows["row_number"], rows["column_name"], rows["reason_zh"],
                                       rows["reason_en"]))
            report.status = "partial"
    return reports


def _ingest_batch(con, arrivals: list[Arrival], ctx: IngestContext, archive: Path) -> list[FileReport]:
    """Validate the batch set-wise and write it in one transaction; then move its files to the archive."""
    now = datetime.now()
    checked = list(_validated(arrivals, ctx))
    reports = _reports(arrivals, checked)
    stored = [_destination(a.path, archive, a.checksum) for a in arrivals]  # inbox names are unique
    files = pd.DataFrame({
        "_file": range(len(arrivals)), "file_name": [a.path.name for a in arrivals],
        "file_checksum": [a.checksum for a in arrivals],
        "is_sample": [SAMPLE_MARK in a.path.name for a in arrivals], "ingested_at": now,
        "received_at": [a.received for a in arrivals], "kind": [r.kind for r in reports],
        "status": [r.status for r in reports], "rows_landed": [r.rows_landed for r in reports],
        "rows_rejected": [r.rows_rejected for r in reports], "rows_blank": [r.rows_blank for r in reports],
        "stored_as": [str(p) for p in stored],
        "submitted_by": [a.sender.username if a.sender else None for a in arrivals]})
    con.register("_files", files)
    con.execute("begin")
    try:
        for kind, good, bad, _blanks in checked:
            table = "progress_reports" if kind == "progress" else "observations"
            con.register("_good", good)
            _insert(con, table, f"""select g.* exclude (_file), {', '.join('f.' + c for c in META_COLS)}
                                    from _good g join _files f using (_file)""")
            con.register("_bad", bad)
            _insert(con, "quarantine", """select b.* exclude (_file), f.file_name, f.file_checksum,
                                              f.ingested_at as quarantined_at
                                          from _bad b join _files f using (_file)""")
        _insert(con, "ingested_files", "select * exclude (_file, is_sample) from _files")
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    finally:
        for name in ("_files", "_good", "_bad"):
            con.unregister(name)
    for a, target in zip(arrivals, stored):
        _move(a.path, archive, a.checksum, target)
    return reports


def check_file(path: Path, ctx: IngestContext, sender: Sender | None = None) -> FileReport:
    """What ingesting ``path`` will do (rows that land, each rejected row and why), writing nothing."""
    path = Path(path)
    try:
        sheets = read_submission(path, tidied=False)
    except UnreadableFile as err:
        return FileReport(path.name, "rejected", reasons=[(None, "", err.reason_zh, err.reason_en)])
    arrival = Arrival(path, "", datetime.now(), sender, sheets)
    return _reports([arrival], list(_validated([arrival], ctx)))[0]


def inbox_files(inbox: Path) -> list[Path]:
    """Every file waiting in the inbox (any type: unsupported ones are quarantined, not ignored)."""
    if not inbox.is_dir():
        return []
    return sorted(p for p in inbox.iterdir() if p.is_file() and not p.name.startswith("."))


def ingest_inbox(con: duckdb.DuckDBPyConnection, inbox: Path, archive: Path, quarantine: Path,
                 today: date | None = None, progress=None) -> list[FileReport]:
    """Every file of the inbox, in name order; ``progress(files done, files, rows)`` after each batch."""
    ctx = IngestContext.from_warehouse(con, today)
    files = inbox_files(inbox)
    seen = {c for (c,) in con.execute("select file_checksum from raw.ingested_files").fetchall()}
    reports: dict[Path, FileReport] = {}
    batch: list[Arrival] = []
    rows = done_rows = 0

    def flush() -> None:
        nonlocal batch, rows, done_rows
        if batch:
            reports.update(zip((a.path for a in batch), _ingest_batch(con, batch, ctx, archive)))
            done_rows += rows
            if progress:
                progress(len(reports), len(files), done_rows)
        batch, rows = [], 0

    for path in files:
        checksum = file_checksum(path)
        now = datetime.now()
        received = received_at(path, now)
        if checksum in seen:
            _move(path, archive / "duplicates", checksum)
            reports[path] = FileReport(path.name, "duplicate")
            continue
        seen.add(checksum)
        try:
            sheets = read_submission(path, tidied=False)
        except UnreadableFile as err:
            reports[path] = _reject_whole_file(con, path, checksum, err, now, received, quarantine)
            continue
        batch.append(Arrival(path, checksum, received, read_sender_note(path), sheets))
        rows += sum(len(s.frame) for s in sheets)
        if rows >= BATCH_ROWS:
            flush()
    flush()
    return [reports[p] for p in files]
