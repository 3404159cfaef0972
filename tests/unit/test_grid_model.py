"""A grid's block request answered on a frame: AG Grid's sort and filter models over the whole view."""
import pandas as pd
import pytest

from dashboards.grid_model import Window, block, filtered, sorted_by

VIEW = pd.DataFrame({
    "task_id": ["T1", "T2", "T3", "T4", "T5"],
    "title": ["加强大气污染防治", "土壤监测", "大气执法检查", None, "水源地保护"],
    "days_overdue": [12, None, 3, 40, 0],
    "source": ["b.docx", "a.pdf", "a.pdf", "c.txt", "b.docx"],
    "line": [9, 30, 4, 1, 2],
})


def test_request_becomes_a_window():
    w = Window.from_request({"startRow": 100, "endRow": 200, "sortModel": [{"colId": "days_overdue", "sort": "desc"}],
                             "filterModel": {"title": {"filterType": "text", "type": "contains", "filter": "大气"}}})
    assert (w.start, w.end, w.sort) == (100, 200, (("days_overdue", True),))
    assert w.filters["title"]["filter"] == "大气"
    assert Window.from_request({}) == Window(0, 100)


def test_text_filters_match_chinese_and_treat_missing_as_blank():
    contains = {"title": {"filterType": "text", "type": "contains", "filter": "大气"}}
    assert list(filtered(VIEW, contains)["task_id"]) == ["T1", "T3"]
    not_contains = {"title": {"filterType": "text", "type": "notContains", "filter": "大气"}}
    assert list(filtered(VIEW, not_contains)["task_id"]) == ["T2", "T4", "T5"]
    assert list(filtered(VIEW, {"title": {"filterType": "text", "type": "blank"}})["task_id"]) == ["T4"]
    either = {"title": {"filterType": "text", "operator": "OR",
                        "conditions": [{"type": "startsWith", "filter": "土壤"}, {"type": "endsWith", "filter": "保护"}]}}
    assert list(filtered(VIEW, either)["task_id"]) == ["T2", "T5"]


def test_number_filters_and_combined_columns():
    over = {"days_overdue": {"filterType": "number", "type": "greaterThan", "filter": 5}}
    assert list(filtered(VIEW, over)["task_id"]) == ["T1", "T4"]
    between = {"days_overdue": {"filterType": "number", "type": "inRange", "filter": 0, "filterTo": 12}}
    assert list(filtered(VIEW, between)["task_id"]) == ["T1", "T3", "T5"]
    both = {**over, "title": {"filterType": "text", "type": "notBlank"}}
    assert list(filtered(VIEW, both)["task_id"]) == ["T1"]


def test_unknown_filter_or_column_is_refused_in_both_languages():
    with pytest.raises(ValueError, match="no such column"):
        filtered(VIEW, {"nope": {"filterType": "text", "type": "contains", "filter": "x"}})
    with pytest.raises(ValueError, match="不支持"):
        filtered(VIEW, {"title": {"filterType": "text", "type": "regex", "filter": "x"}})


def test_sort_puts_missing_last_and_uses_the_columns_a_label_is_made_of():
    assert list(sorted_by(VIEW, (("days_overdue", True),))["task_id"]) == ["T4", "T1", "T3", "T5", "T2"]
    by_source = sorted_by(VIEW, (("source", False),), {"source": ["source", "line"]})
    assert list(by_source["task_id"]) == ["T3", "T2", "T5", "T1", "T4"]


def test_block_cuts_the_sorted_filtered_view_and_counts_it():
    rows, total = block(VIEW, Window(1, 3, (("days_overdue", False),),
                                     {"days_overdue": {"filterType": "number", "type": "notBlank"}}))
    assert total == 4 and list(rows["task_id"]) == ["T3", "T1"]
    rows, total = block(VIEW, Window(100, 200))
    assert total == 5 and rows.empty


# The same view as a table of DuckDB: its own order is list_order; blanks of every kind, case, numbers.
SQL_VIEW = pd.DataFrame({
    "task_id": ["T1", "T2", "T3", "T4", "T5", "T6", "T7"],
    "title": ["加强大气污染防治", "土壤监测", "大气执法检查", None, "水源地保护", "\u3000 ", "PM2.5 Monitoring"],
    "days_overdue": [12, None, 3, 40, 0, 3, 12],
    "source": ["b.docx", "a.pdf", "a.pdf", "c.txt", "b.docx", "a.pdf", "B.docx"],
    "line": [9, 30, 4, 1, 2, 4, 9],
    "list_order": [5, 3, 1, 7, 2, 6, 4],
})
WINDOWS = [
    Window(0, 100),
    Window(0, 3, (("days_overdue", True),)),
    Window(2, 5, (("days_overdue", False), ("title", True))),
    Window(0, 100, (("source", False),)),
    Window(0, 100, filters={"title": {"filterType": "text", "type": "contains", "filter": "大气"}}),
    Window(0, 100, filters={"title": {"filterType": "text", "type": "notContains", "filter": "大气"}}),
    Window(0, 100, filters={"title": {"filterType": "text", "type": "equals", "filter": "pm2.5 monitoring"}}),
    Window(0, 100, filters={"title": {"filterType": "text", "type": "notEqual", "filter": "土壤监测"}}),
    Window(0, 100, filters={"title": {"filterType": "text", "type": "blank"}}),
    Window(0, 100, filters={"title": {"filterType": "text", "type": "notBlank"}}),
    Window(0, 100, filters={"source": {"filterType": "text", "operator": "OR", "conditions": [
        {"type": "startsWith", "filter": "B"}, {"type": "endsWith", "filter": ".TXT"}]}}),
    Window(0, 100, (("title", False),), {"days_overdue": {"filterType": "number", "type": "inRange", "filter": 0,
                                                          "filterTo": 12}}),
    Window(0, 100, filters={"days_overdue": {"filterType": "number", "type": "notEqual", "filter": 3}}),
    Window(1, 2, filters={"days_overdue": {"filterType": "number", "operator": "AND", "conditions": [
        {"type": "greaterThanOrEqual", "filter": 3}, {"type": "lessThan", "filter": 40}]}}),
    Window(0, 100, filters={"days_overdue": {"filterType": "number", "type": "equals", "filter": 12},
                            "title": {"filterType": "text", "type": "notBlank"}}),
]


@pytest.mark.parametrize("window", WINDOWS, ids=range(len(WINDOWS)))
def test_sql_over_a_view_answers_a_window_as_the_frame_does(window):
    """A view that is one query is cut by DuckDB: the same rows, in the same order, the same count."""
    import duckdb

    from dashboards.data import View, view_sql
    from dashboards.grid_model import sql_window
    columns = ["task_id", "title", "days_overdue", "source", "line"]
    frame = SQL_VIEW.sort_values("list_order").reset_index(drop=True)
    expected, total = block(frame, window)
    con = duckdb.connect()
    con.register("v", SQL_VIEW)
    w = sql_window(window, columns)
    sql = view_sql(View("select * from v", {}, ("list_order",)), columns, w.where, w.order)
    got = con.execute(f"select task_id from ({sql}) limit {window.end - window.start} offset {window.start}",
                      w.params).fetchall()
    count = con.execute(f"select count(*) from v {w.where}", w.params).fetchone()[0]
    assert [t for (t,) in got] == list(expected["task_id"]) and count == total


def test_sql_windows_refuse_what_the_frame_refuses():
    from dashboards.grid_model import sql_window
    with pytest.raises(ValueError, match="no such column"):
        sql_window(Window(filters={"list_order; drop": {"filterType": "text", "type": "contains", "filter": "x"}}),
                   ["task_id"])
    with pytest.raises(ValueError, match="no such column"):
        sql_window(Window(sort=(("list_order", False),)), ["task_id"])
    with pytest.raises(ValueError, match="不支持"):
        sql_window(Window(filters={"task_id": {"filterType": "number", "type": "regex", "filter": 1}}), ["task_id"])
    w = sql_window(Window(filters={"task_id": {"filterType": "text", "type": "contains", "filter": "'; drop"}}),
                   ["task_id"])
    assert "drop" not in w.where and w.params == {"w0": "'; drop"}  # values are parameters, never SQL text


@pytest.mark.parametrize("request_, reason", [
    ({"sortModel": [{"colId": "password_hash", "sort": "asc"}]}, "no such column: password_hash"),
    ({"sortModel": [{"colId": "line", "sort": "asc"}]}, "no such column: line"),  # in the view, not shown
    ({"filterModel": {"secret": {"filterType": "text", "type": "contains", "filter": "x"}}}, "no such column"),
    ({"filterModel": {"days_overdue": {"filterType": "number", "type": "equals", "filter": "abc"}}}, "needs a number"),
    ({"filterModel": {"days_overdue": {"filterType": "number", "type": "equals", "filter": None}}}, "needs a number"),
    ({"filterModel": {"days_overdue": {"filterType": "number", "type": "inRange", "filter": 1}}}, "needs a number"),
    ({"filterModel": {"title": {"filterType": "text", "type": "contains", "filter": {"$ne": 1}}}}, "needs text"),
    ({"filterModel": {"title": {"filterType": "set", "type": "contains", "filter": "x"}}}, "unsupported filter kind"),
    ({"filterModel": {"title": "x"}}, "malformed filter"),
    ({"filterModel": {"title": {"filterType": "text", "operator": "AND",
                                "conditions": [{"type": "contains", "filter": "x"}] * 11}}}, "too many"),
    ({"startRow": "ten"}, "startRow must be a number"),
    ({"sortModel": "title"}, "malformed sort or filter model"),
    ("not a dict", "malformed grid request"),
])
def test_a_bad_grid_request_is_refused_with_its_reason(request_, reason):
    """Issue 25: forged grid callbacks (an unknown or hidden column, a non-numeric number filter) answered
    500; now a BadGridRequest (the callback answers 400 with it), Chinese first."""
    from dashboards.grid_model import BadGridRequest
    shown = ["task_id", "title", "days_overdue", "source"]  # the view has "line" too, never shown
    with pytest.raises(BadGridRequest, match=reason) as refused:
        Window.from_request(request_, shown)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(refused.value).split(" / ")[0])


def test_a_block_is_bounded_whatever_end_row_says():
    from dashboards.grid_model import MAX_BLOCK_ROWS, MAX_START_ROW
    w = Window.from_request({"startRow": 0, "endRow": 1e30})
    assert (w.start, w.end) == (0, MAX_BLOCK_ROWS)
    w = Window.from_request({"startRow": 1e30, "endRow": 1e30})
    assert w.start == MAX_START_ROW and w.end - w.start <= MAX_BLOCK_ROWS
    assert Window.from_request({"startRow": 20, "endRow": 5}) == Window(20, 20)
    assert len(block(VIEW, Window.from_request({"endRow": 1e30}))[0]) == len(VIEW)
    checked = Window.from_request({"filterModel": {"days_overdue": {"filterType": "number", "type": "inRange",
                                                                    "filter": "0", "filterTo": 12}}})
    assert list(filtered(VIEW, checked.filters)["task_id"]) == ["T1", "T3", "T5"]  # numbers as numbers
