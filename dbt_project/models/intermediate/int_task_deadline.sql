-- One deadline per task: the latest dated deadline (date or window end) if any;
-- otherwise the kind of its undated deadlines (ongoing before recurring before seasonal).
with d as (select * from {{ ref('stg_task_deadlines') }})
select
    t.task_id,
    max(d.due_date) as due_date,
    case
        when max(d.due_date) is not null then 'date'
        when bool_or(d.kind = 'ongoing') then 'ongoing'
        when bool_or(d.kind = 'recurring') then 'recurring'
        when bool_or(d.kind = 'seasonal') then 'seasonal'
        else 'none'
    end as deadline_kind,
    string_agg(d.text, '；' order by d.seq) as deadline_text
from {{ ref('stg_tasks') }} t
left join d using (task_id)
group by t.task_id
