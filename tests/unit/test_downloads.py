"""Downloaded tables: headers in the reader's language, and no cell a spreadsheet would evaluate."""
import pandas as pd

from dashboards.tables import labelled


def test_formula_like_text_is_made_inert_and_numbers_stay_numbers():
    df = pd.DataFrame({"title": ["=HYPERLINK(\"http://x\")", "+1", "@SUM(A1)", "推进中", None],
                       "days_overdue": [-1, 2, 3, 4, 5]})
    out = labelled(df, "zh")
    assert list(out.columns) == ["任务", "逾期天数"]
    assert list(out["任务"][:4]) == ["'=HYPERLINK(\"http://x\")", "'+1", "'@SUM(A1)", "推进中"]
    assert out["任务"].isna().iloc[4]
    assert list(out["逾期天数"]) == [-1, 2, 3, 4, 5]
    assert list(labelled(df, "en").columns) == ["Task", "Days overdue"]
