"""Parsed plan documents and reference files -> raw.* tables (replaced whole, in one transaction)."""
from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd

from ..parsing.ids import stable_id
from ..reference import REFERENCE_TABLES, read_table

PLAN_TABLES = ("plan_documents", "plans", "tasks", "task_units", "task_deadlines", "targets", "unparsed")


def plan_frames(docs: list[dict], checksums: dict[str, str]) -> dict[str, pd.DataFrame]:
    """The extraction records flattened into one frame per raw table."""
    rows: dict[str, list[dict]] = {t: [] for t in PLAN_TABLES}
    for d in docs:
        rows["plan_documents"].append({
            "doc_id": d["doc_id"], "source": d["source"], "checksum": checksums.get(d["source"]),
            "issuer": d["issuer"], "region": d["region"], "issue_date": d["issue_date"],
            "doc_number": d["doc_number"], "announced_titles": json.dumps(d["announced_titles"], ensure_ascii=False)})
        for u in d["unparsed"]:
            rows["unparsed"].append({"doc_id": d["doc_id"], "source": d["source"], **u})
        for p in d["plans"]:
            rows["plans"].append({
                "plan_id": p["plan_id"], "doc_id": d["doc_id"], "source": d["source"], "region": d["region"],
                **{k: p[k] for k in ("title", "domain", "year", "title_printed", "start_line", "end_line")}})
            for t in p["tasks"]:
                rows["tasks"].append({
                    "task_id": t["task_id"], "plan_id": p["plan_id"], "doc_id": d["doc_id"],
                    "source": d["source"], "region": d["region"],
                    **{k: t[k] for k in ("no", "section", "title", "text", "start_line", "end_line")}})
                rows["task_units"].extend({"task_id": t["task_id"], **u} for u in t["units"])
                rows["task_deadlines"].extend(
                    {"task_id": t["task_id"], "seq": i, **dl} for i, dl in enumerate(t["deadlines"]))
            for i, g in enumerate(p["targets"]):
                rows["targets"].append({
                    "target_id": stable_id("G", p["plan_id"], i, g["indicator"], g["value"]),
                    "plan_id": p["plan_id"], "task_id": g.get("task_id"), "source": d["source"],
                    "region": d["region"], **{k: g[k] for k in (
                        "indicator", "kpi", "comparator", "value", "unit", "year", "scope", "stretch", "line")}})
    return {t: pd.DataFrame(r) for t, r in rows.items()}


_EMPTY_SCHEMAS = {
    "task_units": "task_id varchar, role varchar, unit_printed varchar, unit varchar",
    "task_deadlines": "task_id varchar, seq integer, text varchar, due_date varchar, kind varchar",
    "targets": ("target_id varchar, plan_id varchar, task_id varchar, source varchar, region varchar, "
                "indicator varchar, kpi varchar, comparator varchar, value double, unit varchar, "
                "year integer, scope varchar, stretch boolean, line integer"),
    "unparsed": "doc_id varchar, source varchar, start_line integer, end_line integer, reason varchar",
}


def _replace_table(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame) -> None:
    if frame.empty and name in _EMPTY_SCHEMAS:
        con.execute(f"create or replace table raw.{name} ({_EMPTY_SCHEMAS[name]})")
        return
    con.register("_frame", frame)
    con.execute(f"create or replace table raw.{name} as select * from _frame")
    con.unregister("_frame")


def load_plans(con: duckdb.DuckDBPyConnection, docs: list[dict], checksums: dict[str, str]) -> dict[str, int]:
    frames = plan_frames(docs, checksums)
    con.execute("begin")
    try:
        for name, frame in frames.items():
            _replace_table(con, name, frame)
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return {name: len(frame) for name, frame in frames.items()}


def load_reference(con: duckdb.DuckDBPyConnection, reference_dir: Path) -> dict[str, int]:
    counts = {}
    con.execute("begin")
    for name in REFERENCE_TABLES:
        frame = pd.DataFrame(read_table(reference_dir, name))
        _replace_table(con, f"ref_{name}", frame)
        counts[f"ref_{name}"] = len(frame)
    con.execute("commit")
    return counts
