-- Reporting compliance per unit and period, as of var as_of: every lead unit with open tasks in a
-- reporting period (int_reporting_obligations) and whether it reported.
--   reported_at   : when the unit's first report for the period arrived (the file's time in the inbox)
--   report_status : on_time  reported by the due date
--                   late     reported after the due date
--                   missing  not reported, and the due date has passed by as_of
--                   pending  not reported yet, the due date is still ahead
with expected as (
    select region, unit, period, any_value(due_date) as due_date, count(*) as tasks_expected,
           count(*) filter (where has_report) as tasks_reported
    from {{ ref('int_reporting_obligations') }}
    where role = 'lead'  -- compliance counts the lead units; support units report too but are not scored
    group by region, unit, period
),
received as (
    select t.region, r.unit, r.period, min(r.received_at) as reported_at, count(distinct r.file_name) as files,
           bool_or(r.is_sample) as is_sample
    from {{ ref('stg_progress_reports') }} r
    join {{ ref('stg_tasks') }} t using (task_id)
    group by t.region, r.unit, r.period
)
select
    e.region,
    e.unit,
    e.period,
    e.due_date,
    e.tasks_expected,
    e.tasks_reported,
    r.reported_at,
    coalesce(r.files, 0) as files,
    case
        when r.reported_at is not null and r.reported_at::date <= e.due_date then 'on_time'
        when r.reported_at is not null then 'late'
        when e.due_date <= {{ as_of() }} then 'missing'
        else 'pending'
    end as report_status,
    case when r.reported_at::date > e.due_date then date_diff('day', e.due_date, r.reported_at::date) end as days_late,
    coalesce(r.is_sample, false) as includes_sample_data,
    {{ as_of() }} as as_of
from expected e
left join received r using (region, unit, period)
