-- Every responsible unit of every task, as printed and as canonical (grain: task × role × unit as
-- printed), with the task's region: units are named per region, so (region, unit) is a unit's key.
-- The task detail lists them, the 任务 page's unit filter matches them (the dashboard reads marts only).
select
    u.task_id,
    t.region,
    u.role,
    case u.role when 'lead' then 0 when 'support' then 1 else 2 end as role_order,
    u.unit_printed,
    u.unit,
    u.members,
    u.propagated
from {{ ref('stg_task_units') }} u
join {{ ref('stg_tasks') }} t using (task_id)
order by u.task_id, role_order  -- task order: a lookup by task_id reads one block
