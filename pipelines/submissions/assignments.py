"""Which tasks go into which unit's template for a period: read from dbt's int_reporting_obligations,
the one rule for what a unit must report (the compliance marts and the unit's page read it too).
Nothing here decides who reports what; it only shapes the rule's rows into templates: the task's
text and 完成时限 (int_task_deadline), the unit's last report before the period (上期填报), the
period's due date, whom to call, and the indicators the unit reports (authority.may_report).
"""
from __future__ import annotations

import re

import duckdb
import pandas as pd

from .authority import may_report
from .templates import Assignment, UnitTemplate, deadline_cell

PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")

# One row per (region, unit, task) expected in the period; last report = the unit's own latest before it.
_OBLIGED = """
with last_report as (
    select task_id, unit,
           arg_max(period || '：' || status || coalesce(' ' || cast(round(percent) as integer) || '%', '')
                   || coalesce('，完成于 ' || cast(completed_on as varchar), ''),
                   (period, ingested_at, received_at, file_checksum, sheet, row_number)) as last_report
    from staging.stg_progress_reports
    where period < $period
    group by task_id, unit
)
select o.region, o.unit, o.role, o.task_id, t.text, d.due_date, d.due_basis, d.deadline_text,
       coalesce(l.last_report, '') as last_report, o.due_date as report_due
from intermediate.int_reporting_obligations o
join staging.stg_tasks t using (task_id)
left join intermediate.int_task_deadline d using (task_id)
left join last_report l on l.task_id = o.task_id and l.unit = o.unit
where o.period = $period and o.unit is not null
order by o.region, o.unit, case o.role when 'lead' then 0 when 'support' then 1 else 2 end, t.source, t.start_line
"""

_INDICATORS = """
select distinct g.region, g.kpi, c.unit as measure
from raw.targets g join raw.ref_kpi_catalogue c using (kpi)
where g.year = $year and g.kind = 'outcome'
order by g.region, g.kpi
"""


def _table_exists(con, schema: str, name: str) -> bool:
    return bool(con.execute("select count(*) from duckdb_tables() where schema_name = ? and table_name = ?",
                            [schema, name]).fetchall()[0][0])


def unit_templates(con: duckdb.DuckDBPyConnection, period: str) -> list[UnitTemplate]:
    m = PERIOD.match(period)
    if not m:
        raise ValueError(f"报告期格式应为 YYYY-MM / period must be YYYY-MM: {period!r}")
    last = con.execute("select max(period) from intermediate.int_reporting_obligations").fetchall()[0][0]
    if last is not None and period > last:
        raise ValueError(f"报告期 {period} 晚于数据截止期 {last}，请在该期开始后生成模板 / "
                         f"period {period} is after the snapshot's latest period {last}")
    contacts = (dict(con.execute("select region, contact from raw.ref_report_contacts").fetchall())
                if _table_exists(con, "raw", "ref_report_contacts") else {})
    templates: dict[tuple[str, str], UnitTemplate] = {}
    planned = _planned(con)
    for region, unit, role, task_id, text, due, basis, printed, last_report, report_due in con.execute(
            _OBLIGED, {"period": period}).fetchall():
        t = templates.setdefault((region, unit), UnitTemplate(region, unit, period, due_date=report_due,
                                                              contact=contacts.get(region, "")))
        t.assignments.append(Assignment(task_id, text, deadline_cell(due, basis, printed), role, last_report,
                                        planned.get(task_id, "")))
    _add_indicators(con, templates, int(m.group(1)))
    return list(templates.values())


def _planned(con) -> dict[str, str]:
    """计划量 per task: its output targets (the parser's kind = output, linked to the task) with their unit,
    e.g. "22 个（完成重点行业绩效评级动态调整）". Empty where raw.targets has no kind/task_id columns."""
    columns = {c for (c,) in con.execute("""select column_name from information_schema.columns
                                             where table_schema = 'raw' and table_name = 'targets'""").fetchall()}
    if not {"kind", "task_id"} <= columns:
        return {}
    return dict(con.execute("""
        select task_id, string_agg(
            regexp_replace(cast(value as varchar), '\.0$', '') || coalesce(' ' || unit, '') || '（' || indicator || '）',
            '；' order by line, value)
        from raw.targets where kind = 'output' and task_id is not null
        group by task_id""").fetchall())


def _add_indicators(con, templates: dict, year: int) -> None:
    """The 监测数据 sheet goes to the units allowed to report each indicator (authority.may_report)."""
    targets = con.execute(_INDICATORS, {"year": year}).df()
    if targets.empty or not templates:
        return
    units = pd.DataFrame(list(templates), columns=["region", "unit"])
    pairs = targets.merge(units, on="region")
    reporters = (con.execute("select kpi, region, unit from raw.ref_indicator_reporters").df()
                 if _table_exists(con, "raw", "ref_indicator_reporters")
                 else pd.DataFrame(columns=["kpi", "region", "unit"]))
    for (region, unit), rows in pairs[may_report(pairs, reporters)].groupby(["region", "unit"], sort=False):
        templates[(region, unit)].indicators = list(zip(rows["kpi"], rows["measure"]))
