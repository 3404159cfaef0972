"""The raw schema of the build database: what the parser and the ingest write, what dbt reads."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import duckdb

RAW_DDL = """
create schema if not exists raw;
create table if not exists raw.progress_reports (
    task_id varchar, task_text varchar, deadline varchar, period varchar,
    reporting_unit varchar, unit varchar, status varchar, status_code varchar,
    percent double, completed_on date, narrative varchar, evidence varchar,
    file_name varchar, file_checksum varchar, sheet varchar, row_number integer,
    is_sample boolean, ingested_at timestamp, received_at timestamp
);
create table if not exists raw.observations (
    kpi varchar, region varchar, period varchar, period_kind varchar, value double, measure_unit varchar,
    valid_days integer, good_days integer, source varchar,
    file_name varchar, file_checksum varchar, sheet varchar, row_number integer,
    is_sample boolean, ingested_at timestamp, received_at timestamp
);
create table if not exists raw.quarantine (
    file_name varchar, file_checksum varchar, sheet varchar, row_number integer,
    column_name varchar, rule varchar, reason_zh varchar, reason_en varchar,
    original varchar, quarantined_at timestamp
);
create table if not exists raw.ingested_files (
    file_checksum varchar primary key, file_name varchar, kind varchar, status varchar,
    rows_landed integer, rows_rejected integer, reason_zh varchar, reason_en varchar,
    stored_as varchar, ingested_at timestamp, received_at timestamp
);
-- the supervising office's store (pipelines/supervision), copied whole at the start of every run; times UTC
create table if not exists raw.evidence (
    seq bigint, sha256 varchar, filename varchar, media_type varchar, size_bytes bigint, task_id varchar,
    period varchar, unit varchar, region varchar, uploader varchar, uploaded_at timestamp
);
create table if not exists raw.review_events (
    seq bigint, "at" timestamp, actor varchar, task_id varchar, unit varchar, period varchar,
    report_key varchar, decision varchar, reason varchar
);
create table if not exists raw.escalation_events (
    seq bigint, "at" timestamp, actor varchar, task_id varchar, action varchar, note varchar
);
create table if not exists raw.dbt_results (
    run_id varchar, unique_id varchar, name varchar, resource_type varchar, status varchar,
    failures bigint, message varchar, execution_time double, recorded_at timestamp
);
create table if not exists raw.validation_results (
    run_id varchar, suite varchar, asset varchar, expectation varchar, column_name varchar,
    success boolean, severity varchar, observed_value varchar, unexpected_count bigint,
    sample_unexpected varchar, validated_at timestamp
);
"""


@contextmanager
def connect(db_path: Path, read_only: bool = False):
    """A connection that is always closed: DuckDB allows one writer per file."""
    db_path = Path(db_path)
    if not read_only:
        db_path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(db_path), read_only=read_only)
    try:
        yield con
    finally:
        con.close()


# Columns added after a warehouse may already exist: (table, column, type).
ADDED_COLUMNS = (
    ("ingested_files", "rows_blank", "integer"),  # rows left empty: 未填, not reported this period
    ("progress_reports", "output_done", "double"),  # 累计完成量: a task's output so far (计划量's unit)
    ("progress_reports", "received_at", "timestamp"),
    ("observations", "received_at", "timestamp"),
    # the observation contract of issue 23: what the value is, day counts, and the measurement unit
    # under its own name (raw.progress_reports.unit is the responsible unit)
    ("observations", "period_kind", "varchar"),
    ("observations", "valid_days", "integer"),
    ("observations", "good_days", "integer"),
    ("observations", "measure_unit", "varchar"),
    ("ingested_files", "received_at", "timestamp"),
    ("ingested_files", "submitted_by", "varchar"),  # the account that uploaded it (dashboard uploads)
)


def ensure_raw_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(RAW_DDL)
    for table, column, type_ in ADDED_COLUMNS:
        con.execute(f"alter table raw.{table} add column if not exists {column} {type_}")
    # a warehouse from before the rename keeps its rows: their unit moves to measure_unit, kind by period
    old = {c for (c,) in con.execute("select column_name from information_schema.columns "
                                     "where table_schema = 'raw' and table_name = 'observations'").fetchall()}
    if "unit" in old:
        con.execute("update raw.observations set measure_unit = unit where measure_unit is null")
        con.execute("alter table raw.observations drop column unit")
    con.execute("update raw.observations set period_kind = case when length(period) = 4 then '年度' else '当月' end "
                "where period_kind is null")
