"""Row rules of the submissions contract, set-wise over a frame: each failure names its column and rule.

Every rule is (column, rule code, Chinese reason, English reason, mask of failing rows). A row that
fails any rule is quarantined once per failure; the rest land.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

import pandas as pd

from .contract import STATUS_CODES

PERIOD_MONTHLY = r"^\d{4}-(0[1-9]|1[0-2])$"
PERIOD_ANY = r"^\d{4}(-(0[1-9]|1[0-2]))?$"


@dataclass
class Validated:
    good: pd.DataFrame
    bad: pd.DataFrame  # row_number, column_name, rule, reason_zh, reason_en, original


def _failures(frame: pd.DataFrame, rules: list[tuple]) -> pd.DataFrame:
    parts = []
    for column, rule, zh, en, mask in rules:
        mask = mask.fillna(True) if hasattr(mask, "fillna") else mask
        hit = frame.loc[mask.astype(bool)]
        if hit.empty:
            continue
        parts.append(pd.DataFrame({
            "row_number": hit["row_number"].astype(int),
            "column_name": column, "rule": rule, "reason_zh": zh, "reason_en": en,
            "original": [json.dumps({k: (None if pd.isna(v) else str(v)) for k, v in r.items() if k != "row_number"},
                                    ensure_ascii=False) for r in hit.to_dict("records")],
        }))
    if not parts:
        return pd.DataFrame(columns=["row_number", "column_name", "rule", "reason_zh", "reason_en", "original"])
    return pd.concat(parts, ignore_index=True).sort_values(["row_number", "column_name"], kind="stable")


def _split(frame: pd.DataFrame, rules: list[tuple]) -> Validated:
    bad = _failures(frame, rules)
    good = frame.loc[~frame["row_number"].isin(bad["row_number"])].copy()
    return Validated(good, bad)


def _duplicated(frame: pd.DataFrame, keys: list[str]) -> pd.Series:
    return frame.duplicated(subset=keys, keep="first")


def validate_progress(frame: pd.DataFrame, responsibilities: pd.DataFrame, canonical: dict,
                      today: date, sender: tuple[str, str] | None = None,
                      task_regions: dict[str, str] | None = None) -> Validated:
    """``responsibilities``: task_id, unit (canonical) for every parsed task and role. ``sender``:
    (region, unit) of the account that uploaded the file: it may report only as itself, and only
    for tasks of its own region."""
    f = frame.copy()
    f["unit"] = f["reporting_unit"].map(lambda u: canonical.get(u, u) if isinstance(u, str) else u)
    f["status_code"] = f["status"].map(STATUS_CODES)
    f["percent_num"] = pd.to_numeric(f["percent"], errors="coerce")
    f["completed_date"] = pd.to_datetime(f["completed_on"], format="%Y-%m-%d", errors="coerce")
    known_task = f["task_id"].isin(set(responsibilities["task_id"]))
    pairs = set(zip(responsibilities["task_id"], responsibilities["unit"]))
    responsible = pd.Series([(t, u) in pairs for t, u in zip(f["task_id"], f["unit"])], index=f.index)
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
    if sender is not None:
        region, unit = sender
        in_region = f["task_id"].map(task_regions or {}).eq(region)
        rules.append(("reporting_unit", "sender_unit",
                      f"只能以登录单位（{region}{unit}）的身份填报本单位负责的任务",
                      f"you may report only as your own unit ({region} {unit}) and for its tasks",
                      known_task & (f["unit"].ne(unit) | ~in_region)))
    result = _split(f, rules)
    good = result.good
    good["percent"] = good["percent_num"]
    good["completed_on"] = good["completed_date"].dt.date
    result.good = good.drop(columns=["percent_num", "completed_date"])
    return result


def validate_observations(frame: pd.DataFrame, catalogue: pd.DataFrame, regions: set[str]) -> Validated:
    f = frame.copy()
    f["value_num"] = pd.to_numeric(f["value"], errors="coerce")
    # A unitless KPI (a coefficient such as 农田灌溉水利用系数) has an empty unit cell.
    unit_of = {k: ("" if pd.isna(u) else u) for k, u in zip(catalogue["kpi"], catalogue["unit"])}
    known = f["kpi"].isin(set(unit_of))
    rules = [
        ("kpi", "kpi_known", "指标代码不在指标目录中", "kpi code not in the KPI catalogue", ~known),
        ("region", "region_known", "地区不在行政区划表中", "region not in the region hierarchy",
         ~f["region"].isin(regions)),
        ("period", "period_format", "报告期格式应为YYYY-MM或YYYY", "period must be YYYY-MM or YYYY",
         ~f["period"].fillna("").str.match(PERIOD_ANY)),
        ("value", "value_numeric", "数值须为数字", "value must be a number", f["value_num"].isna()),
        ("unit", "unit_matches_catalogue", "单位与指标目录不一致", "unit does not match the KPI catalogue",
         known & (f["unit"].fillna("") != f["kpi"].map(unit_of))),
        ("kpi", "duplicate_in_file", "同一文件中该指标、地区、报告期重复", "duplicate kpi, region and period in the same file",
         _duplicated(f, ["kpi", "region", "period"])),
    ]
    result = _split(f, rules)
    result.good = result.good.assign(value=result.good["value_num"]).drop(columns=["value_num"])
    return result
