-- mart_escalation_history finds lagging runs by month number and a task's previous month end by a join: it
-- relies on mart_task_status_monthly's grain holding every month end of a task, from its first to as_of,
-- with no gap (and only months' last days). Rows returned = tasks where that does not hold.
select task_id, count(*) as month_ends, min(month_end) as first_month_end, max(month_end) as last_month_end
from {{ ref('mart_task_status_monthly') }}
group by task_id
having count(*) <> date_diff('month', min(month_end), max(month_end)) + 1
    or bool_or(month_end <> last_day(month_end))
