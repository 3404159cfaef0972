"""Parsed plan documents and reference files -> raw.* tables (replaced whole, in one transaction)."""
from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd

from ..parsing.folder import ParsedFolder
from ..parsing.ids import stable_id
from ..reference import REFERENCE_TABLES, read_table, table_columns

PLAN_TABLES = ("plan_files", "plan_documents", "plans", "tasks", "task_units", "task_deadlines", "targets",
               "annex_rows", "unparsed", "plan_lines")


def plan_frames(parsed: ParsedFolder) -> dict[str, pd.DataFrame]:
    """The extraction records flattened into one frame per raw table. plan_lines keeps every original
    line as printed (and, for .docx/.pdf, where it sits: 第3段, 表2第4行, 第5页第12行), so a task's
    sentence can be shown verbatim beside what was parsed from it; plan_files lists every file of
    the folder, the rejected ones with the reason."""
    rows: dict[str, list[dict]] = {t: [] for t in PLAN_TABLES}
    rows["plan_files"] = list(parsed.files)
    for source, text_lines in parsed.lines.items():
        locations = parsed.locations.get(source) or [None] * len(text_lines)
        rows["plan_lines"].extend({"source": source, "line_no": i, "text": t, "location": loc}
                                  for i, (t, loc) in enumerate(zip(text_lines, locations), 1))
    for d in parsed.docs:
        rows["plan_documents"].append({
            "doc_id": d["doc_id"], "source": d["source"], "format": d.get("format", "txt"),
            "checksum": parsed.checksums.get(d["source"]),
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
                rows["task_units"].extend(_unit_row(t["task_id"], u) for u in t["units"])
                rows["task_deadlines"].extend(
                    _deadline_row(t["task_id"], i, dl) for i, dl in enumerate(t["deadlines"]))
            rows["annex_rows"].extend(_annex_rows(d, p))
            for i, g in enumerate(p["targets"]):
                rows["targets"].append({
                    "target_id": stable_id("G", p["plan_id"], i, g["indicator"], g["value"]),
                    "plan_id": p["plan_id"], "task_id": g.get("task_id"), "source": d["source"],
                    "region": d["region"], **{k: g.get(k) for k in (
                        "kind", "indicator", "kpi", "comparator", "value", "value_hi", "unit", "year", "scope",
                        "stretch", "binding", "line", "base_year", "rank_of", "rank_side")}})
    return {t: pd.DataFrame(r) for t, r in rows.items()}


def _unit_row(task_id: str, u: dict) -> dict:
    return {"task_id": task_id, "role": u["role"], "unit_printed": u["unit_printed"], "unit": u["unit"],
            "members": "、".join(u.get("members", [])) or None, "propagated": bool(u.get("propagated"))}


def _deadline_row(task_id: str, seq: int, d: dict) -> dict:
    return {"task_id": task_id, "seq": seq, "text": d["text"], "due_date": d["due_date"], "kind": d["kind"],
            "source": d.get("source", "text"), "line": d.get("line"), "start_date": d.get("start_date"),
            "done": bool(d.get("done"))}


def _annex_rows(doc: dict, plan: dict) -> list[dict]:
    out = []
    for k, table in enumerate(plan["annex_tables"], start=1):
        for r in table["rows"]:
            due = r["due"] or {}
            out.append({
                "annex_row_id": stable_id("A", plan["plan_id"], k, r["no"], r["start_line"]),
                "plan_id": plan["plan_id"], "doc_id": doc["doc_id"], "source": doc["source"],
                "region": doc["region"], "table_no": k, "table_title": table["title"],
                "table_kind": table["kind"], "no": r["no"], "category": r["category"],
                "title": r.get("title"), "text": r["text"], "deadline": r["deadline"],
                "due_date": due.get("due_date"), "due_kind": due.get("kind"),
                "units": "、".join(r["units"]), "task_id": r["task_id"], "link_score": r.get("link_score"),
                "no_inferred": bool(r.get("no_inferred")), "start_line": r["start_line"],
                "end_line": r["end_line"], "cells": json.dumps(r["cells"], ensure_ascii=False)})
    return out


_DECLARED_SCHEMAS = {
    "task_units": ("task_id varchar, role varchar, unit_printed varchar, unit varchar, members varchar, "
                   "propagated boolean"),
    "task_deadlines": ("task_id varchar, seq integer, text varchar, due_date varchar, kind varchar, "
                       "source varchar, line integer, start_date varchar, done boolean"),
    "annex_rows": ("annex_row_id varchar, plan_id varchar, doc_id varchar, source varchar, region varchar, "
                   "table_no integer, table_title varchar, table_kind varchar, no integer, category varchar, "
                   "title varchar, text varchar, deadline varchar, due_date varchar, due_kind varchar, "
                   "units varchar, task_id varchar, link_score double, no_inferred boolean, "
                   "start_line integer, end_line integer, cells varchar"),
    "targets": ("target_id varchar, plan_id varchar, task_id varchar, source varchar, region varchar, "
                "kind varchar, indicator varchar, kpi varchar, comparator varchar, value double, value_hi double, "
                "unit varchar, year integer, scope varchar, stretch boolean, binding varchar, line integer, "
                "base_year integer, rank_of integer, rank_side varchar"),
    "unparsed": "doc_id varchar, source varchar, start_line integer, end_line integer, reason varchar",
    "plan_lines": "source varchar, line_no integer, text varchar, location varchar",
    "plan_files": "source varchar, format varchar, checksum varchar, status varchar, reason varchar, seconds double",
}


def _replace_table(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame) -> None:
    # Declared types where a column may be all-null in a given load (types cannot be inferred then).
    if name in _DECLARED_SCHEMAS:
        con.execute(f"create or replace table raw.{name} ({_DECLARED_SCHEMAS[name]})")
        if not frame.empty:
            con.register("_frame", frame)
            con.execute(f"insert into raw.{name} by name select * from _frame")
            con.unregister("_frame")
        return
    con.register("_frame", frame)
    con.execute(f"create or replace table raw.{name} as select * from _frame")
    con.unregister("_frame")


def load_plans(con: duckdb.DuckDBPyConnection, parsed: ParsedFolder) -> dict[str, int]:
    frames = plan_frames(parsed)
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
        frame = pd.DataFrame(read_table(reference_dir, name), columns=table_columns(reference_dir, name), dtype=object)
        _replace_table(con, f"ref_{name}", frame)
        counts[f"ref_{name}"] = len(frame)
    con.execute("commit")
    return counts


def load_supervision(con: duckdb.DuckDBPyConnection, data_root: Path) -> dict[str, int]:
    """The supervision store's three tables (pipelines/supervision), copied whole into raw (they are small:
    one row per decision, 督办 event or attached file) in one transaction. Times become UTC timestamps."""
    from ..supervision import TABLES, store_for
    store = store_for(data_root)
    frames = {t: store.frame(t) for t in TABLES}
    con.execute("begin")
    try:
        for table, frame in frames.items():
            con.execute(f"delete from raw.{table}")
            if not frame.empty:
                for col in ("at", "uploaded_at"):
                    if col in frame:
                        frame[col] = pd.to_datetime(frame[col], utc=True).dt.tz_localize(None)
                con.register("_frame", frame)
                con.execute(f"insert into raw.{table} by name select * from _frame")
                con.unregister("_frame")
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return {t: len(f) for t, f in frames.items()}
