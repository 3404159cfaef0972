-- The reminders due as of var as_of (issue 26): what each unit must still send.
-- Grain: unit × task (region, unit, task_id). A lead unit (the units compliance scores) is reminded of a
-- task it has not reported for a period (int_reporting_obligations, the one rule of who reports what) whose
-- report is due within review_policy.remind_days_before days (kind due_soon) or already late (kind late);
-- the row names the oldest such period, and periods_open counts them. Recipients' addresses come from
-- unit_contacts.csv (email null: the reminder is written to the outbox, not mailed).
with policy as (select remind_days_before from {{ ref('stg_review_policy') }}),
open as (
    select o.region, o.unit, o.task_id, o.period, o.due_date
    from {{ ref('int_reporting_obligations') }} o
    cross join policy p
    where o.role = 'lead' and not o.unit_reported
      and o.due_date <= {{ as_of() }} + p.remind_days_before * interval 1 day
),
per_task as (
    select region, unit, task_id,
           min(period) as period, min(due_date) as due_date, count(*) as periods_open
    from open
    group by region, unit, task_id
)
select
    p.region, p.unit, p.task_id, t.title as task_title, p.period, p.due_date, p.periods_open,
    case when p.due_date < {{ as_of() }} then 'late' else 'due_soon' end as kind,
    greatest(date_diff('day', p.due_date, {{ as_of() }}), 0) as days_late,
    c.contact, c.email,
    {{ as_of() }} as as_of
from per_task p
join {{ ref('stg_tasks') }} t using (task_id)
left join {{ ref('stg_unit_contacts') }} c on c.region = p.region and c.unit = p.unit
