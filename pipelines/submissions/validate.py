"""Row rules of the submissions contract, set-wise over a frame: each failure names its column and rule.

Every rule is (column, rule code, Chinese reason, English reason, mask of failing rows). A row that
fails any rule is quarantined once per failure; the rest land.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

import pandas as pd

from .contract import OBSERVATION_OPTIONAL_COLUMNS, PERIOD_KINDS, STATUS_CODES

PERIOD_MONTHLY = r"^\d{4}-(0[1-9]|1[0-2])$"
PERIOD_ANY = r"^\d{4}(-(0[1-9]|1[0-2]))?$"


@dataclass
class Validated:
    good: pd.DataFrame
    bad: pd.DataFrame  # row_number, column_name, rule, reason_zh, reason_en, original (index: the row's label)


def _per_row(text, hit: pd.DataFrame):
    """A reason is one text, or a Series of texts (one per row: it names the row's own sender)."""
    return text.loc[hit.index].to_numpy() if isinstance(text, pd.Series) else text


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

    @classmethod
    def of(cls, pairs: pd.DataFrame, task_regions: pd.DataFrame) -> "Responsibilities":
        return cls(pd.Index(task_regions["task_id"].unique()),
                   pd.MultiIndex.from_frame(pairs[["task_id", "unit"]].drop_duplicates()),
                   task_regions.set_index("task_id")["region"])


def _sender_rule(f: pd.DataFrame, known_task: pd.Series, responsibilities: Responsibilities) -> tuple | None:
    """A file uploaded by a unit's account (``_sender_region``/``_sender_unit`` set) may report only as that
    unit and only for tasks of its region."""
    if "_sender_unit" not in f or f["_sender_unit"].isna().all():
        return None
    sent = f["_sender_unit"].notna()
    in_region = f["task_id"].map(responsibilities.task_regions).eq(f["_sender_region"])
    who = f["_sender_region"].fillna("") + f["_sender_unit"].fillna("")
    who_en = f["_sender_region"].fillna("") + " " + f["_sender_unit"].fillna("")
    return ("reporting_unit", "sender_unit", "只能以登录单位（" + who + "）的身份填报本单位负责的任务",
            "you may report only as your own unit (" + who_en + ") and for its tasks",
            sent & known_task & (f["unit"].ne(f["_sender_unit"]) | ~in_region.fillna(False)))


def validate_progress(frame: pd.DataFrame, responsibilities: Responsibilities, canonical: dict,
                      today: date) -> Validated:
    """Progress rows of one file or of a batch of files (column ``_file``), set-wise."""
    f = frame.copy()
    f["unit"] = f["reporting_unit"].map(canonical).fillna(f["reporting_unit"])
    f["status_code"] = f["status"].map(STATUS_CODES)
    f["percent_num"] = pd.to_numeric(f["percent"], errors="coerce")
    f["completed_date"] = pd.to_datetime(f["completed_on"], format="%Y-%m-%d", errors="coerce")
    known_task = pd.Series(f["task_id"].isin(responsibilities.tasks), index=f.index)
    responsible = pd.Series(pd.MultiIndex.from_arrays([f["task_id"], f["unit"]]).isin(responsibilities.pairs),
                            index=f.index)
    done = f["status_code"].eq("done")
    rules = [
        ("task_id", "task_exists", "任务编号不存在于已解析的计划中", "task_id not found in the parsed plans",
         ~known_task),
        ("reporting_unit", "unit_responsible", "填报单位不是该任务的责任单位",
         "reporting unit is not responsible for this task", known_task & ~responsible),
        ("period", "period_format", "报告期格式应为YYYY-MM", "period must be YYYY-MM",
         ~f["period"].fillna("").str.match(PERIOD_MONTHLY)),
        ("status", "status_value", "进展状态须为：已完成/推进中/未启动/滞后",
         "status must be one of 已完成/推进中/未启动/滞后", f["status_code"].isna()),
        ("percent", "percent_range", "完成进度须为0–100之间的数字", "percent must be a number from 0 to 100",
         f["percent_num"].isna() | (f["percent_num"] < 0) | (f["percent_num"] > 100)),
        ("percent", "done_is_100", "状态为已完成时完成进度须为100", "status 已完成 requires percent 100",
         done & f["percent_num"].notna() & (f["percent_num"] != 100)),
        ("completed_on", "completed_on_required", "状态为已完成时须填写完成日期（YYYY-MM-DD）",
         "status 已完成 requires completed_on as YYYY-MM-DD", done & f["completed_date"].isna()),
        ("completed_on", "completed_on_not_future", "完成日期不能晚于今天", "completed_on is in the future",
         f["completed_date"].notna() & (f["completed_date"] > pd.Timestamp(today))),
        ("task_id", "duplicate_in_file", "同一文件中该任务、报告期、单位重复填报",
         "duplicate task, period and unit in the same file", _duplicated(f, ["task_id", "period", "unit"])),
    ]
    if (sender := _sender_rule(f, known_task, responsibilities)) is not None:
        rules.append(sender)
    result = _split(f, rules)
    good = result.good
    good["percent"] = good["percent_num"]
    good["completed_on"] = good["completed_date"].dt.date
    result.good = good.drop(columns=["percent_num", "completed_date"])
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


def validate_observations(frame: pd.DataFrame, catalogue: pd.DataFrame, regions: set[str]) -> Validated:
    """Observation rows of one file or a batch; a unit's upload (``_sender_region``) only for its region."""
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
    if "_sender_region" in f:
        region_ok &= f["_sender_region"].isna() | f["region"].eq(f["_sender_region"]).fillna(False)
    kind_ok = f["period_kind"].isin(PERIOD_KINDS)
    rules = [
        ("kpi", "kpi_known", "指标代码不在指标目录中", "kpi code not in the KPI catalogue", ~known),
        ("region", "region_known", "地区不在行政区划表中", "region not in the region hierarchy", ~region_ok),
        ("period", "period_format", "报告期格式应为YYYY-MM或YYYY", "period must be YYYY-MM or YYYY",
         ~period.str.match(PERIOD_ANY)),
        ("period_kind", "period_kind_known", "期间类型应为当月、累计或年度", "period kind must be 当月, 累计 or 年度",
         ~kind_ok),
        ("period_kind", "period_kind_matches_period", "年度值的报告期应为YYYY，当月、累计值应为YYYY-MM",
         "a 年度 value needs a YYYY period, a 当月 or 累计 value a YYYY-MM period",
         kind_ok & period.str.match(PERIOD_ANY) & ((f["period_kind"] == "年度") != (period.str.len() == 4))),
        ("value", "value_numeric", "数值须为数字", "value must be a number", f["value_num"].isna()),
        ("measure_unit", "unit_matches_catalogue", "单位与指标目录不一致", "unit does not match the KPI catalogue",
         known & (f["measure_unit"].fillna("") != f["kpi"].map(unit_of))),
        ("valid_days", "valid_days_in_period", "有效天数须为不超过该期间天数的非负整数",
         "valid days must be a whole number from 0 to the days of the period",
         f["valid_days"].notna() & ~((valid_num >= 0) & (valid_num <= days) & (valid_num % 1 == 0))),
        ("good_days", "good_days_within_valid_days", "优良天数须为不超过有效天数的非负整数（填优良天数时须填有效天数）",
         "good days must be a whole number from 0 to the valid days (and valid days must be given)",
         f["good_days"].notna() & ~((good_num >= 0) & (good_num <= valid_num) & (good_num % 1 == 0))),
        ("kpi", "duplicate_in_file", "同一文件中该指标、地区、报告期、期间类型重复",
         "duplicate kpi, region, period and period kind in the same file",
         _duplicated(f, ["kpi", "region", "period", "period_kind"])),
    ]
    result = _split(f, rules)
    result.good = result.good.assign(value=result.good["value_num"],
                                     valid_days=pd.to_numeric(result.good["valid_days"]).astype("Int64"),
                                     good_days=pd.to_numeric(result.good["good_days"]).astype("Int64"),
                                     ).drop(columns=["value_num"])
    return result
