"""Annex tables of a plan (台账 / 任务表 / 清单 / 目标明细表 / 重点工程) -> the ``annex_tables`` records.

``annex_layout`` turns the text into header + rows of cells whatever the layout; this module finds
the tables of an annex, gives the columns their meaning (序号, 类别, 措施, 完成时限, 责任单位 …),
carries merged category cells down, and links each ledger row to the body task it repeats.
"""
from __future__ import annotations

from ..readers import SourceTable
from . import annex_layout as L
from .deadlines import parse_deadline
from .units import split_unit_cell

# Column meaning by header word. Several "text" columns: the first of _TEXT_PRIORITY is the text,
# the others are kept as the row's title.
_ROLE_OF_HEADER = {
    "序号": "no", "任务类别": "category", "类别": "category", "重点工作": "category",
    "完成时限": "deadline", "牵头单位": "units", "责任单位": "units", "责任部门": "units",
    "责任主体": "units", "被考核单位": "units", "配合单位": "support", "备注": "note",
}
_TEXT_PRIORITY = ("具体措施", "工程措施", "工作任务", "主要任务", "项目名称", "建设内容", "断面名称")
LINK_THRESHOLD = 0.5  # share of a row's character pairs found in the body task it repeats


def column_roles(header: list[str]) -> list[str]:
    text_cols = [h for h in _TEXT_PRIORITY if h in header]
    roles = []
    for h in header:
        if h in _ROLE_OF_HEADER:
            roles.append(_ROLE_OF_HEADER[h])
        elif text_cols and h == text_cols[0]:
            roles.append("text")
        elif h in _TEXT_PRIORITY:
            roles.append("title")
        else:
            roles.append("cell")
    return roles


def table_kind(title: str, header: list[str]) -> str:
    if "断面名称" in header:
        return "water_section_targets"
    if "工程" in title or "项目" in title:
        return "key_projects"
    if "完成时限" in header and any(r in ("category", "units") for r in column_roles(header)):
        return "task_ledger"
    return "other"


def _find_tables(lines: list[tuple[int, str]], cell_tables: list[SourceTable] = ()
                 ) -> tuple[list[L.RawTable], list[dict]]:
    """Walk the annex lines: titles, headers (repeats after page breaks merged), rows; a table
    a .docx/.pdf reader found is taken from its cells."""
    tables: list[L.RawTable] = []
    stray: list[dict] = []
    title = ""
    title_since_header = False
    at_line = {t.first_line: t for t in cell_tables}
    i = 0
    while i < len(lines):
        no, raw = lines[i]
        if no in at_line:
            source = at_line[no]
            current = tables[-1] if tables and not title_since_header else None
            table = L.read_cell_table(source, title, current)
            if table is None:
                stray.append({"start_line": source.first_line, "end_line": source.last_line,
                              "reason": "附件中的表格没有可识别的表头 / annex table without a recognisable header"})
            elif table is not current:
                tables.append(table)
                title_since_header = False
            i += len(source.rows)
            continue
        if not raw.strip() or L.is_annex_label(raw):
            i += 1
            continue
        header, consumed, layout = _header_at(lines, i)
        if header:
            current = tables[-1] if tables else None
            if current and current.header == header and not title_since_header:
                i += consumed  # the header repeated after a page break
                continue
            table = L.RawTable(title, header, layout, no, lines[i + consumed - 1][0])
            tables.append(table)
            title_since_header = False
            i += consumed
            if layout != "tab_rows":  # these layouts run to the end of the annex
                body = lines[i:]
                if layout == "cell_lines":
                    L.read_cell_lines(table, body)
                else:
                    L.read_scattered(table, body, column_roles(header))
                break
            continue
        if "\t" in raw and tables and tables[-1].layout == "tab_rows" and not title_since_header:
            L.read_tab_row(tables[-1], no, raw)
        elif (t := L.annex_title(raw)):
            title, title_since_header = t, True
        else:
            stray.append({"start_line": no, "end_line": no,
                          "reason": "附件中无法识别的文字 / text in an annex outside any table"})
        i += 1
    return tables, stray


def _header_at(lines: list[tuple[int, str]], i: int) -> tuple[list[str] | None, int, str]:
    raw = lines[i][1]
    if raw.startswith("\t") and not raw.strip("\t").count("\t"):
        # cell_lines: header cells one per line, each opening with a tab
        cells, j = [], i
        while j < len(lines) and lines[j][1].startswith("\t") and lines[j][1].strip():
            cells.append(lines[j][1])
            j += 1
        header = L.header_cells("".join(cells))
        if header and len(header) == len(cells):
            return header, j - i, "cell_lines"
        return None, 0, ""
    header = L.header_cells(raw)
    if not header:
        return None, 0, ""
    return header, 1, "tab_rows" if "\t" in raw else "scattered"


def _row_record(kind: str, table: L.RawTable, roles: list[str], row: L.RawRow, carried: dict,
                plan_year: int | None) -> dict | None:
    values: dict[str, str] = {}
    raw_of: dict[str, str] = {}
    for k, (role, cell) in enumerate(zip(roles, row.cells)):
        if cell and role not in values:
            values[role] = cell
            raw_of[role] = row.raw_cells[k] if row.raw_cells else cell
    if not values.get("no", "").isdigit():
        return None
    carry_roles = ("category", "text") if kind == "key_projects" else ("category",)
    was_carried = []
    for role in carry_roles:
        if values.get(role):
            carried[role] = values[role]
        elif carried.get(role):
            values[role] = carried[role]
            was_carried.append(role)
    deadline = values.get("deadline", "")
    record = {
        "no": int(values["no"]),
        "category": values.get("category", ""),
        "text": values.get("text", ""),
        "deadline": deadline,
        "due": parse_deadline(deadline, plan_year) if deadline else None,
        "units": split_unit_cell(raw_of.get("units", "")),
        "task_id": None,
        "start_line": row.start_line,
        "end_line": row.end_line,
        "cells": dict(zip(table.header, row.cells)),
    }
    if values.get("title"):
        record["title"] = values["title"]
    if values.get("support"):
        record["support"] = split_unit_cell(raw_of["support"])
    if was_carried:
        record["carried"] = was_carried
    if row.no_inferred:
        record["no_inferred"] = True
    return record


def parse_annex(lines: list[str], first_line: int, plan_year: int | None,
                cell_tables: list[SourceTable] = ()) -> tuple[list[dict], list[dict]]:
    """``lines``: the raw lines of the annex part of one plan, starting at line ``first_line``;
    ``cell_tables``: the tables among them that a .docx/.pdf reader read cell by cell."""
    numbered = list(enumerate(lines, start=first_line))
    tables, unparsed = _find_tables(numbered, cell_tables)
    records = []
    for table in tables:
        roles, kind = column_roles(table.header), table_kind(table.title, table.header)
        carried: dict = {}
        rows = []
        for row in table.rows:
            rec = _row_record(kind, table, roles, row, carried, plan_year)
            if rec is None:
                unparsed.append({"start_line": row.start_line, "end_line": row.end_line,
                                 "reason": "台账中无序号的行，无法确定所属任务 / annex row without a number"})
            else:
                rows.append(rec)
        unparsed.extend(table.stray)
        records.append({
            "title": table.title,
            "kind": kind,
            "header": table.header,
            "layout": table.layout,
            "start_line": table.start_line,
            "end_line": table.end_line,
            "rows": rows,
        })
    return records, unparsed


# --- linking ledger rows to the body tasks they repeat -----------------------------------------

def _pairs(text: str) -> set[str]:
    chars = [c for c in text if not c.isspace() and c not in "，。、；：“”（）《》"]
    return {a + b for a, b in zip(chars, chars[1:])}


def link_rows(tables: list[dict], tasks: list[dict]) -> None:
    """Set ``task_id`` (and ``link_score``) of every ledger row that repeats a body task."""
    task_pairs = [(t, _pairs(t["text"])) for t in tasks]
    for table in tables:
        if table["kind"] not in ("task_ledger", "key_projects"):
            continue
        for row in table["rows"]:
            pairs = _pairs(row["text"])
            if not pairs:
                continue
            best, score = None, 0.0
            for task, tp in task_pairs:
                s = len(pairs & tp) / len(pairs)
                if s > score:
                    best, score = task, s
            if best is not None and score >= LINK_THRESHOLD:
                row["task_id"] = best["task_id"]
                row["link_score"] = round(score, 3)
