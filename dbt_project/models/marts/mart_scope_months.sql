-- The overview's months chart for each reader's scope: mart_scope_status_monthly's states of a month end
-- side by side, one row per scope and month end, so the page reads its scope's months as they are drawn
-- (a point lookup of ~20 rows) instead of pivoting ~120 state rows of a 240,000-row table per page.
-- Grain: scope × month_end. The counts are mart_scope_status_monthly's (0 for a state without tasks).
select
    scope,
    month_end,
    coalesce(sum(tasks) filter (where status_class = 'completed_on_time'), 0)::bigint as completed_on_time,
    coalesce(sum(tasks) filter (where status_class = 'completed_late'), 0)::bigint as completed_late,
    coalesce(sum(tasks) filter (where status_class = 'awaiting_review'), 0)::bigint as awaiting_review,
    coalesce(sum(tasks) filter (where status_class = 'not_due'), 0)::bigint as not_due,
    coalesce(sum(tasks) filter (where status_class = 'ongoing'), 0)::bigint as ongoing,
    coalesce(sum(tasks) filter (where status_class = 'overdue'), 0)::bigint as overdue,
    any_value(scope_tasks) as scope_tasks,
    sum(tasks_completed)::bigint as tasks_completed,
    sum(tasks_with_due_date)::bigint as tasks_with_due_date,
    any_value(completion_rate) as completion_rate
from {{ ref('mart_scope_status_monthly') }}
group by scope, month_end
order by scope, month_end  -- scope order: a reader's months are one point lookup
