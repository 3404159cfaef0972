"""Downloaded tables: headers in the reader's language, and no cell a spreadsheet would evaluate."""
import pandas as pd

from dashboards.tables import CSV_BY_DUCKDB_FROM, csv_text, labelled


def test_formula_like_text_is_made_inert_and_numbers_stay_numbers():
    df = pd.DataFrame({"title": ["=HYPERLINK(\"http://x\")", "+1", "@SUM(A1)", "推进中", None],
                       "days_overdue": [-1, 2, 3, 4, 5]})
    out = labelled(df, "zh")
    assert list(out.columns) == ["任务", "逾期天数"]
    assert list(out["任务"][:4]) == ["'=HYPERLINK(\"http://x\")", "'+1", "'@SUM(A1)", "推进中"]
    assert out["任务"].isna().iloc[4]
    assert list(out["逾期天数"]) == [-1, 2, 3, 4, 5]
    assert list(labelled(df, "en").columns) == ["Task", "Days overdue"]


def test_csv_text_is_what_pandas_writes():
    df = pd.DataFrame({
        "地区": ["阳泉市", "晋城市", None, "含,逗号", "含\"引号\"", "两\n行"],
        "completion_rate": [0.3333333333333333, 1.0, None, 0.5, 1e-07, 12345.678],
        "tasks": pd.array([1, 2, None, 4, 5, 6], dtype="Int64"),
        "n": [1, 2, 3, 4, 5, 6],
        "success": [True, False, True, True, False, True],
        "at": pd.to_datetime(["2024-06-30 10:00:00.123456"] * 6),
    })
    large = pd.concat([df] * (CSV_BY_DUCKDB_FROM // len(df) + 1), ignore_index=True)  # written by DuckDB
    assert csv_text(large) == large.to_csv(index=False)
    assert csv_text(df) == df.to_csv(index=False) and csv_text(df.head(0)) == df.head(0).to_csv(index=False)
