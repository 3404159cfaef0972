-- The 督办 list (issue 26), as of var as_of. Grain: one 督办 per task that has ever had one (open or
-- closed). Its state is the task's latest event in mart_escalation_history (rule-made or manual; on one
-- day a manual event follows the rule's): open when that event issued it. origin and reason are those of
-- the latest issue (the rule's reason — 逾期 N 天 / 连续 N 期滞后 — or the supervisor's note; an open rule 督办 of an overdue task gives today's days overdue); opened_on
-- is that issue's day, closed_on the day of the close after it. last_note: the latest event's note.
with h as (
    select *, row_number() over (partition by task_id order by on_day desc, origin = 'manual' desc, seq desc) as rn
    from {{ ref('mart_escalation_history') }}
),
latest as (select * from h where rn = 1),
last_issue as (
    select task_id, on_day as opened_on, origin, note as reason
    from h where action = 'issue'
    qualify row_number() over (partition by task_id order by rn) = 1
)
select
    l.task_id,
    l.task_title,
    s.plan_title,
    s.no,
    l.region,
    s.lead_units,
    i.origin,
    case  -- an open rule 督办 of an overdue task says how overdue it is now, not when it was issued
        when i.origin = 'rule' and l.action = 'issue' and s.is_overdue then '逾期 ' || s.days_overdue || ' 天'
        else i.reason
    end as reason,
    i.opened_on,
    case when l.action = 'close' then l.on_day end as closed_on,
    l.action = 'issue' as is_open,
    l.note as last_note,
    s.days_overdue,
    s.status_class,
    {{ as_of() }} as as_of,
    -- /review's order, written once here (its grid reads its first rows by it): open first, oldest first
    row_number() over (order by l.action = 'issue' desc, i.opened_on, l.task_id) as list_order
from latest l
join last_issue i using (task_id)
join {{ ref('int_task_status') }} s using (task_id)
order by list_order  -- stored in list order: a block of the list is a range of it
