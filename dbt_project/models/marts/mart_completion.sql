-- Completion KPIs per dimension (all / plan / domain / region / lead_unit / category).
--   completion_rate     = tasks_completed / tasks_total
--   due_completion_rate = tasks completed among tasks whose due date has passed
--                         / tasks whose due date has passed (null when none is due)
-- A task counts under each of its dimensions once; ongoing (长期坚持) tasks are counted in
-- tasks_ongoing and stay in the totals, as the brief defines completion over all tasks.
with s as (select * from {{ ref('int_task_status') }}),
dims as (
    select 'all' as dimension, '全部' as dimension_value, * from s
    union all select 'plan', plan_title, * from s
    union all select 'domain', domain, * from s
    union all select 'region', region, * from s
    union all select 'lead_unit', lead_unit, * from s
    union all select 'category', category, * from s
)
select
    dimension,
    dimension_value,
    count(*) as tasks_total,
    count(*) filter (where is_completed) as tasks_completed,
    count(*) filter (where is_due) as tasks_due,
    count(*) filter (where is_due and is_completed) as tasks_due_completed,
    count(*) filter (where is_overdue) as tasks_overdue,
    count(*) filter (where status_class = 'ongoing') as tasks_ongoing,
    count(*) filter (where latest_status_code is null) as tasks_without_report,
    round(count(*) filter (where is_completed) / count(*), 4) as completion_rate,
    round(count(*) filter (where is_due and is_completed)
          / nullif(count(*) filter (where is_due), 0), 4) as due_completion_rate,
    bool_or(is_sample) as includes_sample_data,
    any_value(as_of) as as_of
from dims
group by dimension, dimension_value
