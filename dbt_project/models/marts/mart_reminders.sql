-- The reminders due as of var as_of (issue 26): what each unit must still send.
-- Grain: unit × task × kind (region, unit, task_id, kind). A lead unit is reminded of a task it has not
-- reported for a period (int_reporting_obligations, the one rule of who reports what) whose report is due
-- within review_policy.remind_days_before days (kind due_soon) or already late (kind late); the row names the
-- oldest such period, and periods_open counts them. A unit whose report the supervising office returned
-- (int_report_review, the review rule) is reminded to resubmit it (kind resubmit, with the supervisor's
-- reason) until a later report of the same task and period arrives. Recipients' addresses come from
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
),
-- each unit's last report of a task and period known by as_of (the latest file and row, as the review
-- queue orders them); a returned one is still to be resubmitted
last_report as (
    select v.task_id, v.unit, v.period, v.review_state, v.returned_reason, v.returned_at
    from {{ ref('int_report_review') }} v
    join {{ ref('stg_progress_reports') }} r using (report_key)
    qualify row_number() over (
        partition by v.task_id, v.unit, v.period
        order by r.ingested_at desc, r.received_at desc, r.file_checksum desc, r.sheet desc, r.row_number desc) = 1
),
resubmit as (
    select t.region, l.unit, l.task_id, min(l.period) as period, count(*) as periods_open,
           arg_min(l.returned_reason, l.period) as reason, arg_min(l.returned_at, l.period) as returned_at
    from last_report l
    join {{ ref('stg_tasks') }} t using (task_id)
    where l.review_state = 'returned'
    group by t.region, l.unit, l.task_id
),
due as (
    select region, unit, task_id, period, due_date, periods_open,
           case when due_date < {{ as_of() }} then 'late' else 'due_soon' end as kind,
           null::varchar as reason, null::timestamp as returned_at
    from per_task
    union all
    select region, unit, task_id, period, null::date as due_date, periods_open, 'resubmit' as kind, reason, returned_at
    from resubmit
)
select
    d.region, d.unit, d.task_id, t.title as task_title, d.period, d.due_date, d.periods_open, d.kind,
    coalesce(greatest(date_diff('day', d.due_date, {{ as_of() }}), 0), 0) as days_late,
    d.reason, d.returned_at,
    c.contact, c.email,
    {{ as_of() }} as as_of
from due d
join {{ ref('stg_tasks') }} t using (task_id)
left join {{ ref('stg_unit_contacts') }} c on c.region = d.region and c.unit = d.unit
