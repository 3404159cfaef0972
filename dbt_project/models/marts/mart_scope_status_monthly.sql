-- Task states over the months for the leader of each region, over the regions below it
-- (int_region_scopes: a province every region, a city itself and its counties, a county itself and its
-- towns): at every month end, how many of the scope's tasks were in each state as known then
-- (mart_task_status_monthly). Grain: scope × month_end × status_class. The counts are the ones macro
-- completion_measures defines, so a scope's states at the as-of month end add up to mart_scope_headline.
-- Set-based at province scale (4M task × month rows, each region in 2–3 scopes): the task rows are first
-- counted per region × month end × state (≤ 2,000 × months × 6), and only those counts are joined to the
-- scopes and summed — the task rows are never copied once per scope.
with by_region as (
    select region, month_end, status_class, {{ completion_measures() }}
    from {{ ref('mart_task_status_monthly') }}
    group by region, month_end, status_class
),
by_scope as (
    select
        sc.scope, sc.scope_level, r.month_end, r.status_class,
        sum(r.tasks_total)::bigint as tasks,
        sum(r.tasks_with_due_date)::bigint as tasks_with_due_date,
        sum(r.tasks_completed)::bigint as tasks_completed,
        sum(r.tasks_due)::bigint as tasks_due,
        sum(r.tasks_overdue)::bigint as tasks_overdue,
        bool_or(r.includes_sample_data) as includes_sample_data,
        any_value(r.as_of) as as_of
    from by_region r
    join {{ ref('int_region_scopes') }} sc using (region)
    group by sc.scope, sc.scope_level, r.month_end, r.status_class
)
select
    scope, scope_level, month_end, status_class, tasks, tasks_with_due_date, tasks_completed, tasks_due,
    tasks_overdue,
    sum(tasks) over scope_month as scope_tasks,
    -- the scope's completion rate at the month end (the same on each of its state rows): the rate of
    -- macro completion_measures, over the summed counts
    {{ completion_rate('sum(tasks_completed) over scope_month', 'sum(tasks_with_due_date) over scope_month') }}
        as completion_rate,
    includes_sample_data, as_of
from by_scope
window scope_month as (partition by scope, month_end)
-- stored in scope order: the overview reads one scope's months (a point lookup, not a scan of every scope)
order by scope, month_end, status_class
