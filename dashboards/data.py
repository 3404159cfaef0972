"""Every query the dashboard makes, against the newest published snapshot, opened read-only.

The dashboard never opens the build database: the pipeline may be writing it. Filters arrive as the
page's URL query (a dict of strings) and become SQL parameters, never SQL text.
"""
from __future__ import annotations

import functools
import json
import threading
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
from flask import g, has_request_context

from dashboards import formats
from dashboards.i18n import TEMPLATE_HEADER
from dashboards.grid_model import SqlWindow, quoted
from pipelines.config import data_paths
from pipelines.warehouse.publish import kept_snapshot_path, serving_snapshot


@dataclass
class SnapshotInfo:
    name: str
    published_at: str
    run_id: str
    manifest: dict


_connections: dict[str, duckdb.DuckDBPyConnection] = {}
_lock = threading.Lock()


class NoSnapshot(LookupError):
    """Nothing published (or kept) to read: pages say so, routes answer 503 (see app.py)."""


def _current_path() -> str:
    """The snapshot this request reads: resolved once per request, so a page rendered while a new
    snapshot is published is wholly old or wholly new, never a mix. When CURRENT is broken, the newest
    complete kept snapshot (snapshot_fallback() says why)."""
    if has_request_context() and "plankpi_snapshot" in g:
        return g.plankpi_snapshot
    path, fallback = serving_snapshot(data_paths().serving)
    if path is None:
        raise NoSnapshot("尚无已发布的数据快照 / no published snapshot yet")
    if has_request_context():
        g.plankpi_snapshot, g.plankpi_fallback = str(path), fallback
    return str(path)


def snapshot_fallback() -> str | None:
    """Why this request reads a kept snapshot instead of the one CURRENT names (None: CURRENT is sound)."""
    if has_request_context():
        try:
            _current_path()
        except NoSnapshot:
            return None
        return g.get("plankpi_fallback")
    return serving_snapshot(data_paths().serving)[1]


def pin_snapshot(name: str | None) -> None:
    """This request reads the snapshot file ``name`` — the one its page was rendered from — while it is
    still kept: a grid's later blocks then match the page they sit in, across a publication. A name
    that is not a kept snapshot's (pruned, or forged) leaves the request on the newest."""
    path = kept_snapshot_path(data_paths().serving, name) if name and has_request_context() else None
    if path is not None:
        g.plankpi_snapshot = str(path)


def _snapshot_connection() -> duckdb.DuckDBPyConnection:
    """One read-only connection per published snapshot, opened once (opening costs ~20 ms; a query on
    an open one ~1 ms). A snapshot file is never written after publication, so holding it is safe.
    Connections to older snapshots stay open until the pipeline prunes their files (requests still
    rendering from them finish on them)."""
    key = _current_path()
    with _lock:
        if key not in _connections:
            for path in [p for p in _connections if not Path(p).exists()]:
                _connections.pop(path).close()
            _connections[key] = duckdb.connect(key, read_only=True)
        return _connections[key]


_recorded = threading.local()


@contextmanager
def recording():
    """Collects (sql, params) of every query made inside the block on this thread: the benchmark replays
    them on a bare connection to compare a callback with the queries it makes."""
    _recorded.queries = []
    try:
        yield _recorded.queries
    finally:
        _recorded.queries = None


CACHE_ENTRIES = 512  # per worker process; a province's pages hold a few MB each at most
_cache: OrderedDict = OrderedDict()


def _key(params) -> tuple:
    items = params.items() if isinstance(params, dict) else enumerate(params or [])
    return tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in items)


def _cached(sql: str, params, kind: str, fetch):
    """``fetch(cursor)`` after running ``sql`` on this request's snapshot, kept (least recently used out)
    under (snapshot, kind, sql, params): a published snapshot never changes, so a page many readers open
    is computed once per worker and snapshot; a new snapshot is new keys."""
    key = (_current_path(), kind, sql, _key(params))
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    # Recorded only when it runs: a query a page asks twice in one render costs it once, and the benchmark's
    # bare replay must not count the cache's answer as work the page was spared.
    if getattr(_recorded, "queries", None) is not None:
        _recorded.queries.append((sql, params))
    with _snapshot_connection().cursor() as cursor:  # a cursor per query: callbacks run on several threads
        found = fetch(cursor.execute(sql, params or []))
    with _lock:
        _cache[key] = found
        while len(_cache) > CACHE_ENTRIES:
            _cache.popitem(last=False)
    return found


def _query(sql: str, params: list | dict | None = None) -> pd.DataFrame:
    """The result of ``sql`` as a frame (cached, see _cached); callers get their own copy."""
    return _cached(sql, params, "frame", lambda cursor: cursor.df()).copy()


def _records(sql: str, params: dict) -> list[dict]:
    """The rows of ``sql`` as the grid takes them (dicts, null for missing), straight from DuckDB: a block
    DuckDB has already cut needs no frame in between. Cached (see _cached); callers must not change them."""
    def as_dicts(cursor) -> list[dict]:
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]
    return _cached(sql, params, "records", as_dicts)


_memos: list = []  # the per_snapshot functions' memos


def clear_cache() -> None:
    """Forget every result (the benchmark's cold runs; tests that change a snapshot in place)."""
    with _lock:
        _cache.clear()
    for memo in _memos:
        memo.cache_clear()


def snapshot_info() -> SnapshotInfo | None:
    """The manifest of the snapshot this request reads (None before the first publication)."""
    try:
        path = Path(_current_path())
    except NoSnapshot:
        return None
    return _info(str(path))


@functools.lru_cache(maxsize=8)
def _info(path: str) -> SnapshotInfo:
    """A snapshot's manifest, read once (a province's lists every input file: megabytes of JSON)."""
    manifest_path = Path(path).with_suffix(".json")
    m = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else {}
    return SnapshotInfo(Path(path).name, m.get("published_at", ""), m.get("run_id", ""), m)


def per_snapshot(maxsize: int = 8):
    """Memoises a function of what the request's snapshot holds (and of its arguments), per snapshot: a
    published snapshot never changes. For what every page asks again (the headline, a province's filter
    values); callers share the result and must not change it."""
    def wrap(fn):
        @functools.lru_cache(maxsize=maxsize)
        def on(snapshot: str, *args):
            return fn(*args)
        _memos.append(on)

        @functools.wraps(fn)
        def call(*args):
            return on(_current_path(), *args)
        return call
    return wrap


@dataclass(frozen=True)
class View:
    """A table that is one query of the snapshot: its rows (``sql``, in no order), their ``params``, and
    the view's own order (SQL over the columns of ``sql``, written here, never from a request; ``unique``
    when it tells every two rows apart). A grid's block of it is cut by DuckDB (view_block) and its
    download written by DuckDB (write_csv)."""
    sql: str
    params: dict
    order: tuple[str, ...]
    unique: bool = False
    # a column numbering the rows 1..n in the view's own order (a mart's list_order): a block of the view
    # in that order, of every row, is a range of it — a filter DuckDB takes down to the table's scan, so
    # the words of a view are written for the rows shown, not for every row before the cut
    position: str | None = None
    # a relation holding exactly the view's rows (the mart it reads, or a subquery of it without parameters): how many the view has
    # is its count, asked without the view's words (and, for a first block read by position, in the same query)
    rows_of: str | None = None
    # the view's SQL before words were written for people (see worded): the same rows, what a count reads
    unworded: str = ""
    # the view's rows are few (one region's tasks: tens to hundreds): a block of them is cut after writing
    # every row's words, in one read of the table, not by the block's keys first (two reads of it, which
    # pays only when a province's 141,600 rows would otherwise all be worded)
    few: bool = False


def worded(view: View, sql: str, relabeled=()) -> View:
    """The view as ``sql`` writes it for people — the same rows (a select * replace … over view.sql), each
    with its words — keeping what its rows are made of: a grid's count reads those, not the words
    (DuckDB wrote every row's words for a count of a province's 141,600 tasks). A position column whose
    values ``relabeled`` rewrites no longer numbers the rows."""
    return View(sql, view.params, view.order, view.unique, view.position if view.position not in relabeled else None,
                view.rows_of, view.unworded or view.sql, view.few)


def view_sql(view: View, columns: list[str], where: str = "", sort: list[str] | tuple = ()) -> str:
    """The view's rows that pass ``where``, in the grid's ``sort``, then the view's own order, then (unless
    that is unique) by every shown column: an order without ties among rows that look different, so
    blocks fetched one after another neither repeat nor skip a row."""
    keys = [*sort, *view.order, *([] if view.unique else (f"{quoted(c)} asc nulls last" for c in columns))]
    return f"select * from ({view.sql}) {where} order by {', '.join(keys)}"


def view_frame(view: View, columns: list[str]) -> pd.DataFrame:
    """The whole view, its ``columns`` in its order."""
    return _query(f"select {', '.join(map(quoted, columns))} from ({view_sql(view, columns)})", view.params)


def view_block(view: View, columns: list[str], window: SqlWindow, start: int, end: int,
               regions: frozenset | None = None) -> tuple[list[dict], int]:
    """Rows [start, end) of the view as the grid's ``window`` (grid_model.sql_window) filters and sorts
    it, and how many rows pass; with ``regions``, a leader's, only the rows of those regions."""
    where, params = in_regions(window.where, {**view.params, **window.params}, regions)
    whole = not where and not window.order  # every row, in the view's own order
    if whole and view.position:  # a range of the position, and the count of its relation beside it
        counted = f', (select count(*) from {view.rows_of}) as "__rows"' if view.rows_of else ""
        found = _records(f"""select {', '.join(map(quoted, columns))}{counted} from ({view.sql})
                             where {quoted(view.position)} between $first and $last
                             order by {quoted(view.position)}""", {**params, "first": start + 1, "last": end})
        if found and view.rows_of:
            return [{c: r[c] for c in columns} for r in found], int(found[0]["__rows"])
        rows = found
    elif view.unique and len(view.order) == 1 and view.order[0].isidentifier() and not view.few:
        # the block's keys first, then its rows: DuckDB computes a view's words (dates, names, labels: the
        # columns made in SQL for people) below its top-N, for every row of the view — a province's
        # 141,600 tasks for a block of 100. The keys' query needs none of them, so none are made.
        key = quoted(view.order[0])
        block = f"where {key} in (select {key} from ({view_sql(view, columns, where, window.order)}) limit $limit offset $offset)"
        rows = _records(f"select {', '.join(map(quoted, columns))} from ({view_sql(view, columns, block, window.order)})",
                        {**params, "limit": end - start, "offset": start})
    else:
        rows = _records(f"""select {', '.join(map(quoted, columns))} from ({view_sql(view, columns, where, window.order)})
                            limit $limit offset $offset""", {**params, "limit": end - start, "offset": start})
    if 0 < len(rows) < end - start or start == 0 and not len(rows):
        return rows, start + len(rows)  # the last block: the count is known without counting
    if view.rows_of and not where:
        return rows, int(_query(f"select count(*) as n from {view.rows_of}")["n"].iat[0])
    counted = view.unworded if view.unworded and not window.where else view.sql  # a grid filter may read the words
    return rows, int(_query(f"select count(*) as n from ({counted}) {where}", params)["n"].iat[0])


def in_regions(where: str, params: dict, regions: frozenset | None) -> tuple[str, dict]:
    """``where`` narrowed to the rows of ``regions`` (a leader's scope; None: all)."""
    if regions is None:
        return where, params
    return ((where + " and " if where else "where ") + "region in (select unnest($scope))",
            {**params, "scope": sorted(regions)})


def inputs_view(lang: str = "zh") -> View:
    """Every input file the snapshot was built from, with its checksum and how it landed: the manifest's
    inputs (publish writes them from the run's records of plan files and ingested files, which mart_input_files holds
    whole), read from the snapshot itself — a province's 28,000 files are a query, not a frame built from
    megabytes of JSON. Each named as people name it (a plan file by its notice, a submission by its
    region, unit and periods), the file name beside it; in the mart's list_order (plan files, then
    submissions as they landed), whose ranges are the grid's first blocks: only the rows shown are named."""
    return View(f"""select input as kind,
                          case when input = 'plan' then coalesce(document_name, file_name)
                               else {_submission_name('m', lang)} end as source,
                          file_name as source_reference, file_checksum as sha256, status, rows_landed, rows_rejected,
                          landed_at, list_order
                   from marts.mart_input_files m""", {}, ("list_order",), unique=True, position="list_order",
                rows_of="marts.mart_input_files")


def _submission_name(alias: str, lang: str) -> str:
    """SQL of a submission file as people name it (formats.submission_name) from mart_input_files (or a
    mart carrying its fields), or by its file's name when its rows said nothing."""
    return formats.submission_name_sql(f"{alias}.region", f"{alias}.unit", f"{alias}.period_first",
                                       f"{alias}.period_last", f"{alias}.kind", lang, unnamed=f"{alias}.file_name")


# --- overview -------------------------------------------------------------------------------------

def _among(regions: frozenset | None, column: str = "region") -> tuple[str, dict]:
    """The condition that keeps the rows of ``regions`` (a leader's) and its parameter; none at all for a
    reader of every region: DuckDB plans a query before it sees its parameters, so "$regions is null or …"
    still ran the scope's semi-join (on the plan chart, over a province's 141,600 tasks) for every reader."""
    if regions is None:
        return "true", {}
    return f"{column} in (select unnest($regions))", {"regions": sorted(regions)}


@per_snapshot()
def headline() -> dict:
    """The snapshot's one row of headline figures (mart_headline), as Python values (None where there is
    none): its row straight from DuckDB, not a frame of 39 columns cut back to one row (7 ms CPU against
    2.6 at 2,000 documents, on every page: each reads the as-of date)."""
    return dict(_records("select * from marts.mart_headline", {})[0])


def scope_headline(scope: str) -> dict:
    """The headline figures over the regions below ``scope`` (a leader's own region)."""
    return {**headline(), **_query("select * from marts.mart_scope_headline where scope = ?", [scope]).iloc[0].to_dict()}


def scope_regions(scope: str) -> frozenset:
    return frozenset(_query("select region from marts.mart_region_scopes where scope = ?", [scope])["region"])


def default_scope() -> str | None:
    """The scope of a reader without a region (the bulletin's default: pipelines.bulletin.numbers)."""
    from pipelines.bulletin import DEFAULT_SCOPE_SQL
    region = _query(DEFAULT_SCOPE_SQL)["region"].iat[0]
    return region if isinstance(region, str) else None


# The scope key of a reader of every region in the per-scope marts of the overview (mart_scope_*); a
# leader's is their own region.
ALL_REGIONS = "*"


def scope_completion(scope: str, limit: int) -> dict[str, pd.DataFrame]:
    """What the overview draws of completion for ``scope`` (a leader's region; ALL_REGIONS: a reader of
    every region), in one point lookup of mart_scope_completion: the ``limit`` plans and regions of lowest
    completion (no rate last; "plan", "region"), with in ``listed`` how many the scope holds, and every
    region of the scope ("map", the map's colours)."""
    df = _query("""select dimension, rank, dimension_value, dimension_label, tasks_total, tasks_with_due_date,
                          tasks_completed, completion_rate, tasks_due, due_completion_rate, tasks_overdue,
                          tasks_ongoing, listed
                   from marts.mart_scope_completion
                   where scope = $scope and (rank <= $limit or dimension = 'region')
                   order by dimension, rank""", {"scope": scope, "limit": limit})
    bars = {d: (df[(df["dimension"] == d) & (df["rank"] <= limit)].drop(columns=["dimension", "rank"])
                .reset_index(drop=True)) for d in ("plan", "region")}
    regions = (df[df["dimension"] == "region"][["dimension_value", "completion_rate", "tasks_total", "tasks_completed",
                                                "tasks_with_due_date", "tasks_overdue"]]
               .rename(columns={"dimension_value": "region"}).reset_index(drop=True))
    return {**bars, "map": regions}


def lowest_completion(dimension: str, scope: str = ALL_REGIONS, limit: int = 30) -> pd.DataFrame:
    """The ``limit`` plans or regions of lowest completion of ``scope`` (scope_completion)."""
    return scope_completion(scope, limit)[dimension]


def _reference(source: str, line: str, location: str) -> str:
    """SQL of the reference a reader traces a row by: file:line, and where that line sits in a .docx or
    .pdf — 计划.pdf:212（第7页第3行）."""
    return f"coalesce({source} || ':' || {line}, {source}) || coalesce('（' || nullif({location}, '') || '）', '')"


# A target's status as the order people read it in: what is missed first, then at risk, on track, met (the
# /targets page's sections; a target's rank in that order is mart_target_attainment.status_rank).
STATUS_ORDER = ("missed", "at_risk", "on_track", "met", "no_data")


def targets_view(region: str | None = None, kpi: str | None = None, status: str | None = None) -> View:
    """Every target with its attainment and the sentence it was printed in (an allocated 省下达 target: its
    document and the plan sentence that took it on, mart_target_attainment.commitment_*), of one region,
    KPI and status or all; missed first, then at risk, on track, met, binding targets before stretch ones (the
    mart's list_order, which it is stored in: the first block of every target is a range of it)."""
    conditions = [c for c, given in (("region = $region", region), ("kpi = $kpi", kpi), ("status = $status", status))
                  if given]
    return View(f"""select target_id, region, year, kpi, kpi_name_zh, kpi_name_en, indicator, comparator,
                           target_value, unit, stretch, threshold, direction, kpi_unit, rank_of, baseline,
                           baseline_year, actual, months_reported, gap, progress_from_baseline, status,
                           status_reason, source, line, line_text, {_reference('source', 'line', 'location')} as reference,
                           plan_title,
                           value_source, allocated_document, commitment_text, commitment_line,
                           {_reference('commitment_source', 'commitment_line', 'commitment_location')} as commitment_reference,
                           commitment_plan_title,
                           status_rank, list_order
                    from marts.mart_target_attainment t {'where ' + ' and '.join(conditions) if conditions else ''}""",
                {k: v for k, v in (("region", region), ("kpi", kpi), ("status", status)) if v},
                ("list_order",), unique=True,
                # a filtered view's rows are not 1..n, nor the table's count
                position=None if conditions else "list_order",
                rows_of=None if conditions else "marts.mart_target_attainment")


def target_attainment(region: str | None = None, kpi: str | None = None, status: str | None = None) -> pd.DataFrame:
    view = targets_view(region, kpi, status)
    return _query(view_sql(view, []), view.params)


def _most_overdue_sql(limit: int, regions: frozenset | None) -> tuple[str, dict]:
    """The first ``limit`` tasks' ids are cut first and only their rows written (a reference each) — not
    every overdue task's, as a window count and the top-N over the written rows did."""
    among, params = _among(regions)
    return (f"""select task_id, region, plan_title, no, title, lead_units, due_date::varchar as due_date,
                       due_basis, days_overdue, {_reference('source', 'start_line', 'location')} as source,
                       start_line, (select count(*) from marts.mart_overdue_tasks where {among}) as listed
                from marts.mart_overdue_tasks
                where task_id in (select task_id from marts.mart_overdue_tasks where {among}
                                  order by days_overdue desc, task_id limit $limit)
                order by days_overdue desc, task_id""",
            {"limit": limit, **params})


def most_overdue(limit: int = 10, regions: frozenset | None = None) -> pd.DataFrame:
    """The ``limit`` most overdue tasks — of ``regions`` (a leader's) when given: the scope is
    applied before the cut, so a city's leader sees the city's ten, not the province's ten filtered — and
    in ``listed`` how many overdue tasks there are in all."""
    return _query(*_most_overdue_sql(limit, regions))


def most_overdue_rows(limit: int, scope: str = ALL_REGIONS) -> list[dict]:
    """The ``limit`` most overdue tasks of ``scope`` (a leader's region: cut after the scope, a city's leader
    sees the city's ten; ALL_REGIONS: every region) as dicts, by a point lookup of mart_scope_overdue, and
    in ``listed`` how many overdue tasks the scope has in all."""
    return _records(f"""select task_id, region, plan_title, no, title, lead_units, due_date::varchar as due_date,
                               due_basis, days_overdue, {_reference('source', 'start_line', 'location')} as source,
                               start_line, listed
                        from marts.mart_scope_overdue where scope = $scope and rank <= $limit order by rank""",
                    {"scope": scope, "limit": limit})


def task_outputs(limit: int, scope: str = ALL_REGIONS) -> list[dict]:
    """Output quantities planned against reported of ``scope`` (mart_scope_outputs, cut after the scope): the
    ``limit`` least advanced of those with a figure put against them, then those without one; in ``listed``
    how many outputs the scope has, in ``reported`` how many have a figure (rows as dicts)."""
    return _records("""select target_id, task_id, plan_title, no, title, region, indicator, target_value,
                              target_value_hi, measure_unit, reported_value, reported_period, output_rate,
                              listed, reported
                       from marts.mart_scope_outputs where scope = $scope and rank <= $limit order by rank""",
                    {"scope": scope, "limit": limit})


def unit_ranking(ends: int, scope: str = ALL_REGIONS) -> list[dict]:
    """The ``ends`` first and ``ends`` last of the units of ``scope`` with lead tasks due (mart_scope_unit_ranking:
    by on-time completion then reporting, the 红黑榜 of a monthly 通报), each with its ``rank`` and how many
    are ``ranked``: a province has thousands of units, the page shows ten. Rows as dicts."""
    return _records("""select region, unit, lead_tasks, lead_on_time_rate, lead_completion_rate, lead_overdue,
                              reporting_rate, rank, ranked
                       from marts.mart_scope_unit_ranking
                       where scope = $scope and (rank <= $ends or rank > ranked - $ends) order by rank""",
                    {"scope": scope, "ends": ends})


def scope_months(scope: str, states: tuple[str, ...]) -> pd.DataFrame:
    """The tasks of ``scope`` (a leader's region and the regions below it) at every month end, one row a
    month, oldest first (mart_scope_months: one point lookup): how many in each of ``states`` (a column
    each, 0 when none), all of them (scope_tasks), the completed and those with a due date, and the scope's
    rate."""
    return _query(f"""select month_end::varchar as month_end, {''.join(quoted(s) + ', ' for s in states)}scope_tasks,
                             tasks_completed, tasks_with_due_date, completion_rate
                      from marts.mart_scope_months where scope = $scope order by month_end""", {"scope": scope})


# --- plans & tasks --------------------------------------------------------------------------------

TASK_FILTERS = ("region", "plan", "domain", "category", "unit", "role", "status", "overdue")


def task_facet(facet: str) -> tuple[str, dict]:
    """The values of one task filter (region, plan, domain, category, unit), as a query of ``value`` and
    ``label``: a plan's value is its plan_id and a unit's its 地区/单位 key (mart_task_facets)."""
    return "select value, label from marts.mart_task_facets where facet = $facet", {"facet": facet}


def facet_key(facet: str, given: str, region: str | None = None) -> tuple[dict | None, list[dict]]:
    """The value of task filter ``facet`` a URL's ``given`` means, as its mart_task_facets row (value, label,
    name, region): itself when it is a value (a plan_id, a unit's 地区/单位); a name (an old link by a
    plan's title or a unit's name alone) when exactly one value bears it — within ``region`` when the page
    filters one. Else None, and the values it could mean (several: the reader chooses; none: unknown) —
    never several plans or offices merged under one name."""
    found = _query("""select value, label, name, region, value = $given as exact from marts.mart_task_facets
                      where facet = $facet
                        and (value = $given or name = $given and ($region is null or region = $region))
                      order by exact desc, label, value""", {"facet": facet, "given": given, "region": region})
    rows = found.drop(columns="exact").to_dict("records")
    if len(rows) == 1 or rows and bool(found["exact"].iat[0]):
        return rows[0], []
    return None, rows


def _listed(source: tuple[str, dict], chosen: str | None, text: str | None, limit: int | None) -> list[dict]:
    """The options a filter offers, in order, from ``source`` (a query of ``value`` and ``label``): the
    chosen one first (when it is one of them), then by label — with ``text``, those whose label holds it,
    any case — the first ``limit`` + 1, and in ``matching`` how many match."""
    sql, params = source
    match = "where contains(lower(label), lower($text)) or value is not distinct from $chosen" if text else ""
    return _records(f"""select value, label, count(*) over () as matching from (
                          select value, coalesce(any_value(label), value) as label from ({sql})
                          where value is not null group by value) {match}
                      order by value is not distinct from $chosen desc, label, value
                      limit $limit""",
                  {**params, **({"text": text} if text else {}), "chosen": chosen,
                   "limit": None if limit is None else limit + 1})


def listed_options(source: tuple[str, dict], chosen: str | None = None, text: str | None = None,
                   limit: int | None = None) -> tuple[list[dict], int]:
    """The options ({label, value}) a filter offers from ``source``: the chosen one first (when it is one
    of them), then the first ``limit`` others — with ``text``, those whose label holds it, any case — and
    how many there are (with ``text``: that match, the chosen one included). A province's filters hold
    thousands of values (7,200 plans): the page carries a hundred and DuckDB finds the rest as the reader
    types."""
    found = _listed(source, chosen, text, limit)  # rows, not a frame: every page's filters ask
    options = [{"label": r["label"], "value": r["value"]} for r in found]
    if options and options[0]["value"] != chosen and limit is not None:
        options = options[:limit]  # the chosen value is not among them: the limit holds others only
    return options, int(found[0]["matching"]) if found else 0


def listed_values(source: tuple[str, dict], chosen: str | None = None, text: str | None = None,
                  limit: int | None = None) -> tuple[list[str], int]:
    """The values of listed_options, in its order, and how many there are."""
    options, total = listed_options(source, chosen, text, limit)
    return [o["value"] for o in options], total


def task_filter_options(chosen: dict[str, str | None], limits: dict[str, int | None]) -> dict[str, tuple[list[dict], int]]:
    """What listed_options gives for each task filter of ``limits`` (a task_facet source, no text typed) —
    the chosen value first (when it is one of them), then the first ``limit`` others by label (all for
    None), and how many values the filter has — for all of them in one query: mart_task_facets numbers
    each facet's values by label (label_order) and counts them (facet_values) in the build, so the page's
    first paint reads a few hundred rows by range instead of sorting and counting 51,200 units and 7,200
    plans once per filter."""
    facets = sorted(limits)
    widest = max((n for n in limits.values() if n is not None), default=0) + 1
    # three disjoint reads, not one scan with an OR: the first rows of each facet, the facets listed whole,
    # the chosen values further down (at 2,000 documents 16 ms CPU instead of 23 under load, same rows)
    found = _records("""select facet, value, label, label_order, facet_values from marts.mart_task_facets
                        where facet in (select unnest($facets)) and label_order <= $widest
                        union all
                        select facet, value, label, label_order, facet_values from marts.mart_task_facets
                        where facet in (select unnest($whole)) and label_order > $widest
                        union all
                        select facet, value, label, label_order, facet_values from marts.mart_task_facets
                        where facet in (select unnest($facets)) and facet not in (select unnest($whole))
                          and label_order > $widest and value in (select unnest($chosen))
                        order by facet, label_order""",
                     {"facets": facets, "widest": widest, "whole": sorted(f for f in facets if limits[f] is None),
                      "chosen": sorted({v for f, v in chosen.items() if f in limits and v})})
    out: dict[str, tuple[list[dict], int]] = {f: ([], 0) for f in facets}
    for facet in facets:
        rows = [r for r in found if r["facet"] == facet]
        limit, value = limits[facet], chosen.get(facet)
        first = [r for r in rows if r["value"] == value]  # the chosen one first, then by label (label_order)
        ordered = first + [r for r in rows if r["value"] != value]
        if limit is not None:  # as _listed's "limit + 1", then listed_options' cut when the chosen is not listed
            ordered = ordered[:limit + 1] if first else ordered[:limit]
        out[facet] = ([{"label": r["label"], "value": r["value"]} for r in ordered],
                      int(rows[0]["facet_values"]) if rows else 0)
    return out


# --- a responsible unit's own view -------------------------------------------------------------------

def unit_tasks(region: str, unit: str, period: str = "") -> pd.DataFrame:
    """The tasks the unit is named in (as lead, support or implementer), by urgency: overdue first, then
    the ones to report in ``period`` (mart_unit_obligations) not yet reported, then the rest."""
    return _query("""
        with due_now as (
            select task_id, bool_or(unit_reported) as reported from marts.mart_unit_obligations
            where region = $region and unit = $unit and period = $period group by task_id
        )
        select s.task_id, min(case u.role when 'lead' then 0 when 'support' then 1 else 2 end) as role_rank,
               s.plan_title, s.no, s.title, s.due_date, s.status_class as status, s.latest_status, s.latest_period,
               case when s.is_overdue then 0 when n.task_id is not null and not n.reported then 1 else 2 end
                   as urgency
        from marts.mart_task_status s join marts.mart_task_units u using (task_id)
        left join due_now n using (task_id)
        where s.region = $region and u.unit = $unit
        group by all order by urgency, s.due_date nulls last, s.plan_title, s.no""",
                  {"region": region, "unit": unit, "period": period})


def unit_period(region: str, unit: str, period: str) -> dict:
    """What the unit must report for ``period`` (mart_unit_obligations: int_reporting_obligations, the one
    rule): how many tasks, by when, and how many it has reported."""
    row = _query("""select count(distinct task_id) as tasks, min(due_date) as due_date,
                           count(distinct task_id) filter (where unit_reported) as reported
                    from marts.mart_unit_obligations
                    where region = ? and unit = ? and period = ?""", [region, unit, period]).iloc[0].to_dict()
    return {"period": period, **row}


def ingested_by(username: str) -> pd.DataFrame:
    return _query("""select file_checksum, status, rows_landed, rows_rejected, rows_blank, ingested_at
                     from raw.ingested_files where submitted_by = ?""", [username])


def column_types(sql: str, params: dict) -> dict[str, str]:
    """The columns of ``sql``'s result and their DuckDB types, without running it."""
    with _snapshot_connection().cursor() as cursor:
        cursor.execute(f"select * from ({sql}) limit 0", params)
        return {name: str(kind) for name, kind, *_ in cursor.description}


def write_csv(sql: str, params: dict, path: Path) -> None:
    """``sql``'s result as a CSV file written by DuckDB from the snapshot itself (header, comma, '"')."""
    if getattr(_recorded, "queries", None) is not None:
        _recorded.queries.append((sql, params))
    with _snapshot_connection().cursor() as cursor:
        cursor.execute(f"copy ({sql}) to '{path}' (header, delimiter ',', quote '\"')", params)


def snapshot_connection() -> duckdb.DuckDBPyConnection:
    """A cursor on this request's snapshot, for code outside the dashboard that takes a connection."""
    return _snapshot_connection().cursor()


def plan_files_view() -> View:
    """The plan files read this run (mart_input_files holds raw.plan_files whole), each named by its notice
    (the file's name kept as source_reference), the unreadable first: the grid's first blocks are ranges of
    the mart's plan_list_order, with the count beside them."""
    return View("""select coalesce(document_name, file_name) as source, kind as format, status, reason,
                          read_seconds as seconds, file_name as source_reference, file_checksum as checksum,
                          plan_list_order
                   from marts.mart_input_files where input = 'plan'""", {}, ("plan_list_order",), unique=True,
                position="plan_list_order", rows_of="(select * from marts.mart_input_files where input = 'plan')")


# One condition per filter the page sets (values stay parameters). Conditions for unset filters are left
# out rather than written "$x is null or …": DuckDB plans the query before it knows the parameters, so an
# unused unit filter would still join every task with its units (61 ms of a 141,600-task count).
_TASK_CONDITIONS = {
    "region": "s.region = $region",
    "plan": "s.plan_id = $plan",  # a plan is its plan_id: two plans may share a title
    "domain": "s.domain = $domain",
    "category": "s.category = $category",
    "status": "s.status_class = $status",
    "overdue": "s.is_overdue",
}
# a unit is (region, unit): 阳泉's and 晋城's 市生态环境局 are two offices
_UNIT_CONDITIONS = {"unit": "u.region = $unit_region and u.unit = $unit_name", "role": "u.role = $role"}


def _task_filter(f: dict) -> tuple[str, dict]:
    """The WHERE clause and parameters for the page's task filters (only the filters that are set)."""
    given = {k: f.get(k) for k in TASK_FILTERS if f.get(k) and (k != "overdue" or f.get(k) == "1")}
    conditions = [c for k, c in _TASK_CONDITIONS.items() if k in given]
    units = [c for k, c in _UNIT_CONDITIONS.items() if k in given]
    if units:
        conditions.append("exists (select 1 from marts.mart_task_units u where u.task_id = s.task_id and "
                          + " and ".join(units) + ")")
    params = {k: v for k, v in given.items() if k not in ("overdue", "unit")}
    if "plan" in given:  # an old link by title, when it names one plan; else no rows (the page says why)
        plan, _ = facet_key("plan", given["plan"], given.get("region"))
        params["plan"] = plan["value"] if plan else None
    if "unit" in given:
        unit, _ = facet_key("unit", given["unit"], given.get("region"))
        params["unit_region"], params["unit_name"] = (unit["region"], unit["name"]) if unit else (None, None)
    return ("where " + " and ".join(conditions)) if conditions else "", params


def task_view(f: dict) -> View:
    """The tasks of the page's query, as of the snapshot's as-of date, in the page's order (list_order: one
    integer, unique); the source reference's file and line kept apart to sort it by."""
    where, params = _task_filter(f)
    return View(f"""select s.task_id, s.region, s.plan_title, s.domain, s.category, s.no, s.title, s.lead_units,
                           s.due_date::varchar as due_date, s.due_basis, s.status_class as status, s.latest_status,
                           s.latest_status_code,
                           s.latest_period, s.days_overdue,
                           {_reference('s.source', 's.start_line', 's.location')} as source,
                           s.source as source_file, s.start_line, s.list_order
                    from marts.mart_task_status s {where}""", params, ("list_order",), unique=True,
                few="region" in params)  # a region's tasks (≈ 70 at 2,000 documents, hundreds at most)


def task(task_id: str) -> dict | None:
    """Everything the detail panel shows about one task."""
    # the columns the detail shows, not the mart's 47: a point lookup reads one vector of each column
    found = _query("""select task_id, region, plan_title, no, title, status_class, due_date, due_basis, source,
                             start_line, end_line, location
                      from marts.mart_task_status where task_id = ?""", [task_id])
    if found.empty:
        return None
    row = found.iloc[0].to_dict()
    return {
        "task": row,
        "lines": _query("""select line_no, location, text from marts.mart_task_lines
                           where task_id = ? order by line_no""", [task_id]),
        "units": _query("""select role, unit_printed, unit, members, propagated from marts.mart_task_units
                           where task_id = ? order by role_order""", [task_id]),
        "deadlines": _query("""select text, due_date, kind, source, line from marts.mart_task_deadlines
                               where task_id = ? order by seq""", [task_id]),
        "reports": _query("""select period, reporting_unit, status, percent, completed_on, output_done, narrative,
                                    file_name, row_number, received_at
                             from marts.mart_task_provenance where task_id = ?
                             order by period desc, ingested_at desc, row_number desc, file_name, reporting_unit""",
                          [task_id]),  # file and unit: rows of one batch tie on the rest (the order was the table's)
        # what the task delivers, counted (淘汰燃煤锅炉26台), each with the line it is printed on, and the
        # 累计完成量 reported against it (mart_task_outputs)
        "outputs": _query("""select indicator, comparator, target_value, target_value_hi, measure_unit, year, line,
                                    reported_value, reported_for_task, reported_period, outputs_of_task
                             from marts.mart_task_outputs where task_id = ? order by line""", [task_id]),
        "annex": _query("""select table_title, no, category, text, deadline, units, source, start_line, location,
                                  link_score
                           from marts.mart_task_annex where task_id = ? order by start_line""", [task_id]),
    }


# --- targets --------------------------------------------------------------------------------------

def kpi_options() -> list[dict]:
    """Every KPI with a trend or a target (kpi, kpi_name_zh, kpi_name_en), by code."""
    return _records("""select distinct kpi, kpi_name_zh, kpi_name_en from marts.mart_kpi_trends
                       union select distinct kpi, kpi_name_zh, kpi_name_en from marts.mart_target_attainment
                       order by kpi""", {})


def trend_keys(region: str | None = None, kpi: str | None = None, regions: frozenset | None = None,
               limit: int | None = None) -> tuple[list[tuple], int]:
    """(kpi, region, year) of every trend or target, one chart each, in order — the first ``limit`` — and
    how many there are; with ``regions`` (a leader's), only those regions' charts."""
    found = _query("""select kpi, region, year, count(*) over () as charts from (
                          select kpi, region, year from marts.mart_kpi_trends
                          where ($region is null or region = $region) and ($kpi is null or kpi = $kpi)
                          union select kpi, region, year from marts.mart_target_attainment
                          where ($region is null or region = $region) and ($kpi is null or kpi = $kpi))
                      where $regions is null or region in (select unnest($regions))
                      order by kpi, region, year limit $limit""",
                   {"region": region, "kpi": kpi, "regions": sorted(regions) if regions is not None else None,
                    "limit": limit})
    keys = list(zip(found["kpi"].tolist(), found["region"].tolist(), found["year"].tolist()))
    return keys, int(found["charts"].iat[0]) if len(found) else 0


# What traces an allocated (省下达) target (targets_view's columns): its document, the plan sentence that took
# it on and where that sentence is printed.
ALLOCATION_FIELDS = ("value_source", "allocated_document", "commitment_text", "commitment_plan_title",
                     "commitment_line", "commitment_reference")
# What a target's note under its chart is made of (targets_view's columns).
_CHART_TARGET_FIELDS = ("kpi", "region", "year", "status_rank", "stretch", "target_id", "status", "comparator",
                        "target_value", "unit", "direction", "threshold", "kpi_unit", "kpi_name_zh", "kpi_name_en",
                        "line_text", "plan_title", "line", "reference", *ALLOCATION_FIELDS)


def target_charts(region: str | None = None, kpi: str | None = None,
                  regions: frozenset | None = None) -> dict[tuple, dict]:
    """Every chart of the targets page: (kpi, region, year) -> its names, unit and lines (the first given),
    whether the year to date is judged, its ``months`` (mart_kpi_trends rows as dicts, in month order; none
    when the chart has no monthly numbers) and its ``targets`` (dicts, missed first, binding before
    stretch) — of one region and KPI or all; with ``regions`` (a leader's), only those regions'. Two plain
    queries fetched as rows and grouped in one pass: on the seeds a DuckDB list aggregate (ordered or
    list_sort) took 8–10 ms a query against 3–4 ms for the rows, and pandas grouping cost more than both."""
    given = {k: v for k, v in (("region", region), ("kpi", kpi)) if v}
    conditions = [f"{k} = ${k}" for k in given]
    if regions is not None:
        conditions.append("region in (select unnest($regions))")
        given["regions"] = sorted(regions)
    where = ("where " + " and ".join(conditions)) if conditions else ""
    view = targets_view(region, kpi)
    months = _records(f"""select kpi, region, year, month, period, value, ytd_value, file_name, row_number,
                                 kpi_name_zh, kpi_name_en, measure_unit, direction, target_threshold,
                                 stretch_threshold, year_rule
                          from marts.mart_kpi_trends {where} order by kpi, region, year, month""", given)
    targets = _records(f"select {', '.join(_CHART_TARGET_FIELDS)} from ({view.sql}) {where}", {**view.params, **given})
    charts: dict[tuple, dict] = {}
    for r in months:
        chart = charts.get((r["kpi"], r["region"], r["year"]))
        if chart is None:
            chart = charts[(r["kpi"], r["region"], r["year"])] = {**r, "months": [], "targets": [],
                                                                  "year_to_date_judged": False}
        chart["months"].append(r)
        for line in ("direction", "target_threshold", "stretch_threshold"):
            if chart[line] is None:
                chart[line] = r[line]
        chart["year_to_date_judged"] = chart["year_to_date_judged"] or r["year_rule"] != "level_at_date"
    for r in sorted(targets, key=lambda r: (r["status_rank"], r["stretch"], r["target_id"])):
        charts.setdefault((r["kpi"], r["region"], r["year"]),
                          {"kpi_name_zh": r["kpi_name_zh"], "kpi_name_en": r["kpi_name_en"], "months": [],
                           "targets": []})["targets"].append(r)
    return charts


def trend_regions() -> tuple[str, dict]:
    """The regions with a trend or a target, as a query of ``value``."""
    return ("""select region as value, region as label from marts.mart_kpi_trends
               union select region, region from marts.mart_target_attainment""", {})


# --- units ----------------------------------------------------------------------------------------

def unit_scorecard_view(region: str | None = None) -> View:
    """One row per unit: tasks by role, the lead role's completion and timeliness, reporting compliance."""
    return View("select * from marts.mart_unit_scorecard" + (" where region = $region" if region else ""),
                {"region": region} if region else {}, ("list_order",), unique=True,
                # one region's rows are not 1..n, nor the table's count
                position=None if region else "list_order", rows_of=None if region else "marts.mart_unit_scorecard")


def scorecard_regions() -> tuple[str, dict]:
    """The regions of the unit scorecard, as a query of ``value``."""
    return "select region as value, region as label from marts.mart_unit_scorecard", {}


# --- data quality ---------------------------------------------------------------------------------

def gx_view(run_id: str, lang: str = "zh") -> View:
    """The run's expectation results; the failing rows GX names (sample_unexpected: JSON of ids, kept for
    the tooltip and the download) written as people cite them — a task as 计划 第5条, a target as 计划 第304行,
    a submission row as 阳泉市 市生态环境局 2023年12月 报表 第5行 — each with its unexpected value (a failed
    yes/no check is the row alone), 等 N 项 when GX counted more than it listed."""
    return View(f"""
        -- materialized: each is read twice, and DuckDB would otherwise bind and optimize its query once per reader
        -- (on a province's snapshot most of this query's time went to planning it)
        with results as materialized (
            select row_number() over () as result_no, * from raw.validation_results where run_id = $run_id
        ),
        samples as (
            select result_no, column_name, unnest(items) as e, unnest(range(1, len(items) + 1)) as ord
            from (select result_no, column_name, from_json(sample_unexpected, '["json"]') as items
                  from results where json_valid(sample_unexpected))
        ),
        refs as materialized (  -- what each named row is, read once
            select result_no, ord, column_name, e, e ->> 'task_id' as task_id, e ->> 'target_id' as target_id,
                   e ->> 'dimension_value' as dimension_value,
                   regexp_extract(e ->> 'row_ref', '^(.*)#(\d+)$', 1) as row_file,
                   try_cast(regexp_extract(e ->> 'row_ref', '^(.*)#(\d+)$', 2) as integer) as row_no
            from samples
        ),
        files as (  -- the submissions named (a province has 28,000 files; a run's results name a few), once each
            select file_name, {_submission_name('m', lang)} as file_named
            from (select file_name, any_value(region) as region, any_value(unit) as unit, any_value(kind) as kind,
                         min(period_first) as period_first, max(period_last) as period_last
                  from marts.mart_input_files where file_name in (select row_file from refs) group by file_name) m
        ),
        located as (
            select x.*, t.plan_title as task_plan, t.no as task_no, g.plan_title as target_plan, g.line as target_line,
                   coalesce(m.file_named, x.row_file) as file_named, dp.plan_label
            from refs x
            -- each lookup narrowed to the ids the results name first (a few): joined whole, DuckDB read every
            -- task's plan title and number (a province's 141,600) to build the join's table, most of this query's time
            left join (select task_id, plan_title, no from marts.mart_task_status
                       where task_id in (select task_id from refs)) t on t.task_id = x.task_id
            left join (select target_id, p.plan_title, line from marts.mart_target_attainment
                       join marts.mart_plans p using (plan_id)
                       where target_id in (select target_id from refs)
                       union all
                       select target_id, plan_title, line from marts.mart_task_outputs
                       where target_id in (select target_id from refs)) g
                   on g.target_id = x.target_id
            left join files m on m.file_name = x.row_file
            left join marts.mart_plans dp on dp.plan_id = x.dimension_value
        ),
        named as (
            select result_no, ord,
                   coalesce({formats.task_name_sql('task_plan', 'task_no', lang)},
                            {formats.source_name_sql('target_plan', 'target_line', lang)},
                            {formats.source_name_sql('file_named', 'row_no', lang)},
                            plan_label, dimension_value,
                            case when json_type(e) <> 'OBJECT' then e ->> '$' end,
                            {"'(row not located)'" if lang == "en" else "'（未能定位的行）'"}) as who,
                   case when json_type(e) = 'OBJECT' then e ->> column_name end as found
            from located
        ),
        listed as (
            select result_no, count(*) as listed,
                   string_agg(who || case when found is null or lower(found) in ('true', 'false') then ''
                                          else {"' (' || found || ')'" if lang == "en" else "'（' || found || '）'"} end,
                              '{"; " if lang == "en" else "；"}' order by ord) as rows
            from named group by result_no
        )
        select r.suite, r.expectation, r.column_name, r.success, r.severity, r.observed_value, r.unexpected_count,
               l.rows || case when r.unexpected_count > l.listed
                              then {"' … ' || (r.unexpected_count - l.listed)::varchar || ' more'" if lang == "en"
                                    else "' 等，另 ' || (r.unexpected_count - l.listed)::varchar || ' 项'"}
                              else '' end as unexpected_rows,
               r.expectation as expectation_type, r.sample_unexpected
        from results r left join listed l using (result_no)""", {"run_id": run_id},
                ("success", "suite", "expectation"))


def gx_history_view(limit: int = 50) -> View:
    """Validation runs, newest first: an auditor sees the trend, not only the last run."""
    return View("""select run_id, min(validated_at) as validated_at, count(*) as expectations,
                          count(*) filter (where not success and severity = 'critical') as failed_critical,
                          count(*) filter (where not success and severity <> 'critical') as failed_warning
                   from raw.validation_results group by run_id order by validated_at desc limit $runs""",
                {"runs": limit}, ("validated_at desc",))


def dbt_view(run_id: str) -> View:
    return View("""select name, resource_type, status, failures, message
                   from raw.dbt_results where run_id = $run_id and resource_type in ('test', 'unit_test')""",
                {"run_id": run_id}, ("status <> 'pass' desc", "name"))


def quarantine_view(lang: str = "zh") -> View:
    """Every refused row and file with its reason (mart_quarantine, newest first): where it came from as people
    name it (阳泉市 市生态环境局 2023年12月 报表 第5行; the file and row kept as source_reference) and what it held,
    in the template's headers (进展状态：已完成；完成进度(%)：100), ids and working fields left to the JSON kept
    beside it; the grid's first blocks are ranges of the mart's list_order, named for the rows shown only."""
    shown = {code: header for code, (header, _) in TEMPLATE_HEADER.items() if code not in ("task_id", "task_text")}
    headers = "map {" + ", ".join(f"'{code}': '{header}'" for code, header in shown.items()) + "}"
    named = _submission_name('q', lang)
    return View(f"""select {formats.source_name_sql(named, 'q.row_number', lang)} as source,
                          q.column_name, q.rule, q.reason_zh, q.reason_en,
                          case when json_valid(q.original) and json_type(q.original::json) = 'OBJECT' then
                              array_to_string(list_filter(list_transform(json_keys(q.original),
                                  -- a map gives null for a key it lacks, as ->> for a field without a value
                                  lambda k: {headers}[k] || '{": " if lang == "en" else "："}' || (q.original::json ->> k)),
                                  lambda x: x is not null), '{"; " if lang == "en" else "；"}')
                          else q.original end as original,
                          q.quarantined_at,
                          q.file_name || coalesce('#' || q.row_number::varchar, '') as source_reference,
                          q.original as original_json, q.file_name, q.row_number, q.list_order
                   from marts.mart_quarantine q""", {}, ("list_order",), unique=True, position="list_order",
                rows_of="marts.mart_quarantine")


# --- supervision (issue 26): review queue, 督办, evidence --------------------------------------------
# The marts are h26a's (mart_review_queue, mart_escalations, mart_escalation_history, mart_evidence);
# a snapshot published before them has none: every function here then answers empty, never an error.

@per_snapshot()
def _relations() -> frozenset:
    """Every (schema, name) the snapshot holds: one query for all of a page's has_relation (the task
    detail asked four times, one query each)."""
    return frozenset((r["table_schema"], r["table_name"])
                     # DuckDB's catalogue functions: information_schema.tables is a view over them that
                     # costs twice as much (the task detail and /review ask it cold)
                     for r in _records("""select schema_name as table_schema, table_name from duckdb_tables()
                                          union all
                                          select schema_name, view_name from duckdb_views() where not internal""",
                                       {}))


def has_relation(schema: str, name: str) -> bool:
    """Whether the snapshot holds ``schema.name`` (an older snapshot lacks the supervision marts)."""
    return (schema, name) in _relations()


@per_snapshot(maxsize=64)
def has_column(schema: str, name: str, column: str) -> bool:
    return bool(len(_query("""select 1 from information_schema.columns
                              where table_schema = ? and table_name = ? and column_name = ?""", [schema, name, column])))


def _if_present(schema: str, name: str, sql: str, params) -> pd.DataFrame:
    return _query(sql, params) if has_relation(schema, name) else pd.DataFrame()


def review_queue(task_id: str) -> pd.DataFrame:
    """One task's reports awaiting review or returned (mart_review_queue: latest per task × unit), awaiting
    review first, oldest arrival first."""
    return _if_present("marts", "mart_review_queue", """
        select q.* from marts.mart_review_queue q where q.task_id = ?
        order by q.review_state <> 'pending_review', q.received_at, q.unit""", [task_id])


def review_queue_view() -> View:
    """/review's grid of reports awaiting review or returned (mart_review_queue: each unit's latest report
    row per task, its task's plan and number), in the mart's list_order: awaiting review first, oldest
    arrival first."""
    return View("""select task_id, report_key, task_title as title, plan_title, no, region, unit, period, review_state,
                          received_at, evidence_count, returned_reason, list_order
                   from marts.mart_review_queue""", {}, ("list_order",), unique=True, position="list_order",
                rows_of="marts.mart_review_queue")


def escalations_view() -> View:
    """/review's grid of 督办 (mart_escalations: one per task, its task's plan and number), in the mart's
    list_order: open ones first, oldest first."""
    return View("""select task_id, task_title as title, plan_title, no, region, lead_units, origin, reason, opened_on,
                          closed_on, last_note, list_order
                   from marts.mart_escalations""", {}, ("list_order",), unique=True, position="list_order",
                rows_of="marts.mart_escalations")


def unit_returned(region: str, unit: str) -> pd.DataFrame:
    """The unit's reports returned by the supervising office, with the reason (mart_review_queue)."""
    return _if_present("marts", "mart_review_queue", """
        select q.*, s.plan_title, s.no from marts.mart_review_queue q left join marts.mart_task_status s using (task_id)
        where q.region = ? and q.unit = ? and q.review_state = 'returned'
        order by q.returned_at desc, q.task_id""", [region, unit])


def unit_escalations(region: str, unit: str) -> pd.DataFrame:
    """Open 督办 of the tasks the unit is named in."""
    return _if_present("marts", "mart_escalations", """
        select e.*, s.plan_title, s.no from marts.mart_escalations e left join marts.mart_task_status s using (task_id)
        where e.is_open and e.region = ?
          and e.task_id in (select task_id from marts.mart_task_units where region = ? and unit = ?)
        order by e.opened_on, e.task_id""", [region, region, unit])


def task_evidence(task_id: str) -> pd.DataFrame:
    """The evidence files attached to one task as of the snapshot (mart_evidence)."""
    return _if_present("marts", "mart_evidence", """select sha256, filename, media_type, size_bytes, task_id, period,
                                                           unit, region, uploader, uploaded_at
                                                    from marts.mart_evidence where task_id = ?
                                                    order by uploaded_at, sha256""", [task_id])


def task_review_events(task_id: str) -> pd.DataFrame:
    """Every review decision on one task's reports, who and when and why (mart_review_history)."""
    return _if_present("marts", "mart_review_history", """
        select decided_at, actor, unit, period, decision, reason from marts.mart_review_history
        where task_id = ? order by seq""", [task_id])


def task_escalation_history(task_id: str) -> pd.DataFrame:
    """Every 督办 event of one task, rule-made and manual (mart_escalation_history)."""
    return _if_present("marts", "mart_escalation_history", """select on_day, origin, action, note, actor
                                                              from marts.mart_escalation_history where task_id = ?
                                                              order by on_day, origin = 'manual', seq""", [task_id])


def unit_names_task(region: str, unit: str, task_id: str) -> bool:
    """Whether the responsible unit (``region``, ``unit``) is one of the task's units (lead, support or
    implement): what a unit account may see of a task beyond its own page."""
    return bool(len(_query("""select 1 from marts.mart_task_units where task_id = ? and region = ? and unit = ?
                              limit 1""", [task_id, region, unit])))


def task_region(task_id: str) -> str | None:
    found = _query("select region from marts.mart_task_status where task_id = ?", [task_id])
    return None if found.empty else found["region"].iat[0]

