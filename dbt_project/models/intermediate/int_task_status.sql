-- Task status as of the as-of date (every rule stated once, here):
--   is_completed : the task's lead units say 已完成 (int_task_completion: all of them; a support unit's
--                  已完成 does not complete a task) and the completion date is not after as_of
--   is_ongoing   : no due date because the task is worded as standing (due_basis = ongoing)
--   is_due       : the due date is on or before as_of
--   is_overdue   : due and not completed; days_overdue = as_of - due date
--   completed_on_time : completed on or before the due date
--   is_awaiting_review: the lead units reported 已完成 and the supervising office's review is pending (issue
--                  26, int_task_completion): not completed, not overdue, status_class awaiting_review
{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='task_id',
          pre_hook="{{ delete_changed_tasks() }}") }}  -- the submissions_job recomputes the changed tasks only (macros/changed_tasks.sql)
with lead_units as (
    select task_id, string_agg(unit, '、' order by unit) as lead_units, min(unit) as lead_unit
    from {{ ref('stg_task_units') }}
    where role = 'lead'
    group by task_id
),
joined as (
    select
        t.task_id,
        t.plan_id,
        p.title as plan_title,
        p.plan_label,
        p.domain,
        p.year as plan_year,
        t.region,
        coalesce(g.city, t.region) as city,
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
        d.due_basis,
        d.due_basis_zh,
        d.deadline_kind,
        d.deadline_text,
        r.status as latest_status,
        r.status_code as latest_status_code,
        r.percent as latest_percent,
        r.period as latest_period,
        c.completed_on,
        coalesce(c.lead_units_done, 0) as lead_units_done,
        coalesce(c.lead_units_total, 0) as lead_units_total,
        r.file_name as report_file,
        r.row_number as report_row,
        coalesce(r.is_sample, false) as is_sample,
        coalesce(c.is_complete and c.completed_on <= {{ as_of() }}, false) as is_completed,
        coalesce(c.is_awaiting_review, false) as is_awaiting_review,
        coalesce(c.review_state, 'not_required') as review_state,
        c.reported_complete_on,
        c.approved_on,
        d.due_basis = 'ongoing' as is_ongoing,
        coalesce(d.due_date <= {{ as_of() }}, false) as is_due
    from {{ ref('stg_tasks') }} t
    join {{ ref('stg_plans') }} p using (plan_id)
    left join {{ ref('stg_regions') }} g on g.region = t.region
    left join lead_units l using (task_id)
    left join {{ ref('int_task_deadline') }} d using (task_id)
    left join {{ ref('int_task_latest_report') }} r using (task_id)
    left join {{ ref('int_task_completion') }} c using (task_id)
    {{ changed_tasks_filter('t.task_id', 'where') }}
)
select
    *,
    case when is_completed and approved_on is not null then approved_on end as closed_on,  -- 销号
    {{ task_state(as_of()) }},
    {{ as_of() }} as as_of
from joined
