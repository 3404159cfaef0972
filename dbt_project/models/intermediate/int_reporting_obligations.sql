-- The ONE rule for what a unit must report in a period, as of var as_of. Read by the templates
-- (pipelines/submissions/assignments.py), the compliance marts and the unit's page alike.
-- Grain: task_id × period × unit — every responsible unit of the task (lead 牵头, support 配合,
-- implement 落实; role says which), unit null for a task that names no unit at all.
--   * periods of the plan year: the reporting schedule's months from the plan's issue month to
--     December (int_reporting_periods), up to as_of;
--   * carry-over: a task not complete by December of its plan year stays to be reported in every later
--     scheduled month up to as_of, until it is complete — unless it is a standing task (due_basis =
--     ongoing: 长期坚持…), which ends with its plan year (the next year's plan restates it);
--   * a task is not expected after the period in which it became complete (int_task_completion: all its
--     lead units said 已完成).
-- has_report: any landed report row for the task and period, from any of its units (the task was
-- reported on); unit_reported: this unit sent one.
{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='task_id',
          pre_hook="{{ delete_changed_tasks() }}") }}  -- the submissions_job recomputes the changed tasks only (macros/changed_tasks.sql)
with plan_year_periods as (
    select t.task_id, t.region, rp.period, rp.period_start, rp.due_date, false as carried_over
    from {{ ref('stg_tasks') }} t
    join {{ ref('int_reporting_periods') }} rp using (plan_id)
    {{ changed_tasks_filter('t.task_id', 'where') }}
),
later_months as (  -- the scheduled months after a plan year, up to as_of
    select p.plan_id, make_date(y.year, s.period_month, 1) as period_start, s.due_day
    from {{ ref('stg_plans') }} p
    cross join {{ ref('stg_reporting_schedule') }} s
    cross join (select unnest(generate_series(1990, year({{ as_of() }}))) as year) y
    where y.year > p.year and make_date(y.year, s.period_month, 1) <= {{ as_of() }}
),
carried as (
    select t.task_id, t.region, strftime(m.period_start, '%Y-%m') as period, m.period_start,
           m.period_start + interval 1 month + (m.due_day - 1) * interval 1 day as due_date, true as carried_over
    from {{ ref('stg_tasks') }} t
    join later_months m using (plan_id)
    join {{ ref('int_task_deadline') }} d using (task_id)
    where d.due_basis <> 'ongoing'{{ changed_tasks_filter('t.task_id') }}
),
task_periods as (
    select * from plan_year_periods
    union all
    select * from carried
),
task_reports as (  -- the task periods reported on, each with the units that sent a row (repeats and nulls are
                  -- harmless to list_contains below): one aggregate over the report rows by task and period — it
                  -- was a distinct over task × period × unit (3M groups at province scale), then a three-key join
                  -- of every obligation row (7.4M) to it; 13 % less CPU, same rows
    select task_id, period, list(unit) as units
    from {{ ref('stg_progress_reports') }}{{ changed_tasks_filter('task_id', 'where') }}
    group by task_id, period
),
units as (  -- one row per task and unit, its strongest role
    select task_id, unit,
           arg_min(role, case role when 'lead' then 0 when 'support' then 1 else 2 end) as role
    from {{ ref('stg_task_units') }}
    group by task_id, unit
),
open_periods as (  -- has_report is a fact of the task and period: looked up once per task period, before
                   -- the rows are multiplied by the task's units (2.6× fewer probes than after)
    select tp.*, tr.task_id is not null as has_report, tr.units as reported_units
    from task_periods tp
    left join {{ ref('int_task_completion') }} c using (task_id)
    left join task_reports tr on tr.task_id = tp.task_id and tr.period = tp.period
    where not coalesce(c.is_complete and c.done_period < tp.period, false)
)
select
    o.task_id,
    o.region,
    o.period,
    o.period_start,
    cast(o.due_date as date) as due_date,
    u.unit,
    u.role,
    o.carried_over,
    o.has_report,
    coalesce(list_contains(o.reported_units, u.unit), false) as unit_reported  -- false for a task naming no unit
from open_periods o
left join units u using (task_id)
