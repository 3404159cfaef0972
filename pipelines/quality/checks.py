"""Which suite validates which warehouse table: one place for the SQL that feeds each suite."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class SuiteTarget:
    suite: str
    asset: tuple[str, ...]  # the Dagster asset key the check belongs to
    query: str
    row_id: str | None = None  # the column that names a failing row in the results (task_id, file#row…)
    landed_at: str | None = None  # the column saying when a row landed: lets a run check only its own rows

    def sql(self, landed_since: datetime | None = None) -> tuple[str, list]:
        """The suite's query, limited to rows landed since ``landed_since`` when given and possible."""
        if landed_since is None or self.landed_at is None:
            return self.query, []
        return f"{self.query} where {self.landed_at} >= ?", [landed_since]


SUITES = (
    SuiteTarget(
        "parsed_tasks", ("raw", "tasks"),
        """
        select t.task_id, t.plan_id, t.text, p.domain,
               count(u.unit) filter (where u.role = 'lead') as lead_count,
               count(u.unit) as unit_count,
               exists (select 1 from raw.task_deadlines d where d.task_id = t.task_id
                       and (d.due_date is not null or d.kind in ('ongoing', 'recurring', 'seasonal'))) as has_deadline
        from raw.tasks t
        join raw.plans p using (plan_id)
        left join raw.task_units u using (task_id)
        group by all
        -- GX lists the first failing rows in the frame's order, and a group by has none: by task, the sample is
        -- the same tasks on every run
        order by t.task_id
        """, row_id="task_id"),
    SuiteTarget(
        "parsed_targets", ("raw", "targets"),
        """
        select g.target_id, g.kind, g.kpi, g.comparator, g.value, g.year,
               c.kpi is not null or g.kpi = 'other' as kpi_in_catalogue,
               -- a plausible range is known only for catalogue KPIs; 'other' keeps its printed indicator
               coalesce(case
                   when g.kpi = 'other' then g.value >= 0
                   when g.comparator in ('decrease_by', 'increase_by') then g.value between 0 and 100
                   when g.comparator = 'rank' then g.value between 1 and coalesce(g.rank_of, c.max_value::double)
                   else g.value between c.min_value::double and c.max_value::double
               end, false) as value_plausible
        from raw.targets g left join raw.ref_kpi_catalogue c using (kpi)
        """, row_id="target_id"),
    SuiteTarget(
        "raw_progress_reports", ("raw", "progress_reports"),
        r"""
        select r.file_name || '#' || r.row_number as row_ref, r.task_id, r.status_code, r.percent, r.period,
               coalesce(regexp_full_match(r.period, '\d{4}-(0[1-9]|1[0-2])'), false) as period_ok,
               r.status_code <> 'done' or r.completed_on is not null as done_has_date,
               t.task_id is not null as task_known
        from raw.progress_reports r left join raw.tasks t using (task_id)
        """, row_id="row_ref", landed_at="r.ingested_at"),
    SuiteTarget(
        "raw_observations", ("raw", "observations"),
        r"""
        select o.file_name || '#' || o.row_number as row_ref, o.kpi, o.region, o.period, o.value,
               c.kpi is not null as kpi_known,
               g.region is not null as region_known,
               coalesce(regexp_full_match(o.period, '\d{4}(-(0[1-9]|1[0-2]))?'), false) as period_ok,
               coalesce(o.value between c.min_value::double and c.max_value::double, false) as value_plausible
        from raw.observations o
        left join raw.ref_kpi_catalogue c using (kpi)
        left join raw.ref_regions g on g.region = o.region
        """, row_id="row_ref", landed_at="o.ingested_at"),
    SuiteTarget("mart_completion", ("marts", "mart_completion"), "select * from marts.mart_completion",
                row_id="dimension_value"),
    SuiteTarget("mart_target_attainment", ("marts", "mart_target_attainment"),
                "select * from marts.mart_target_attainment", row_id="target_id"),
    SuiteTarget("mart_history", ("marts", "mart_completion_monthly"), "select * from marts.mart_completion_monthly",
                row_id="dimension_value"),
    SuiteTarget("mart_consistency", ("marts", "mart_headline"), """
        with rules(rule, holds) as (
            select 'headline tasks = rows of mart_task_status',
                   (select tasks_total from marts.mart_headline) = (select count(*) from marts.mart_task_status)
            union all select 'completion per plan sums to all',
                   (select sum(tasks_total) from marts.mart_completion where dimension = 'plan')
                   = (select tasks_total from marts.mart_completion where dimension = 'all')
            union all select 'completion per region sums to all',
                   (select sum(tasks_total) from marts.mart_completion where dimension = 'region')
                   = (select tasks_total from marts.mart_completion where dimension = 'all')
            union all select 'completion per city sums to all',
                   (select sum(tasks_total) from marts.mart_completion where dimension = 'city')
                   = (select tasks_total from marts.mart_completion where dimension = 'all')
            union all select 'overdue count = rows of mart_overdue_tasks',
                   (select tasks_overdue from marts.mart_completion where dimension = 'all')
                   = (select count(*) from marts.mart_overdue_tasks)
            union all select 'every catalogue target has a status',
                   (select count(*) from raw.targets
                    where kind = 'outcome' and kpi in (select kpi from raw.ref_kpi_catalogue))
                   = (select count(*) from marts.mart_target_attainment where source <> 'allocated' and status is not null)
            union all select 'headline binding + stretch targets = rows of mart_target_attainment',
                   (select targets_total + stretch_total from marts.mart_headline)
                   = (select count(*) from marts.mart_target_attainment)
            union all select 'history at the as-of month end = headline (completed, overdue)',
                   (select max(month_end) from marts.mart_completion_monthly)
                       is distinct from (select as_of from marts.mart_headline)
                   or (select (tasks_completed, tasks_overdue) from marts.mart_completion_monthly
                       where dimension = 'all'
                         and month_end = (select max(month_end) from marts.mart_completion_monthly))
                      = (select (tasks_completed, tasks_overdue) from marts.mart_headline)
            union all select 'overdue split by due basis sums to overdue',
                   (select tasks_overdue_printed + tasks_overdue_assumed from marts.mart_headline)
                   = (select tasks_overdue from marts.mart_headline)
            union all select 'compliance per period sums the unit rows',
                   (select coalesce(sum(units_expected), 0) from marts.mart_reporting_compliance)
                   = (select count(*) from marts.mart_reporting_units)
            union all select 'unit lead tasks = lead task-unit pairs',
                   (select coalesce(sum(tasks_total), 0) from marts.mart_unit_completion where role = 'lead')
                   = (select count(*) from (select distinct task_id, unit from staging.stg_task_units where role = 'lead'))
        )
        select rule, holds, case when not coalesce(holds, false) then rule end as broken_rule from rules
        """),
)
