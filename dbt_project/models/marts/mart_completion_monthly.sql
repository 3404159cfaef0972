-- Completion over time: the completion KPIs (macro completion_measures, where each formula is written)
-- at every month end from the plans' start to the as-of date, as known then (mart_task_status_monthly).
-- Grain: dimension (all / plan / region) × dimension_value × month_end. A plan is keyed by plan_id
-- (dimension_label carries its plan_label: two plans may share a title). One scan with grouping sets, not three
-- copies of the task × month rows (4M rows at province scale); the plans' labels are joined to the grouped
-- rows (one per plan and month), not to the 4M task rows.
with grouped as (
    select
        case when grouping(plan_id) = 0 then 'plan' when grouping(region) = 0 then 'region' else 'all' end
            as dimension,
        coalesce(plan_id, region, '全部') as dimension_value,
        month_end,
        {{ completion_measures() }}
    from {{ ref('mart_task_status_monthly') }}
    group by grouping sets ((month_end), (plan_id, month_end), (region, month_end))
)
select
    g.dimension,
    g.dimension_value,
    case g.dimension when 'plan' then p.plan_label when 'region' then g.dimension_value else '全部' end
        as dimension_label,
    g.* exclude (dimension, dimension_value)
from grouped g
left join {{ ref('stg_plans') }} p on g.dimension = 'plan' and p.plan_id = g.dimension_value
