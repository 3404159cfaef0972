-- Completion per responsible unit and role (macro completion_measures, where each formula is written).
-- A unit's 牵头 (lead), 配合 (support) and 落实 (implement) tasks are counted separately; a task counts
-- once for each of its units. Units are named per region (the same canonical name, e.g. 市生态环境局,
-- is a different office in each city).
with u as (select distinct task_id, role, unit from {{ ref('stg_task_units') }})
select
    s.region,
    u.unit,
    u.role,
    {{ completion_measures() }}
from u
join {{ ref('int_task_status') }} s using (task_id)
group by s.region, u.unit, u.role
