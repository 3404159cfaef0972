-- The months chart and the headline cards tell one story: at the as-of month end, every scope's task
-- states in mart_scope_status_monthly add up to its mart_scope_headline counts (tasks, completed,
-- overdue, awaiting review, standing). Rows returned = scopes where they differ. Only when the as-of date
-- is a month end (the history's last point is the last month end on or before it).
with last_month as (
    select scope, sum(tasks) as tasks_total, sum(tasks_completed) as tasks_completed,
           sum(tasks_overdue) as tasks_overdue,
           sum(tasks) filter (where status_class = 'awaiting_review') as tasks_awaiting_review,
           sum(tasks_with_due_date) as tasks_with_due_date
    from {{ ref('mart_scope_status_monthly') }}
    where month_end = as_of
    group by scope
)
select h.scope, h.tasks_total, m.tasks_total as chart_tasks, h.tasks_completed, m.tasks_completed as chart_completed,
       h.tasks_overdue, m.tasks_overdue as chart_overdue
from {{ ref('mart_scope_headline') }} h
join last_month m using (scope)
where h.tasks_total <> m.tasks_total
   or h.tasks_completed is distinct from m.tasks_completed
   or h.tasks_overdue <> m.tasks_overdue
   or coalesce(h.tasks_awaiting_review, 0) <> coalesce(m.tasks_awaiting_review, 0)
   or h.tasks_with_due_date is distinct from m.tasks_with_due_date
