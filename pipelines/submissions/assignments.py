"""Which tasks go into which unit's template for a period: one set-based query on the raw tables.

A task is open for a period when its plan's year is not after the period's year and its latest report
up to that period is not 已完成. Every responsible unit (canonical name) gets its open tasks with its
role; the environment bureau of a region also reports the region's indicators that have targets.
"""
from __future__ import annotations

import re

import duckdb

from .templates import Assignment, UnitTemplate

PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")

_OPEN_TASKS = """
with latest as (
    select task_id, status_code,
           row_number() over (partition by task_id order by period desc, ingested_at desc, row_number desc) as rn
    from raw.progress_reports
    where period <= $period
),
deadlines as (
    select task_id, string_agg(text, '；' order by seq) as deadline
    from raw.task_deadlines group by task_id
)
select t.region, u.unit, u.role, t.task_id, t.text, coalesce(d.deadline, '') as deadline
from raw.task_units u
join raw.tasks t using (task_id)
join raw.plans p using (plan_id)
left join deadlines d using (task_id)
left join latest l on l.task_id = t.task_id and l.rn = 1
where p.year <= $year and coalesce(l.status_code, '') <> 'done'
order by t.region, u.unit, case u.role when 'lead' then 0 when 'support' then 1 else 2 end, t.source, t.start_line
"""

_INDICATORS = """
select distinct g.region, g.kpi, c.unit
from raw.targets g join raw.ref_kpi_catalogue c using (kpi)
where g.year = $year and g.kind = 'outcome'
order by g.region, g.kpi
"""


def unit_templates(con: duckdb.DuckDBPyConnection, period: str) -> list[UnitTemplate]:
    m = PERIOD.match(period)
    if not m:
        raise ValueError(f"报告期格式应为 YYYY-MM / period must be YYYY-MM: {period!r}")
    params = {"period": period, "year": int(m.group(1))}
    templates: dict[tuple[str, str], UnitTemplate] = {}
    for region, unit, role, task_id, text, deadline in con.execute(_OPEN_TASKS, params).fetchall():
        t = templates.setdefault((region, unit), UnitTemplate(region, unit, period))
        if not any(a.task_id == task_id for a in t.assignments):  # one row per task, strongest role
            t.assignments.append(Assignment(task_id, text, deadline, role))
    indicators: dict[str, list] = {}
    for region, kpi, unit in con.execute(_INDICATORS, {"year": params["year"]}).fetchall():
        indicators.setdefault(region, []).append((kpi, unit))
    for (region, unit), t in templates.items():
        if "生态环境局" in unit:  # monitoring data comes from the environment bureau
            t.indicators = indicators.get(region, [])
    return list(templates.values())
