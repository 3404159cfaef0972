-- The values the 任务 page offers in its filters (region, plan, domain, category, unit), one row each
-- (grain: facet × value): a province's 141,600 tasks are scanned here once per build, not on every page
-- request. value is what the URL carries and the filter matches, label what the reader sees, name the
-- name alone (an old link by name is resolved through it), region the region the value belongs to:
--   plan : value plan_id, label plan_label — two plans with one title stay two
--   unit : value 地区/单位, label 单位（地区）— units are named per region (阳泉's and 晋城's 市生态环境局
--          are two offices), so a unit is (region, unit), never the name alone
-- label_order and facet_values are counted here so that a page's first paint reads each filter's first
-- hundred options by label with a range lookup (the table is stored in that order), instead of sorting
-- and counting a province's 51,200 units and 7,200 plans on every request.
with facets as (
    select distinct 'region' as facet, region as value, region as label, region as name, region
    from {{ ref('mart_task_status') }} where region is not null
    union all select distinct 'plan', plan_id, plan_label, plan_title, region from {{ ref('mart_task_status') }}
    union all select distinct 'domain', domain, domain, domain, null from {{ ref('mart_task_status') }} where domain is not null
    union all select distinct 'category', category, category, category, null from {{ ref('mart_task_status') }}
        where category is not null
    union all select distinct 'unit', region || '/' || unit, unit || '（' || region || '）', unit, region
    from {{ ref('mart_task_units') }} where unit is not null
)
select
    facet, value, label, name, region,
    row_number() over (partition by facet order by label, value) as label_order,
    count(*) over (partition by facet) as facet_values
from facets
order by facet, label_order
