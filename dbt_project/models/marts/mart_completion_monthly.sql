-- Completion over time: the completion KPIs (macro completion_measures, where each formula is written)
-- at every month end from the plans' start to the as-of date, as known then (mart_task_status_monthly).
-- Grain: dimension (all / plan / region) × dimension_value × month_end. A plan is keyed by plan_id
-- (dimension_label carries its title: two plans may share one).
with s as (
    select * from {{ ref('mart_task_status_monthly') }}
),
dims as (
    select 'all' as dimension, '全部' as dimension_value, '全部' as dimension_label, * from s
    union all
    select 'plan', s.plan_id, p.title, s.* from s join {{ ref('stg_plans') }} p using (plan_id)
    union all
    select 'region', region, region, * from s
)
select
    dimension,
    dimension_value,
    any_value(dimension_label) as dimension_label,
    month_end,
    {{ completion_measures() }}
from dims
group by dimension, dimension_value, month_end
