"""Every table the dashboard shows, by name, as a function of the page's URL query.

The page renders a table from here and the download buttons rebuild the same table from the same
query, so a download is exactly the view on screen (filters included), with the same labels.
"""
from __future__ import annotations

import functools
import tempfile
from pathlib import Path
from typing import Callable

import duckdb
import pandas as pd

from dashboards import access, data, formats, grid_model
from dashboards.auth import store
from dashboards.grid_model import Window, quoted
from dashboards.i18n import (DBT_STATUS, DOMAIN, DUE_BASIS, ESCALATION_ORIGIN, GX_EXPECTATION, GX_SEVERITY, GX_SUCCESS,
                             INPUT_KIND, INPUT_STATUS, TEMPLATE_HEADER,
                             PLAN_FILE_STATUS, PROGRESS_STATUS, REVIEW_STATE, ROLE, ROLE_OF_ACCOUNT, STATUS, TASK_STATUS,
                             YES_NO, column, lang_of, pick, t, target_label)


# What each table shows, in order: the grid's columns (known before any row is fetched) and the download's.
COLUMNS: dict[str, list[str]] = {
    "tasks": ["title", "task", "status", "due_date", "days_overdue", "lead_units", "region", "category", "domain",
              "due_basis", "latest_status", "latest_period", "source", "task_id", "source_reference", "status_code"],
    "overdue": ["title", "task", "lead_units", "due_date", "days_overdue", "due_basis", "region", "source", "task_id",
                "source_reference"],
    "targets": ["kpi_name_zh", "region", "year", "status", "target", "baseline", "actual", "gap",
                "progress_from_baseline", "source", "status_code", "source_reference"],
    "units": ["region", "unit", "lead_tasks", "support_tasks", "implement_tasks", "lead_completion_rate",
              "lead_on_time_rate", "lead_overdue", "reports_due", "reports_on_time", "reports_late",
              "reports_missing", "reporting_rate"],
    "gx": ["suite", "expectation", "column_name", "success", "severity", "observed_value", "unexpected_count",
           "unexpected_rows", "expectation_type", "sample_unexpected"],
    "gx_history": ["validated_at", "expectations", "failed_critical", "failed_warning", "run_id"],
    "dbt": ["name", "resource_type", "status", "failures", "message"],
    "inputs": ["kind", "source", "status", "rows_landed", "rows_rejected", "source_reference", "sha256"],
    "quarantine": ["source", "column_name", "reason_zh", "reason_en", "original", "quarantined_at", "rule",
                   "source_reference", "original_json"],
    "plan_files": ["source", "format", "status", "reason", "seconds", "source_reference", "checksum"],
    "my_tasks": ["title", "task", "my_role", "due_date", "status", "latest_status", "latest_period", "task_id"],
    "my_uploads": ["at", "acted_on", "ingest_status", "rows_landed", "rows_rejected", "rows_blank", "detail",
                   "checksum"],
    "audit_log": ["seq", "at", "actor", "action", "acted_on", "detail", "checksum"],
    "review_queue": ["task", "title", "region", "unit", "period", "review_state", "received_at", "evidence_count",
                     "returned_reason", "task_id", "report_key"],
    "escalations": ["task", "title", "region", "lead_units", "origin", "reason", "opened_on", "closed_on", "last_note",
                    "task_id"],
    "accounts": ["username", "role", "region", "unit", "disabled"],
}

# Columns a download carries and the screen does not: ids, file names and checksums (a reader traces a row
# by them; on screen they are the tooltip of the column named beside them).
HIDDEN = {"task_id", "source_reference", "status_code", "run_id", "sha256", "checksum", "expectation_type",
          "sample_unexpected", "rule", "original_json", "report_key"}
TOOLTIPS = {"task": "task_id", "title": "title", "source": "source_reference", "file": "sha256",
            "validated_at": "run_id", "detail": "detail", "reason_zh": "reason_zh", "reason_en": "reason_en",
            "original": "original_json", "message": "message", "expectation": "expectation_type",
            "unexpected_rows": "unexpected_rows", "narrative": "narrative", "lead_units": "lead_units",
            "target": "target", "acted_on": "acted_on"}


def _labels(codes: pd.Series, table: dict, lang: str) -> pd.Series:
    """Codes to words, once per distinct code (a province's table has 100,000s of rows, a few codes)."""
    return codes.map({c: pick(table, c, lang) for c in codes.dropna().unique()})


TASK_LABELS = {"status": TASK_STATUS, "domain": DOMAIN, "due_basis": DUE_BASIS}  # the task list's codes


def in_words(view: data.View, labels: dict[str, dict], lang: str) -> data.View:
    """The view with the codes of ``labels``' columns in the reader's words, as pick() says them (in SQL:
    a grid filters the words the reader sees), each code kept as <column>_code to sort by."""
    words = ", ".join(f"coalesce({_label_sql(quoted(c), table, lang)}, {quoted(c)}::varchar) as {quoted(c)}"
                      for c, table in labels.items())
    codes = ", ".join(f"{quoted(c)} as {quoted(c + '_code')}" for c in labels)
    return data.worded(view, f"select * replace ({words}), {codes} from ({view.sql})", relabeled=labels)


def tasks_for_people(view: data.View, lang: str) -> data.View:
    """The task view as people read it (formats.py): the task as 计划 第5条, dates and periods in words, the
    source as 计划 第304行 with the file reference kept for the tooltip and the download; the raw date and
    period kept to sort by."""
    shown = data.worded(view, f"""select * replace ({formats.day_sql('due_date', lang)} as due_date,
                                             {formats.month_sql('latest_period', lang)} as latest_period,
                                             coalesce({_label_sql('latest_status_code', PROGRESS_STATUS, lang)},
                                                      latest_status) as latest_status,
                                             {formats.source_name_sql('plan_title', 'start_line', lang)} as source),
                                 {formats.task_name_sql('plan_title', 'no', lang)} as task,
                                 source as source_reference, due_date as due_date_raw,
                                 latest_period as latest_period_raw
                          from ({view.sql})""")
    return in_words(shown, TASK_LABELS, lang)


def for_people(df: pd.DataFrame, kinds: dict[str, str], lang: str) -> pd.DataFrame:
    """A frame's columns of ``kinds`` (percent, number, day, month, moment) written as formats.py writes
    them, once per distinct value."""
    writers = {"percent": lambda v: formats.percent(v), "number": lambda v: formats.number(v),
               "day": lambda v: formats.day(v, lang), "month": lambda v: formats.month(v, lang),
               "moment": lambda v: formats.moment(v, lang)}
    for name, kind in kinds.items():
        if name in df.columns:
            values = df[name].astype(object)
            distinct = {v: writers[kind](v) for v in pd.unique(values.to_numpy()) if not formats.missing(v)}
            df[name] = values.map(lambda v: distinct.get(v, "") if not formats.missing(v) else "")
    return df


def overdue_table(query: dict, screen: bool = True) -> pd.DataFrame:
    """The most overdue tasks of the reader's regions (cut to the top N after the scope, never before); for
    a workbook (not ``screen``) its dates and days as values."""
    lang = lang_of(query)
    df = data.most_overdue(regions=access.region_scope())
    df["task"] = [formats.task_name(p, n, lang) for p, n in zip(df["plan_title"], df["no"])]
    df["source_reference"] = df["source"]
    df["source"] = [formats.source_name(p, n, lang) for p, n in zip(df["plan_title"], df["start_line"])]
    df["due_basis"] = _labels(df["due_basis"], DUE_BASIS, lang)
    if not screen:
        return df.assign(due_date=pd.to_datetime(df["due_date"], errors="coerce"))
    return for_people(df, {"due_date": "day", "days_overdue": "number"}, lang)


# The targets grid's columns by what they are made of: a block is sorted before its words are made.
_TARGET_SORT = {"kpi_name_zh": ["kpi"], "target": ["target_value"], "status": ["status_rank"],
                "status_code": ["status_rank"], "source": ["source", "line"], "source_reference": ["source", "line"]}
_TARGET_FIELDS = ["region", "year", "kpi_name_zh", "kpi_name_en", "comparator", "target_value", "unit", "direction",
                  "threshold", "kpi_unit", "stretch", "baseline", "actual", "gap", "progress_from_baseline", "status",
                  "reference", "plan_title", "line", *data.ALLOCATION_FIELDS]  # what a target's row in the grid is made of


# The targets' numbers (kept as numbers: sorted and filtered as such; written by the grid and the workbook)
_TARGET_NUMBERS = {"baseline": "number", "actual": "number", "gap": "number", "progress_from_baseline": "percent"}
GRID_NUMBERS = {"targets": _TARGET_NUMBERS}


def target_source(r: dict, lang: str) -> tuple[str, str]:
    """Where a target comes from, as people cite it, and its file reference (the tooltip): the plan line it is
    printed on; for a value allocated by the higher level (省下达, mart_target_attainment.value_source), its
    document and the plan line that took it on (commitment_*), when a plan has one."""
    if r["value_source"] != "allocated":
        return formats.source_name(r["plan_title"] or "", r["line"], lang), r["reference"]
    line = (formats.source_name(r["commitment_plan_title"] or "", r["commitment_line"], lang)
            if r["commitment_reference"] else t("no_commitment", lang))
    return (t("allocated_by", lang, doc=r["allocated_document"] or "") + ("；" if lang == "zh" else "; ") + line,
            r["commitment_reference"] or "")


def _target_in_words(r: dict, lang: str) -> dict:
    """One target's row of the grid and of its download (COLUMNS["targets"]): the target as printed, the KPI
    and the status in words (the code kept for the cell's colour), the source as people cite it; numbers
    stay numbers, missing ones None (the grid writes them: formats.GRID_FORMATTERS). A row at a time, no
    frame: the grid's block is DuckDB's rows."""
    stretch = ("（力争）" if lang == "zh" else " (stretch)") if r["stretch"] else ""
    source, reference = target_source(r, lang)
    return {"kpi_name_zh": r["kpi_name_en"] if lang == "en" else r["kpi_name_zh"], "region": r["region"],
            "year": r["year"], "status": None if formats.missing(r["status"]) else pick(STATUS, r["status"], lang),
            "target": target_label(r["comparator"], r["target_value"], r["unit"], r["direction"], r["threshold"],
                                   r["kpi_unit"], lang) + stretch,
            **{n: None if formats.missing(r[n]) else r[n] for n in _TARGET_NUMBERS},
            "source": source, "status_code": r["status"], "source_reference": reference}


def targets_table(query: dict) -> pd.DataFrame:
    """Every target of the view."""
    df = data.target_attainment(query.get("region") or None, query.get("kpi") or None, query.get("status") or None)
    return pd.DataFrame([_target_in_words(r, lang_of(query)) for r in df.to_dict("records")],
                        columns=COLUMNS["targets"])


def targets_block(query: dict, window: Window) -> tuple[list[dict], int]:
    """The window's targets, cut by DuckDB (words are made for the rows a grid shows, not for a province's
    8,400 targets), and how many there are."""
    view = data.targets_view(query.get("region") or None, query.get("kpi") or None, query.get("status") or None)
    block, total = data.view_block(view, _TARGET_FIELDS,
                                   grid_model.sql_window(window, COLUMNS["targets"], _TARGET_SORT),
                                   window.start, window.end)
    lang = lang_of(query)
    return [_target_in_words(r, lang) for r in block], total


def my_tasks_table(query: dict) -> pd.DataFrame:
    """The logged-in unit's tasks: the unit comes from the session, never from the query."""
    lang, acc = lang_of(query), access.account()
    df = data.unit_tasks(acc.region, acc.unit, str(data.headline()["as_of"])[:7]).drop(columns="urgency")
    df["my_role"] = df.pop("role_rank").map(lambda r: pick(ROLE, ("lead", "support", "implement")[r], lang))
    df["status"] = _labels(df["status"], TASK_STATUS, lang)
    df["task"] = [formats.task_name(p, n, lang) for p, n in zip(df["plan_title"], df["no"])]
    return for_people(df, {"due_date": "day", "latest_period": "month"}, lang)


def my_uploads_table(query: dict) -> pd.DataFrame:
    """The unit's uploads (from the audit log: every one, chosen in SQL before anything is cut) and, once
    a run has ingested them, how they landed."""
    acc = access.account()
    log = _audit_log(actor=acc.username)
    log = log[log["action"].isin(["upload", "upload_refused", "upload_rejected"])]
    landed = data.ingested_by(acc.username).rename(columns={"file_checksum": "checksum"})
    out = log.merge(landed, on="checksum", how="left")
    out["ingest_status"] = upload_status(out["action"], out["status"], lang_of(query))
    return for_people(out.drop(columns=["status"]), {"at": "moment"}, lang_of(query))


UPLOAD_STATUS = {"waiting": ("待入库", "Waiting for the next run"), "landed": ("已入库", "Landed"),
                 "partial": ("部分入库", "Partly landed"), "rejected": ("拒收", "Rejected"),
                 "duplicate": ("已入库（重复文件）", "Landed before (same file)")}


def upload_status(action: pd.Series, ingested: pd.Series, lang: str) -> pd.Series:
    """An upload's status as the unit reads it: refused at the upload, or what the pipeline made of it
    (待入库 until a run has ingested it)."""
    code = ingested.where(ingested.notna(), "waiting").where(action == "upload", "rejected")
    return code.map({c: pick(UPLOAD_STATUS, c, lang) for c in UPLOAD_STATUS})


def _audit_log(actor: str | None = None, action: str | None = None) -> pd.DataFrame:
    """The whole audit log (or an actor's, an action's: filtered before anything is cut, so a flood of
    one kind of entry never pushes another out of a view); what an action was done to is ``acted_on``
    here (the store's ``target``), not to be read as a KPI's target, which the targets table calls
    ``target``. Read again only when the log has grown (it is append-only); callers get their own copy."""
    return _audit_frame(str(store().path), actor, action, store().audit_last_seq()).copy()


@functools.lru_cache(maxsize=16)
def _audit_frame(_store: str, actor: str | None, action: str | None, _last_seq: int) -> pd.DataFrame:
    return pd.DataFrame(store().audit_log(actor=actor, action=action),
                        columns=["seq", "at", "actor", "action", "target", "detail", "checksum"]
                        ).rename(columns={"target": "acted_on"})


def audit_log_table(query: dict) -> pd.DataFrame:
    return for_people(_audit_log(), {"at": "moment"}, lang_of(query))


def accounts_table(query: dict) -> pd.DataFrame:
    lang = lang_of(query)
    df = pd.DataFrame([a.__dict__ for a in store().accounts()], columns=["username", "role", "region", "unit", "disabled"])
    df["role"] = df["role"].map(lambda r: pick(ROLE_OF_ACCOUNT, r, lang))
    df["disabled"] = df["disabled"].map(lambda d: pick(YES_NO, bool(d), lang))
    return df


def formatted(view: data.View, kinds: dict[str, str], labels: dict[str, dict], lang: str) -> data.View:
    """A view's columns of ``kinds`` written as formats.py writes them (in SQL: a grid filters the text the
    reader sees) and its codes of ``labels`` in words; each kept as <column>_raw to sort by."""
    shown = [f"{formats.SQL_WRITERS[kind](quoted(c), lang)} as {quoted(c)}" for c, kind in kinds.items()]
    shown += [f"coalesce({_label_sql(quoted(c), table, lang)}, {quoted(c)}::varchar) as {quoted(c)}"
              for c, table in labels.items()]
    raws = ", ".join(f"{quoted(c)} as {quoted(c + '_raw')}" for c in [*kinds, *labels])
    return data.worded(view, f"select * replace ({', '.join(shown)}), {raws} from ({view.sql})",
                       relabeled=[*kinds, *labels])


# How the views' values are written for people: (kinds of formats.py, code tables of i18n.py).
VIEW_FORMATS: dict[str, tuple[dict, dict]] = {
    "units": ({**{c: "percent" for c in ("lead_completion_rate", "lead_on_time_rate", "reporting_rate")},
               **{c: "number" for c in ("lead_tasks", "support_tasks", "implement_tasks", "lead_overdue",
                                        "reports_due", "reports_on_time", "reports_late", "reports_missing")}}, {}),
    "gx": ({"unexpected_count": "number"}, {"success": GX_SUCCESS, "severity": GX_SEVERITY,
                                            "expectation": GX_EXPECTATION}),
    "gx_history": ({"validated_at": "moment"}, {}),
    "dbt": ({"failures": "number"}, {"status": DBT_STATUS}),
    "plan_files": ({"seconds": "number"}, {"status": PLAN_FILE_STATUS}),
    "inputs": ({"rows_landed": "number", "rows_rejected": "number"}, {"kind": INPUT_KIND, "status": INPUT_STATUS}),
    "quarantine": ({"quarantined_at": "moment"}, {"column_name": TEMPLATE_HEADER}),
    "review_queue": ({"period": "month", "received_at": "moment", "evidence_count": "number"},
                     {"review_state": REVIEW_STATE}),
    "escalations": ({"opened_on": "day", "closed_on": "day"}, {"origin": ESCALATION_ORIGIN}),
}


def _view_for_people(name: str, view: data.View, lang: str) -> data.View:
    kinds, labels = VIEW_FORMATS[name]
    return formatted(view, kinds, labels, lang)


def _tasks_named(name: str, view: data.View, lang: str) -> data.View:
    """A view of rows about tasks (task_id, plan_title, no) for people, the task as 计划 第5条."""
    named = data.worded(view, f"""select *, coalesce({formats.task_name_sql('plan_title', 'no', lang)}, task_id) as task
                          from ({view.sql})""")
    return _view_for_people(name, named, lang)


def _run_id() -> str:
    info = data.snapshot_info()
    return info.run_id if info else ""


# Tables that are one query of the snapshot, as a data.View of the page's query: a grid's block is cut
# from them by DuckDB (sorted, filtered and counted over the whole view) and their CSV written by DuckDB;
# only the rows shown reach Python. A province has 141,600 tasks, 51,200 units, 28,000 input files.
QUERIES: dict[str, Callable[[dict], data.View]] = {
    "tasks": lambda query: tasks_for_people(data.task_view(query), lang_of(query)),
    "units": lambda query: _view_for_people("units", data.unit_scorecard_view(query.get("region") or None),
                                            lang_of(query)),
    "gx": lambda query: _view_for_people("gx", data.gx_view(_run_id(), lang_of(query)), lang_of(query)),
    "gx_history": lambda query: _view_for_people("gx_history", data.gx_history_view(), lang_of(query)),
    "dbt": lambda query: _view_for_people("dbt", data.dbt_view(_run_id()), lang_of(query)),
    "plan_files": lambda query: _view_for_people("plan_files", data.plan_files_view(), lang_of(query)),
    "inputs": lambda query: _view_for_people("inputs", data.inputs_view(lang_of(query)), lang_of(query)),
    "quarantine": lambda query: _view_for_people("quarantine", data.quarantine_view(lang_of(query)), lang_of(query)),
    # /review (issue 26): the reports awaiting review or returned, and the 督办
    "review_queue": lambda query: _tasks_named("review_queue", data.review_queue_view(), lang_of(query)),
    "escalations": lambda query: _tasks_named("escalations", data.escalations_view(), lang_of(query)),
}


def _view_table(name: str) -> Callable[[dict], pd.DataFrame]:
    return lambda query: data.view_frame(QUERIES[name](query), COLUMNS[name])


TABLES: dict[str, Callable[[dict], pd.DataFrame]] = {
    "overdue": overdue_table,
    "targets": targets_table,
    **{name: _view_table(name) for name in QUERIES},
    "my_tasks": my_tasks_table,
    "my_uploads": my_uploads_table,
    "audit_log": audit_log_table,
    "accounts": accounts_table,
}


# A grid's sort by a shown column, by what the column is made of: a label by its code, the source
# reference by file and line.
SORT_KEYS = {"tasks": {"status": ["status_code"], "domain": ["domain_code"], "due_basis": ["due_basis_code"],
                       "source": ["source_file", "start_line"], "source_reference": ["source_file", "start_line"],
                       "due_date": ["due_date_raw"], "latest_period": ["latest_period_raw"], "task": ["list_order"]},
             **{name: {c: [c + "_raw"] for c in [*kinds, *labels]} for name, (kinds, labels) in VIEW_FORMATS.items()}}
SORT_KEYS["quarantine"]["source"] = ["file_name", "row_number"]  # a row's name sorts by its file and row
# Tables that answer a grid's block themselves (words made for the rows shown only), when the grid sets
# no column filter: the rest are built whole (cached queries) and cut in pandas.
WINDOWED = {"targets": targets_block}


def _shown(name: str, table: Callable[..., pd.DataFrame]) -> Callable[..., pd.DataFrame]:
    """The table's COLUMNS; a leader of a city or county sees the rows of their regions only, on screen
    and in downloads."""
    def scoped(query: dict) -> pd.DataFrame:
        regions = access.region_scope()
        df = table(query)
        if regions is not None and "region" in df.columns:
            df = df[df["region"].isin(regions)].reset_index(drop=True)
        return df[COLUMNS[name]]
    return scoped


TABLES = {name: _shown(name, table) for name, table in TABLES.items()}


def rows(name: str, query: dict, window: Window) -> tuple[list[dict], int]:
    """The block of TABLES[name] a grid asks for, as the grid takes its rows, and how many rows the view
    has (after its filters)."""
    if name in QUERIES:
        regions = access.region_scope() if "region" in COLUMNS[name] else None
        return data.view_block(QUERIES[name](query), COLUMNS[name],
                               grid_model.sql_window(window, COLUMNS[name], SORT_KEYS.get(name)),
                               window.start, window.end, regions)
    fast = WINDOWED.get(name)
    if fast is not None and access.region_scope() is None and not window.filters:
        return fast(query, window)
    df, total = grid_model.block(TABLES[name](query), window)
    return grid_model.records(df), total


# What a workbook keeps as a number or a date (with the cell format that shows it as the screen does)
# rather than as the screen's text: the kinds of the views' columns whose raw value is <column>_raw.
SPREADSHEET_KINDS = {"tasks": {"due_date": "day"},
                     **{name: {c: k for c, k in kinds.items() if k in ("percent", "number", "day")}
                        for name, (kinds, _) in VIEW_FORMATS.items()}}


def spreadsheet_frame(name: str, query: dict) -> tuple[pd.DataFrame, dict[str, str]]:
    """The table as a workbook holds it: the screen's words, but its rates, counts and dates as numbers and
    dates (and which kind each such column is); a leader's regions only. Headers as on screen."""
    lang = lang_of(query)
    if name in VALUES_TABLES:
        table, kinds = VALUES_TABLES[name]
        return labelled(_shown(name, table)(query), lang), {column(c, lang): k for c, k in kinds.items()}
    kinds = SPREADSHEET_KINDS.get(name, {}) if name in QUERIES else {}
    if not kinds:
        return labelled(TABLES[name](query), lang), {}
    view, columns = QUERIES[name](query), COLUMNS[name]
    picked = ", ".join(f"{quoted(c + '_raw') if c in kinds else quoted(c)} as {quoted(c)}" for c in columns)
    df = data.view_frame(data.View(f"select {picked}, * exclude ({', '.join(map(quoted, columns))}) from ({view.sql})",
                                   view.params, view.order, view.unique), columns)
    regions = access.region_scope()
    if regions is not None and "region" in columns:
        df = df[df["region"].isin(regions)].reset_index(drop=True)
    for c, kind in kinds.items():
        if kind == "day":
            df[c] = pd.to_datetime(df[c], errors="coerce")
    return labelled(df, lang), {column(c, lang): kind for c, kind in kinds.items()}


# The tables built in pandas, as a workbook holds them: (the table with values, not words, for numbers; kinds).
VALUES_TABLES = {"targets": (targets_table, {**_TARGET_NUMBERS, "baseline": "value", "actual": "value",
                                             "gap": "value"}),
                 "overdue": (lambda query: overdue_table(query, screen=False), {"due_date": "day",
                                                                                "days_overdue": "number"})}


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# the same as a pattern: "x in ('=', …, chr(9))" made DuckDB join every text column with a list (30 ms a file)
_FORMULA_START_SQL = r"'^[=+\-@\t\r]'"


def _inert(values: pd.Series) -> pd.Series:
    """Text that a spreadsheet would run as a formula (=, +, -, @…) gets a leading apostrophe. Checked once
    per distinct value: a province's download has 50,000 rows and a few thousand distinct texts."""
    risky = [v for v in pd.unique(values.to_numpy()) if isinstance(v, str) and v.startswith(_FORMULA_START)]
    if not risky:
        return values
    hit = values.isin(risky)
    return values.where(~hit, "'" + values[hit].astype(str))


def labelled(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The frame as downloaded: headers in the reader's language, no text cell that Excel would evaluate."""
    out = frame.rename(columns={c: column(c, lang) for c in frame.columns})
    text = out.select_dtypes(include=["object", "string"]).columns
    for name in text:
        out[name] = _inert(out[name])
    return out


CSV_BY_DUCKDB_FROM = 5_000  # rows; below, handing the frame to DuckDB costs more than it saves


@functools.cache
def _csv_writer() -> duckdb.DuckDBPyConnection:
    """In memory, opened once per process (≈ 20 ms) and never before a worker forks; a cursor per
    download, each with its own view of the frame."""
    return duckdb.connect()


def csv_text(frame: pd.DataFrame) -> str:
    """The frame as CSV text, the same text pandas' to_csv writes; a large one written by DuckDB: a
    province's 51,200-row scorecard took 160 ms in pandas (formatting floats in Python), 80 ms so."""
    if len(frame) < CSV_BY_DUCKDB_FROM:
        return frame.to_csv(index=False)
    out = frame.copy(deep=False)
    for name in out.columns:
        if pd.api.types.is_bool_dtype(out[name]):  # True / False as pandas writes them, not true / false
            out[name] = out[name].map({True: "True", False: "False"})
    with tempfile.TemporaryDirectory() as folder, _csv_writer().cursor() as con:
        path = Path(folder) / "table.csv"
        con.register("frame", out)
        con.execute(f"copy frame to '{path}' (header, delimiter ',', quote '\"')")
        return path.read_text(encoding="utf-8")


def _label_sql(identifier: str, table: dict, lang: str) -> str:
    """SQL of pick() for the codes the table knows (null for any other)."""
    def literal(text: str) -> str:
        return "'" + text.replace("'", "''") + "'"
    return f"case {identifier} " + " ".join(f"when {literal(code)} then {literal(pick(table, code, lang))}"
                                            for code in table) + " end"


def _inert_sql(identifier: str) -> str:
    """SQL of _inert(): text a spreadsheet would evaluate gets an apostrophe; empty text is null, as pandas
    writes it."""
    return (f"nullif(case when regexp_matches({identifier}, {_FORMULA_START_SQL}) then '''' || {identifier} "
            f"else {identifier} end, '')")


def _as_written(name: str, kind: str) -> str:
    """SQL of column ``name`` as labelled() and csv_text() write it: text made inert, booleans as True /
    False."""
    identifier = quoted(name)
    if kind == "VARCHAR":
        return _inert_sql(identifier)
    if kind == "BOOLEAN":
        return f"case when {identifier} then 'True' when not {identifier} then 'False' end"
    return identifier


def csv_from_snapshot(name: str, query: dict) -> bytes:
    """The CSV of QUERIES[name] — the same text as csv_text(labelled(TABLES[name](query))) — written by
    DuckDB from the snapshot: a province's 141,600 tasks in 330 ms, where the frame's way took 960 (the
    rows into pandas, labelled, and formatted there)."""
    view, lang, columns = QUERIES[name](query), lang_of(query), COLUMNS[name]
    types = data.column_types(view.sql, view.params)
    shown = ", ".join(f"{_as_written(c, types[c])} as {quoted(column(c, lang))}" for c in columns)
    # a leader of a city or county: their regions' rows
    where, params = data.in_regions("", view.params, access.region_scope() if "region" in types else None)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "table.csv"
        data.write_csv(f"select {shown} from ({data.view_sql(view, columns, where)})", params, path)
        return path.read_bytes()
