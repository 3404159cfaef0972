-- Tasks whose due date has passed (as of var as_of) and that are not completed, most overdue first.
select
    task_id, plan_id, plan_title, domain, region, category, no, title, lead_unit, lead_units,
    due_date, due_basis, deadline_text, days_overdue, latest_status, latest_percent, latest_period,
    source, start_line, end_line, location, as_of
from {{ ref('mart_task_status') }}
where is_overdue
order by days_overdue desc, task_id
