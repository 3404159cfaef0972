-- One due date per task.
--   due_basis = printed   : the latest dated deadline of the task (a date, the end of a window, or a
--                           relative period 一年内 counted by the parser from the notice's issue date:
--                           kind = relative has its due_date computed, so it counts as printed here),
--                           printed in the task's own sentence
--   due_basis = annex     : the same, when that latest date is printed only in the annex ledger (台账)
--   due_basis = plan_year : no dated deadline and no standing wording: the task of a yearly action plan
--                           is due by 31 December of the plan year — an assumption (推定), shown as one
--   due_basis = ongoing   : only standing wording (长期坚持 / 持续推进, 每年…, 秋冬季): no due date;
--                           such tasks are reported apart from completion
with d as (select * from {{ ref('stg_task_deadlines') }}),
per_task as (
    select
        t.task_id,
        p.year as plan_year,
        max(d.due_date) as printed_due_date,
        arg_max(d.source, (d.due_date, d.source = 'text')) filter (where d.due_date is not null) as printed_source,
        bool_or(d.kind in ('ongoing', 'recurring', 'seasonal')) as has_standing_deadline,
        case
            when bool_or(d.kind = 'ongoing') then 'ongoing'
            when bool_or(d.kind = 'recurring') then 'recurring'
            when bool_or(d.kind = 'seasonal') then 'seasonal'
        end as standing_kind,
        string_agg(d.text, '；' order by d.seq) as deadline_text
    from {{ ref('stg_tasks') }} t
    join {{ ref('stg_plans') }} p using (plan_id)
    left join d using (task_id)
    group by t.task_id, p.year
),
based as (
    select
        *,
        case
            when printed_due_date is not null and printed_source = 'annex' then 'annex'
            when printed_due_date is not null then 'printed'
            when coalesce(has_standing_deadline, false) then 'ongoing'
            else 'plan_year'
        end as due_basis
    from per_task
)
select
    task_id,
    case
        when printed_due_date is not null then printed_due_date
        when not coalesce(has_standing_deadline, false) then make_date(plan_year, 12, 31)
    end as due_date,
    due_basis,
    case due_basis when 'annex' then '台账所列' when 'printed' then '文件所列' when 'ongoing' then '长期'
                   else '推定（计划年末）' end as due_basis_zh,
    case when printed_due_date is not null then 'date' else coalesce(standing_kind, 'none') end as deadline_kind,
    deadline_text
from based
