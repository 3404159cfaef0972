"""One way to write a value for people (dashboards/formats.py): the Python and the SQL rules give the same
text, Beijing time is UTC+8, and the judged thresholds read from their data file."""
import datetime as dt

import duckdb
import pytest

from dashboards import formats
from dashboards.thresholds import Threshold


@pytest.fixture(scope="module")
def con():
    with duckdb.connect() as c:
        yield c


def test_people_formats():
    assert formats.percent(0.4894) == "48.9%" and formats.percent(1) == "100.0%" and formats.percent(None) == "—"
    assert formats.number(141600) == "141,600" and formats.number(35.25) == "35.25" and formats.number(1.0) == "1"
    assert formats.day("2023-12-31", "zh") == "2023年12月31日" and formats.day(dt.date(2023, 1, 5), "zh") == "2023年1月5日"
    assert formats.day("2023-12-31", "en") == "2023-12-31" and formats.day(None, "zh") == ""
    assert formats.month("2023-07", "zh") == "2023年7月" and formats.month("2023-07", "en") == "2023-07"
    # 23:32 UTC is 07:32 the next morning in Beijing
    assert formats.moment("2023-12-31T23:32:00+00:00", "zh") == "2024年1月1日 07:32"
    assert formats.moment(dt.datetime(2023, 12, 31, 23, 32), "en") == "2024-01-01 07:32"
    assert formats.task_name("新绛县2023土壤计划", 5, "zh") == "新绛县2023土壤计划 第5条"
    assert formats.source_name("新绛县土壤计划", 304, "zh") == "新绛县土壤计划 第304行"
    assert formats.source_name("Plan", 304, "en") == "Plan line 304"


def test_display_text_loses_markdown_and_printed_line_breaks_only():
    printed = "**PM2.5**平均浓度下降到\n35微克/立方米以下"
    assert formats.plain(printed) == "PM2.5平均浓度下降到35微克/立方米以下"
    assert formats.plain("`NO2` 达标") == "NO2 达标" and formats.plain("## 一、目标") == "一、目标"
    assert formats.plain(None) == ""
    assert "\n\n" in formats.plain("第一段\n\n第二段")  # paragraphs stay apart


@pytest.mark.parametrize("value", [0.4894, 1.0, 0.0, 0.33333, None])
def test_percent_sql_is_percent(con, value):
    (got,) = con.execute(f"select {formats.percent_sql('$v')}", {"v": value}).fetchone()
    assert got == formats.percent(value)


@pytest.mark.parametrize("value", [0, 7, 141600, 1234567, 35.25, 0.333333, 0.0999, 1.999, 1234.5, -2.004, None])
def test_number_sql_is_number(con, value):
    (got,) = con.execute(f"select {formats.number_sql('$v::double')}", {"v": value}).fetchone()
    assert got == formats.number(value)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("value", ["2023-12-31", "2021-05-01", None])
def test_day_and_month_sql_are_day_and_month(con, lang, value):
    (day,) = con.execute(f"select {formats.day_sql('$v', lang)}", {"v": value}).fetchone()
    assert day == formats.day(value, lang)
    period = value[:7] if value else None
    (month,) = con.execute(f"select {formats.month_sql('$v', lang)}", {"v": period}).fetchone()
    assert month == formats.month(period, lang)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_moment_sql_is_moment(con, lang):
    (got,) = con.execute(f"select {formats.moment_sql('$v', lang)}", {"v": "2023-12-31 23:32:00"}).fetchone()
    assert got == formats.moment(dt.datetime(2023, 12, 31, 23, 32), lang)


def test_task_and_source_names_in_sql(con):
    row = con.execute(f"select {formats.task_name_sql('$p', '$n', 'zh')}, {formats.source_name_sql('$p', '$l', 'zh')}",
                      {"p": "新绛县2023土壤计划", "n": 5, "l": 304}).fetchone()
    assert row == (formats.task_name("新绛县2023土壤计划", 5, "zh"), formats.source_name("新绛县2023土壤计划", 304, "zh"))


def test_thresholds_judge_both_directions():
    higher = Threshold("completion_rate", True, 0.8, 0.6, "", "")
    assert [higher.judge(v) for v in (0.818, 0.8, 0.7, 0.304, None)] == ["green", "green", "amber", "red", None]
    lower = Threshold("overdue_share", False, 0.02, 0.1, "", "")
    assert [lower.judge(v) for v in (0.0, 0.05, 0.5)] == ["green", "amber", "red"]


def test_the_thresholds_file_is_complete():
    from pathlib import Path
    from dashboards.thresholds import _load
    loaded = _load(str(Path(__file__).resolve().parents[2] / "data" / "reference"))
    assert {"completion_rate", "due_completion_rate", "reporting_rate", "overdue_share", "targets_met_share",
            "targets_risk_share"} <= set(loaded)
    assert all(t.label_zh and t.label_en for t in loaded.values())


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("row", [("阳泉市", "市生态环境局", "2023-12", "2023-12", "progress"),
                                 ("芮城县", None, "2023-01", "2023-12", "observations"),
                                 ("新绛县", "县住建局", "2023-08", None, None),
                                 (None, None, None, None, None)])
def test_submission_name_sql_is_submission_name(con, lang, row):
    (got,) = con.execute(f"select {formats.submission_name_sql('$r', '$u', '$a', '$b', '$k', lang)}",
                         dict(zip("ruabk", row))).fetchone()
    assert got == formats.submission_name(*row, lang)


def test_a_submission_is_named_by_whose_report_of_which_month():
    assert formats.submission_name("阳泉市", "市生态环境局", "2023-12", "2023-12", "progress", "zh") == \
        "阳泉市 市生态环境局 2023年12月 报表"
    assert formats.submission_name("芮城县", None, "2023-01", "2023-12", "observations", "zh") == \
        "芮城县 2023年1月–2023年12月 监测数据"
    assert formats.submission_name("阳泉市", "市生态环境局", "2023-12", None, "progress", "en") == \
        "阳泉市 市生态环境局 report 2023-12"
    assert formats.submission_name(None, None, None, None, None, "zh") == ""  # unreadable: the file's name instead
