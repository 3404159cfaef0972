-- The values the 任务 page offers in its filters (region, plan, domain, category, unit), one row each:
-- a province's 141,600 tasks are scanned here once per build, not on every page request.
select distinct 'region' as facet, region as value from {{ ref('mart_task_status') }} where region is not null
union all select distinct 'plan', plan_title from {{ ref('mart_task_status') }} where plan_title is not null
union all select distinct 'domain', domain from {{ ref('mart_task_status') }} where domain is not null
union all select distinct 'category', category from {{ ref('mart_task_status') }} where category is not null
union all select distinct 'unit', unit from {{ ref('stg_task_units') }} where unit is not null
