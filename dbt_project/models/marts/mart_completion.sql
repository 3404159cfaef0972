-- Completion KPIs (macro completion_measures, where each formula is written) per dimension:
-- all / plan / domain / region / city (a city with its counties) / category.
with s as (select * from {{ ref('int_task_status') }}),
dims as (
    select 'all' as dimension, '全部' as dimension_value, * from s
    union all select 'plan', plan_title, * from s
    union all select 'domain', domain, * from s
    union all select 'region', region, * from s
    union all select 'city', city, * from s
    union all select 'category', category, * from s
)
select
    dimension,
    dimension_value,
    {{ completion_measures() }}
from dims
group by dimension, dimension_value
