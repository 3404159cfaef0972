"""The published snapshot is indexed for the dashboard's lookups of one task (publish.index_lookups): the
same rows come back, read by the index; each index is on a table the dashboard does read by that column;
a publish killed while indexing leaves nothing behind for the next one."""
import re
from pathlib import Path

import duckdb

from pipelines.warehouse import publish as pub

DASHBOARD_SOURCES = Path(__file__).resolve().parents[2] / "dashboards"


def _database(path: Path) -> None:
    con = duckdb.connect(str(path))
    con.execute("create schema marts")
    con.execute("""create table marts.mart_task_status as
                   select 'T' || lpad(i::varchar, 6, '0') as task_id, 'R' || (i % 50)::varchar as region
                   from range(300000) r(i)""")  # more than two row groups: a scan and a lookup differ
    con.execute("""create table marts.mart_task_lines as
                   select 'T' || lpad((i // 4)::varchar, 6, '0') as task_id, i % 4 as line_no, '第' || i::varchar as text
                   from range(40000) r(i)""")
    con.close()


def _lookups(path: Path) -> list:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return [con.execute("select * from marts.mart_task_status where task_id = ?", ["T000123"]).fetchall(),
                con.execute("select * from marts.mart_task_lines where task_id = ? order by line_no",
                            ["T000123"]).fetchall(),
                con.execute("select * from marts.mart_task_lines where task_id = ?", ["T999999"]).fetchall()]
    finally:
        con.close()


def test_the_snapshot_gets_its_lookup_indexes_and_answers_the_same(tmp_path):
    snapshot = tmp_path / ".snapshot-x.duckdb.tmp"
    _database(snapshot)
    before = _lookups(snapshot)
    made = pub.index_lookups(snapshot)
    # the tables this database holds are indexed; the others (not built in it) are left alone
    assert made == ["ix_mart_task_status_task_id", "ix_mart_task_lines_task_id"]
    con = duckdb.connect(str(snapshot), read_only=True)
    indexed = set(con.execute("select table_name, expressions from duckdb_indexes()").fetchall())
    con.close()
    assert {t for t, _ in indexed} == {"mart_task_status", "mart_task_lines"}
    assert _lookups(snapshot) == before and before[0] == [("T000123", "R23")] and len(before[1]) == 4
    assert not list(tmp_path.glob("*.wal"))  # checkpointed: the file put in place is the whole snapshot


def test_every_index_is_on_a_lookup_the_dashboard_makes():
    """An index nobody reads by is publish time and disk for nothing: each is on a table the dashboard reads
    `where <column> = ?`."""
    source = "\n".join(p.read_text(encoding="utf-8") for p in DASHBOARD_SOURCES.glob("*.py"))
    for schema, table, column in pub.LOOKUP_INDEXES:
        pattern = rf"from {schema}\.{table}(\s+\w+)?\s+where\s+(\w+\.)?{column}\s*=\s*\?"
        assert re.search(pattern, source), f"no lookup of {schema}.{table} by {column} in dashboards/"


def test_a_killed_publish_leaves_no_log_of_its_indexing(tmp_path):
    for name in (".snapshot-killed.duckdb.tmp", ".snapshot-killed.duckdb.tmp.wal", ".CURRENT.tmp"):
        (tmp_path / name).write_bytes(b"\0" * 16)
    (tmp_path / "snapshot-kept.duckdb").write_bytes(b"\0" * 16)
    assert sorted(pub.clean_temp(tmp_path)) == [".CURRENT.tmp", ".snapshot-killed.duckdb.tmp",
                                                ".snapshot-killed.duckdb.tmp.wal"]
    assert [p.name for p in tmp_path.iterdir()] == ["snapshot-kept.duckdb"]
