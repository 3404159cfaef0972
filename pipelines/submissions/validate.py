"""Row rules of the submissions contract, set-wise over a frame: each failure names its column and rule.

Every rule is (column, rule code, Chinese reason, English reason, mask of failing rows). A row that
fails any rule is quarantined once per failure; the rest land. A reason that quotes the row (what was found,
the units expected) is a function of the failing rows, written for those rows only: a batch holds millions of
rows and few of them fail, so texts are never built for the rows that land.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pandas as pd

from .authority import may_report, reporters_named
from .contract import OBSERVATION_OPTIONAL_COLUMNS, PERIOD_KINDS, STATUS_CODES

PERIOD_MONTHLY = r"^\d{4}-(0[1-9]|1[0-2])$"
PERIOD_ANY = r"^\d{4}(-(0[1-9]|1[0-2]))?$"


@dataclass
class Validated:
    good: pd.DataFrame
    bad: pd.DataFrame  # row_number, column_name, rule, reason_zh, reason_en, original (index: the row's label)


Reason = str | Callable[[pd.DataFrame], pd.Series]  # one text, or the text of each failing row


def _per_row(text: Reason, hit: pd.DataFrame):
    """A reason is one text, or a function giving the text of each failing row (it quotes the row)."""
    return text(hit).to_numpy() if callable(text) else text


def _text(part: Reason, rows: pd.DataFrame):
    return part(rows) if callable(part) else part


def _failures(frame: pd.DataFrame, rules: list[tuple]) -> pd.DataFrame:
    parts = []
    shown = [c for c in frame.columns if c != "row_number" and not c.startswith("_")]
    for column, rule, zh, en, mask in rules:
        mask = mask.fillna(True) if hasattr(mask, "fillna") else mask
        hit = frame.loc[mask.astype(bool)]
        if hit.empty:
            continue
        parts.append(pd.DataFrame({
            "row_number": hit["row_number"].astype(int),
            "column_name": column, "rule": rule, "reason_zh": _per_row(zh, hit), "reason_en": _per_row(en, hit),
            "original": [json.dumps({k: (None if pd.isna(v) else str(v)) for k, v in r.items()}, ensure_ascii=False)
                         for r in hit[shown].to_dict("records")],
        }, index=hit.index))
    if not parts:
        return pd.DataFrame(columns=["row_number", "column_name", "rule", "reason_zh", "reason_en", "original"])
    bad = pd.concat(parts)
    bad["_order"] = bad.index
    return bad.sort_values(["_order", "column_name"], kind="stable").drop(columns="_order")


def _split(frame: pd.DataFrame, rules: list[tuple]) -> Validated:
    bad = _failures(frame, rules)
    good = frame.loc[~frame.index.isin(bad.index)].copy()
    return Validated(good, bad)


def _plain(number: float) -> str:
    """A catalogue bound as written: 300, not 300.0; missing: no bound."""
    return "" if pd.isna(number) else (str(int(number)) if float(number).is_integer() else str(number))


def _duplicated(frame: pd.DataFrame, keys: list[str]) -> pd.Series:
    """Repeated keys within one file (``_file`` tells the files of a batch apart)."""
    return frame.duplicated(subset=[c for c in ("_file",) if c in frame] + keys, keep="first")


@dataclass
class Responsibilities:
    """Who may report on what, built once per ingest: every task, and every (task_id, unit) pair a unit
    may report under (canonical name, name printed in the plan, or an alias of its region)."""
    tasks: pd.Index
    pairs: pd.MultiIndex
    task_regions: pd.Series  # region by task_id
    task_units: pd.Series | None = None  # "市城管局、市住建局" by task_id: named in a unit-mismatch reason

    @classmethod
    def of(cls, pairs: pd.DataFrame, task_regions: pd.DataFrame, task_units: pd.DataFrame | None = None
           ) -> "Responsibilities":
        """``task_units``: (task_id, units), the task's units already listed as the reason names them."""
        units = task_units.set_index("task_id")["units"] if task_units is not None else None
        return cls(pd.Index(task_regions["task_id"].unique()),
                   pd.MultiIndex.from_frame(pairs[["task_id", "unit"]].drop_duplicates()),
                   task_regions.set_index("task_id")["region"], units)


def _shown(values: pd.Series) -> pd.Series:
    """A cell as a clerk's message quotes it: 读到"下周" (or 空白 for an empty cell)."""
    return ("读到\"" + values.astype("string").fillna("") + "\"").where(values.notna(), "未填写")


def _shown_en(values: pd.Series) -> pd.Series:
    return ("found \"" + values.astype("string").fillna("") + "\"").where(values.notna(), "found nothing")


def _found(column: str, header: str, expected_zh: Reason, expected_en: Reason) -> tuple[Reason, Reason]:
    """(zh, en) of each failing row: ``完成日期：读到"下周"，应为日期，如 2024-03-31`` — the template's header,
    what was found, what is expected (a text, or a function of the rows when it depends on the row)."""
    return (lambda rows: header + "：" + _shown(rows[column]) + "，" + _text(expected_zh, rows),
            lambda rows: column + " (" + header + "): " + _shown_en(rows[column]) + ", " + _text(expected_en, rows))


def _duplicate_reason(f: pd.DataFrame, keys: list[str], column: str, header: str, what_zh: str, what_en: str
                      ) -> tuple[Reason, Reason]:
    """Duplicates name both rows: the repeated row and the first row with the same keys (of the whole
    frame ``f``: the first row is not a failing one)."""
    group = [c for c in ("_file", "sheet") if c in f] + keys

    def first(rows: pd.DataFrame) -> pd.Series:
        firsts = f.groupby(group, dropna=False, sort=False)["row_number"].transform("first")
        return firsts.loc[rows.index].astype("Int64").astype("string")

    def zh(rows: pd.DataFrame) -> pd.Series:
        n = first(rows)
        return header + "：与第" + n + "行重复（" + what_zh + "相同），只保留第" + n + "行"

    def en(rows: pd.DataFrame) -> pd.Series:
        n = first(rows)
        return column + " (" + header + "): repeats row " + n + " (same " + what_en + "); row " + n + " is kept"
    return zh, en


def _sender_rule(f: pd.DataFrame, known_task: pd.Series, responsibilities: Responsibilities) -> tuple | None:
    """A file uploaded by a unit's account (``_sender_region``/``_sender_unit`` set) may report only as that
    unit and only for tasks of its region."""
    if "_sender_unit" not in f or f["_sender_unit"].isna().all():
        return None
    sent = f["_sender_unit"].notna()
    in_region = f["task_id"].map(responsibilities.task_regions).eq(f["_sender_region"])
    return ("reporting_unit", "sender_unit",
            lambda rows: "填报单位：" + _shown(rows["reporting_unit"]) + "，只能以登录单位（"
            + rows["_sender_region"].fillna("") + rows["_sender_unit"].fillna("") + "）的身份填报本单位负责的任务",
            lambda rows: "reporting_unit (填报单位): " + _shown_en(rows["reporting_unit"])
            + ", you may report only as your own unit (" + rows["_sender_region"].fillna("") + " "
            + rows["_sender_unit"].fillna("") + ") and for its tasks",
            sent & known_task & (f["unit"].ne(f["_sender_unit"]) | ~in_region.fillna(False)))


def blank_rows(frame: pd.DataFrame, inputs: list[str]) -> pd.Series:
    """Rows whose input cells are all empty: 未填, not reported this period (not an error). A row the
    clerk left as the template printed it is 未填 too: the template pre-fills no input cell (last
    period's report is printed beside them, read-only), so an untouched row never re-confirms it."""
    return frame[inputs].isna().all(axis=1)


def validate_progress(frame: pd.DataFrame, responsibilities: Responsibilities, canonical: dict,
                      today: date) -> Validated:
    """Progress rows of one file or of a batch of files (column ``_file``), set-wise. Cells arrive in the
    contract's text form (read.tidy); blank rows have been set aside."""
    f = frame.copy()
    f["unit"] = f["reporting_unit"].map(canonical).fillna(f["reporting_unit"])
    f["status_code"] = f["status"].map(STATUS_CODES)
    f["percent_num"] = pd.to_numeric(f["percent"], errors="coerce")
    # An empty percent follows from the status where it can: 已完成 is 100, 未启动 is 0.
    implied = f["status_code"].map({"done": 100.0, "not_started": 0.0})
    f["percent_num"] = f["percent_num"].where(f["percent"].notna(), implied)
    f["completed_date"] = pd.to_datetime(f["completed_on"], format="%Y-%m-%d", errors="coerce")
    if "output_done" not in f:
        f["output_done"] = pd.Series(pd.NA, index=f.index, dtype="string")
    f["output_num"] = pd.to_numeric(f["output_done"], errors="coerce")
    known_task = pd.Series(f["task_id"].isin(responsibilities.tasks), index=f.index)
    responsible = pd.Series(pd.MultiIndex.from_arrays([f["task_id"], f["unit"]]).isin(responsibilities.pairs),
                            index=f.index)
    done = f["status_code"].eq("done")

    def expected_units(rows: pd.DataFrame):
        return (rows["task_id"].map(responsibilities.task_units).fillna("") if responsibilities.task_units
                is not None else "")
    statuses = "/".join(STATUS_CODES)
    rules = [
        ("task_id", "task_exists",
         *_found("task_id", "任务编号", "不是已解析计划中的任务编号（请勿修改模板预填的任务编号）",
                 "not a task of the parsed plans (keep the template's task ids)"), ~known_task),
        ("reporting_unit", "unit_responsible",
         lambda rows: "填报单位：" + _shown(rows["reporting_unit"]) + "，不是该任务的责任单位；该任务的责任单位是："
         + expected_units(rows),
         lambda rows: "reporting_unit (填报单位): " + _shown_en(rows["reporting_unit"])
         + ", not responsible for this task; expected one of: " + expected_units(rows), known_task & ~responsible),
        ("period", "period_format", *_found("period", "报告期", "应为年-月，如 2023-12", "expected year-month such as 2023-12"),
         ~f["period"].fillna("").str.match(PERIOD_MONTHLY)),
        ("status", "status_value", *_found("status", "进展状态", f"应为以下之一：{statuses}", f"expected one of {statuses}"),
         f["status_code"].isna()),
        ("percent", "percent_range",
         *_found("percent", "完成进度(%)", "应为 0–100 的数字，如 40（推进中、滞后须填写）",
                 "expected a number from 0 to 100 such as 40 (required for 推进中 and 滞后)"),
         f["status_code"].notna() & (f["percent_num"].isna() | (f["percent_num"] < 0) | (f["percent_num"] > 100))),
        ("percent", "done_is_100", *_found("percent", "完成进度(%)", "状态为已完成时应为 100", "status 已完成 requires 100"),
         done & f["percent_num"].notna() & (f["percent_num"] != 100)),
        ("completed_on", "completed_on_format", *_found("completed_on", "完成日期", "应为日期，如 2024-03-31",
                                                        "expected a date such as 2024-03-31"),
         f["completed_on"].notna() & f["completed_date"].isna()),
        ("completed_on", "completed_on_required",
         "完成日期：状态为已完成时须填写完成日期，如 2024-03-31",
         "completed_on (完成日期): status 已完成 requires the completion date, such as 2024-03-31",
         done & f["completed_on"].isna()),
        ("completed_on", "completed_on_not_future",
         *_found("completed_on", "完成日期", f"不能晚于今天（{today.isoformat()}）", f"must not be after today ({today.isoformat()})"),
         f["completed_date"].notna() & (f["completed_date"] > pd.Timestamp(today))),
        ("output_done", "output_done_number",
         *_found("output_done", "累计完成量", "应为不小于 0 的数字（单位见计划量），如 12",
                 "expected a number of at least 0 (in 计划量's unit) such as 12"),
         f["output_done"].notna() & ~(f["output_num"] >= 0).fillna(False)),
        ("task_id", "duplicate_in_file", *_duplicate_reason(f, ["task_id", "period", "unit"], "task_id", "任务编号",
                                                            "任务、报告期、填报单位", "task, period and unit"),
         _duplicated(f, ["task_id", "period", "unit"])),
    ]
    if (sender := _sender_rule(f, known_task, responsibilities)) is not None:
        rules.append(sender)
    result = _split(f, rules)
    good = result.good
    good["percent"] = good["percent_num"]
    good["completed_on"] = good["completed_date"].dt.date
    good["output_done"] = good["output_num"]
    result.good = good.drop(columns=["percent_num", "completed_date", "output_num"])
    return result


def _days_in_period(period: pd.Series, kind: pd.Series) -> pd.Series:
    """Calendar days an observation covers: its month (当月), January 1 to the month's end (累计), or its
    year (年度); NaN where the period does not parse."""
    month = pd.to_datetime(period.where(period.str.len() == 7) + "-01", errors="coerce")
    year = pd.to_numeric(period.str[:4], errors="coerce")
    month_days = month.dt.days_in_month
    ytd_days = month.dt.day_of_year - 1 + month_days
    year_days = 365 + ((year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))).astype(float)
    return ytd_days.where(kind == "累计", month_days.where(kind == "当月", year_days.where(kind == "年度")))


def validate_observations(frame: pd.DataFrame, catalogue: pd.DataFrame, regions: set[str],
                          reporters: pd.DataFrame | None = None) -> Validated:
    """Observation rows of one file or a batch. A unit's upload (``_sender_region``/``_sender_unit``) only
    for its region and only for the indicators it reports (authority.may_report); values outside the
    catalogue's plausible range (min_value–max_value) are refused row by row."""
    f = frame.copy()
    for optional in OBSERVATION_OPTIONAL_COLUMNS.values():  # a frame built before these columns existed
        if optional not in f:
            f[optional] = pd.NA
    f["value_num"] = pd.to_numeric(f["value"], errors="coerce")
    # A blank 期间类型 is 年度 for a YYYY period and 当月 for YYYY-MM (what the files meant before it existed)
    period = f["period"].fillna("")
    f["period_kind"] = f["period_kind"].fillna(period.str.len().map({4: "年度"}).fillna("当月"))
    days = _days_in_period(period, f["period_kind"])
    valid_num = pd.to_numeric(f["valid_days"], errors="coerce")
    good_num = pd.to_numeric(f["good_days"], errors="coerce")
    # A unitless KPI (a coefficient such as 农田灌溉水利用系数) has an empty unit cell.
    unit_of = {k: ("" if pd.isna(u) else u) for k, u in zip(catalogue["kpi"], catalogue["unit"])}
    known = f["kpi"].isin(set(unit_of))
    region_ok = f["region"].isin(regions)
    sent = f["_sender_unit"].notna() if "_sender_unit" in f else pd.Series(False, index=f.index)
    if "_sender_region" in f:
        region_ok &= f["_sender_region"].isna() | f["region"].eq(f["_sender_region"]).fillna(False)
    kind_ok = f["period_kind"].isin(PERIOD_KINDS)
    low_of = dict(zip(catalogue["kpi"], pd.to_numeric(catalogue["min_value"], errors="coerce")))
    high_of = dict(zip(catalogue["kpi"], pd.to_numeric(catalogue["max_value"], errors="coerce")))
    low, high = f["kpi"].map(low_of), f["kpi"].map(high_of)
    plausible_of = {k: f"{_plain(low_of[k])}–{_plain(high_of[k])} {unit_of[k]}".rstrip() for k in unit_of}
    expected_unit = f["kpi"].map(unit_of).fillna("")

    def plausible(rows: pd.DataFrame) -> pd.Series:
        return rows["kpi"].map(plausible_of).fillna("")

    def unit_should_be(rows: pd.DataFrame, lang: str) -> pd.Series:
        unit = rows["kpi"].map(unit_of).fillna("")
        if lang == "zh":
            return ("该指标的单位应为“" + unit + "”").where(unit.ne(""), "该指标没有计量单位，单位应留空")
        return ("the indicator's unit is \"" + unit + "\"").where(unit.ne(""), "the indicator has no unit: leave it empty")
    valid_kpis = "、".join(sorted(unit_of))
    rules = [
        ("kpi", "kpi_known", *_found("kpi", "指标代码", "应为指标目录中的代码之一：" + valid_kpis,
                                     "expected one of the catalogue's codes: " + valid_kpis), ~known),
        ("region", "region_known", *_found("region", "地区", "应为本单位所在的行政区（市/县/区）名称",
                                           "expected your own region (city / county / district)"), ~region_ok),
        ("period", "period_format", *_found("period", "报告期", "应为年-月（如 2023-12）或年份（如 2023）",
                                            "expected year-month (2023-12) or a year (2023)"),
         ~f["period"].fillna("").str.match(PERIOD_ANY)),
        ("value", "value_numeric", *_found("value", "数值", "应为数字，如 35.2", "expected a number such as 35.2"),
         f["value_num"].isna()),
        ("value", "value_plausible",
         *_found("value", "数值", lambda rows: "超出该指标的合理范围 " + plausible(rows),
                 lambda rows: "outside the indicator's plausible range " + plausible(rows)),
         known & f["value_num"].notna() & ((f["value_num"] < low) | (f["value_num"] > high)).fillna(False)),
        ("measure_unit", "unit_matches_catalogue",
         *_found("measure_unit", "单位", lambda rows: unit_should_be(rows, "zh"), lambda rows: unit_should_be(rows, "en")),
         known & (f["measure_unit"].fillna("") != expected_unit)),
        ("period_kind", "period_kind_known", "期间类型应为当月、累计或年度", "period kind must be 当月, 累计 or 年度",
         ~kind_ok),
        ("period_kind", "period_kind_matches_period", "年度值的报告期应为YYYY，当月、累计值应为YYYY-MM",
         "a 年度 value needs a YYYY period, a 当月 or 累计 value a YYYY-MM period",
         kind_ok & period.str.match(PERIOD_ANY) & ((f["period_kind"] == "年度") != (period.str.len() == 4))),
        ("valid_days", "valid_days_in_period", "有效天数须为不超过该期间天数的非负整数",
         "valid days must be a whole number from 0 to the days of the period",
         f["valid_days"].notna() & ~((valid_num >= 0) & (valid_num <= days) & (valid_num % 1 == 0))),
        ("good_days", "good_days_within_valid_days", "优良天数须为不超过有效天数的非负整数（填优良天数时须填有效天数）",
         "good days must be a whole number from 0 to the valid days (and valid days must be given)",
         f["good_days"].notna() & ~((good_num >= 0) & (good_num <= valid_num) & (good_num % 1 == 0))),
        ("kpi", "duplicate_in_file", *_duplicate_reason(f, ["kpi", "region", "period", "period_kind"], "kpi",
                                                        "指标代码", "指标、地区、报告期、期间类型",
                                                        "kpi, region, period and period kind"),
         _duplicated(f, ["kpi", "region", "period", "period_kind"])),
    ]
    if reporters is not None and sent.any():
        who = f.assign(unit=f["_sender_unit"])[["kpi", "region", "unit"]]
        rules.append(("kpi", "reporter_allowed",
                      lambda rows: "指标代码：" + rows["_sender_unit"].fillna("") + " 不是" + rows["region"].fillna("")
                      + "该指标的数据报送单位（应由 " + reporters_named(reporters, rows) + " 报送）",
                      lambda rows: "kpi (指标代码): " + rows["_sender_unit"].fillna("")
                      + " does not report this indicator for " + rows["region"].fillna("")
                      + " (reported by " + reporters_named(reporters, rows) + ")",
                      sent & known & ~may_report(who, reporters)))
    result = _split(f, rules)
    result.good = result.good.assign(value=result.good["value_num"],
                                     valid_days=pd.to_numeric(result.good["valid_days"]).astype("Int64"),
                                     good_days=pd.to_numeric(result.good["good_days"]).astype("Int64"),
                                     ).drop(columns=["value_num"])
    return result
