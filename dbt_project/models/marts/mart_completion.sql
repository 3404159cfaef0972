-- Completion KPIs (macro completion_measures, where each formula is written) per dimension:
-- all / plan / domain / region / city (a city with its counties) / category. A plan is keyed by its
-- plan_id (two plans may share a title); dimension_label is what to show (the plan's plan_label, its
-- title made unique: two bars of one title would be drawn as one).
with s as (select * from {{ ref('int_task_status') }}),
dims as (
    select 'all' as dimension, '全部' as dimension_value, '全部' as dimension_label, * from s
    union all select 'plan', plan_id, plan_label, * from s
    union all select 'domain', domain, domain, * from s
    union all select 'region', region, region, * from s
    union all select 'city', city, city, * from s
    union all select 'category', category, category, * from s
)
select
    dimension,
    dimension_value,
    any_value(dimension_label) as dimension_label,
    {{ completion_measures() }}
from dims
group by dimension, dimension_value
