"""Who may report what — the one place for the submission side's authority rules.

Indicator observations: data/reference/indicator_reporters.csv names, per indicator and region, the
unit(s) that report it; an indicator × region without a row is reported by the region's environment
bureau (a unit whose name holds 生态环境局). The ingest refuses an upload from any other unit, and the
templates give the 监测数据 sheet to exactly these units: both call ``may_report``.

(Which progress reports complete a task — lead units only — is decided in dbt, int_task_latest_report.)
"""
from __future__ import annotations

import pandas as pd

DEFAULT_REPORTER = "生态环境局"


def may_report(rows: pd.DataFrame, reporters: pd.DataFrame) -> pd.Series:
    """For each row (kpi, region, unit): may this unit report this indicator for this region?"""
    named = pd.MultiIndex.from_frame(reporters[["kpi", "region"]]) if len(reporters) else pd.MultiIndex.from_tuples([], names=["kpi", "region"])
    allowed = pd.MultiIndex.from_frame(reporters[["kpi", "region", "unit"]]) if len(reporters) else None
    keys = pd.MultiIndex.from_arrays([rows["kpi"], rows["region"]])
    has_rule = pd.Series(keys.isin(named), index=rows.index)
    listed = (pd.Series(pd.MultiIndex.from_arrays([rows["kpi"], rows["region"], rows["unit"]]).isin(allowed),
                        index=rows.index) if allowed is not None else pd.Series(False, index=rows.index))
    default = rows["unit"].fillna("").str.contains(DEFAULT_REPORTER, regex=False)
    return listed | (~has_rule & default)


def reporters_named(reporters: pd.DataFrame, rows: pd.DataFrame) -> pd.Series:
    """For each row (kpi, region): the units that report it, for a clerk's message."""
    named = reporters.groupby(["kpi", "region"])["unit"].agg("、".join)
    keys = pd.MultiIndex.from_arrays([rows["kpi"], rows["region"]])
    return pd.Series(named.reindex(keys).to_numpy(), index=rows.index).fillna(f"本地区{DEFAULT_REPORTER}")
