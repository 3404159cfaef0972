-- Open tasks with no report in their two latest reporting periods whose due date has passed by as_of
-- (int_reporting_obligations): the tasks nobody is telling the office about.
{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='task_id',
          pre_hook="{{ delete_changed_tasks() }}") }}  -- the submissions_job recomputes the changed tasks only (macros/changed_tasks.sql)
with due_periods as (
    select distinct task_id, region, period, due_date, has_report
    from {{ ref('int_reporting_obligations') }}
    where due_date <= {{ as_of() }}{{ changed_tasks_filter('task_id') }}
),
latest_two as (
    select *, row_number() over (partition by task_id order by period desc) as recency
    from due_periods
    qualify recency <= 2
)
select
    l.task_id,
    s.plan_id,
    s.plan_title,
    s.region,
    s.no,
    s.title,
    s.lead_units,
    min(l.period) as first_unreported_period,
    max(l.period) as last_unreported_period,
    s.latest_period,
    s.latest_status,
    s.source,
    s.start_line,
    s.end_line,
    {{ as_of() }} as as_of
from latest_two l
join {{ ref('int_task_status') }} s using (task_id)
group by all
having count(*) = 2 and not bool_or(l.has_report)
