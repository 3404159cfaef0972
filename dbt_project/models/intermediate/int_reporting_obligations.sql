-- Which task must be reported on in which period, and by which lead unit (牵头/负责), as of var as_of.
-- A task is open in a period of its plan (int_reporting_periods) unless a report for an earlier
-- period said 已完成; each of its lead units is expected to report on it (unit is null for a task
-- without a lead unit: nobody is named, and the task is still expected). has_report: any landed
-- report row for the task and period, from any of its units.
with period_reports as (
    select task_id, period, bool_or(status_code = 'done') as says_done
    from {{ ref('stg_progress_reports') }}
    group by task_id, period
),
task_periods as (
    select t.task_id, t.region, rp.period, rp.period_start, rp.due_date
    from {{ ref('stg_tasks') }} t
    join {{ ref('int_reporting_periods') }} rp using (plan_id)
),
opened as (
    select
        tp.*,
        pr.task_id is not null as has_report,
        coalesce(bool_or(pr.says_done) over (
            partition by tp.task_id order by tp.period
            rows between unbounded preceding and 1 preceding), false) as done_before
    from task_periods tp
    left join period_reports pr using (task_id, period)
)
select distinct o.task_id, o.region, o.period, o.period_start, o.due_date, u.unit, o.has_report
from opened o
left join {{ ref('stg_task_units') }} u on u.task_id = o.task_id and u.role = 'lead'
where not o.done_before
