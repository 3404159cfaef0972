-- Task status as of the as-of date.
--   completed  : latest report says 已完成 (done)
--   is_due     : the task has a due date on or before as_of
--   overdue    : due, and not completed
--   on_time    : completed on or before the due date
with lead_units as (
    select task_id, string_agg(unit, '、' order by unit) as lead_units, min(unit) as lead_unit
    from {{ ref('stg_task_units') }}
    where role = 'lead'
    group by task_id
)
select
    t.task_id,
    t.plan_id,
    p.title as plan_title,
    p.domain,
    t.region,
    t.section as category,
    t.no,
    t.title,
    t.text,
    t.source,
    t.start_line,
    t.end_line,
    coalesce(l.lead_unit, '（未识别）') as lead_unit,
    l.lead_units,
    d.due_date,
    d.deadline_kind,
    d.deadline_text,
    r.status as latest_status,
    r.status_code as latest_status_code,
    r.percent as latest_percent,
    r.period as latest_period,
    r.completed_on,
    r.file_name as report_file,
    r.row_number as report_row,
    coalesce(r.is_sample, false) as is_sample,
    coalesce(r.status_code = 'done', false) as is_completed,
    d.due_date is not null and d.due_date <= {{ as_of() }} as is_due,
    d.due_date is not null and d.due_date <= {{ as_of() }}
        and not coalesce(r.status_code = 'done', false) as is_overdue,
    case
        when d.due_date is not null and d.due_date <= {{ as_of() }}
             and not coalesce(r.status_code = 'done', false)
        then date_diff('day', d.due_date, {{ as_of() }})
    end as days_overdue,
    case when r.status_code = 'done' and d.due_date is not null
         then r.completed_on <= d.due_date end as completed_on_time,
    case
        when r.status_code = 'done' and d.due_date is not null and r.completed_on <= d.due_date then 'completed_on_time'
        when r.status_code = 'done' and d.due_date is not null then 'completed_late'
        when r.status_code = 'done' then 'completed'
        when d.due_date is not null and d.due_date <= {{ as_of() }} then 'overdue'
        when d.due_date is not null then 'not_due'
        when d.deadline_kind in ('ongoing', 'recurring', 'seasonal') then 'ongoing'
        else 'no_deadline'
    end as status_class,
    {{ as_of() }} as as_of
from {{ ref('stg_tasks') }} t
join {{ ref('stg_plans') }} p using (plan_id)
left join lead_units l using (task_id)
left join {{ ref('int_task_deadline') }} d using (task_id)
left join {{ ref('int_task_latest_report') }} r using (task_id)
