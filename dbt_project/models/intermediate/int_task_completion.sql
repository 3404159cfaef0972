-- Who may complete a task, and when it is complete, as of var as_of — the authority rule, once.
-- Only lead units (牵头/负责) complete a task: a support unit (配合) reports its part, and its 已完成
-- says nothing about the task. With several lead units the task is complete when ALL of them say so:
-- each lead unit's own latest report (as of as_of) says 已完成; the task is complete from the last of
-- them (completed_on = the latest of their completion dates; done_period = the period in which the last
-- of them first said 已完成).
-- A task that names no lead unit is completed by any of its units' latest report (nobody else could).
-- A unit reporting under the name printed in the plan counts as that unit.
-- Grain: task_id, for every task with at least one report. Read by int_task_status (is_completed) and
-- int_reporting_obligations (a task is not expected after the period that completed it).
with leads as (
    select distinct task_id, unit, unit as reported_as from {{ ref('stg_task_units') }} where role = 'lead'
    union
    select distinct task_id, unit, unit_printed from {{ ref('stg_task_units') }}
    where role = 'lead' and unit_printed is not null
),
lead_count as (
    select task_id, count(distinct unit) as lead_units_total from leads group by task_id
),
unit_latest as (  -- each unit's own report in force (same ordering as int_task_latest_report)
    select
        r.task_id,
        coalesce(l.unit, r.unit) as unit,
        l.unit is not null as is_lead,
        arg_max(r.status_code, (r.period, r.ingested_at, r.received_at, r.file_checksum, r.sheet, r.row_number)) as status_code,
        arg_max(r.completed_on, (r.period, r.ingested_at, r.received_at, r.file_checksum, r.sheet, r.row_number)) as completed_on,
        min(r.period) filter (where r.status_code = 'done') as first_done_period
    from {{ ref('stg_progress_reports') }} r
    left join leads l on l.task_id = r.task_id and l.reported_as = r.unit
    where r.period_start <= {{ as_of() }}
    group by all
)
select
    u.task_id,
    coalesce(c.lead_units_total, 0) as lead_units_total,
    count(distinct u.unit) filter (where u.is_lead and u.status_code = 'done') as lead_units_done,
    case
        when c.lead_units_total is null then bool_or(u.status_code = 'done')
        else count(distinct u.unit) filter (where u.is_lead and u.status_code = 'done') = c.lead_units_total
    end as is_complete,
    case
        when c.lead_units_total is null then max(u.completed_on) filter (where u.status_code = 'done')
        else max(u.completed_on) filter (where u.is_lead and u.status_code = 'done')
    end as completed_on,
    case  -- the period of each unit's first 已完成; the task's is the last lead unit's
        when c.lead_units_total is null then min(u.first_done_period) filter (where u.status_code = 'done')
        else max(u.first_done_period) filter (where u.is_lead and u.status_code = 'done')
    end as done_period
from unit_latest u
left join lead_count c using (task_id)
group by u.task_id, c.lead_units_total
