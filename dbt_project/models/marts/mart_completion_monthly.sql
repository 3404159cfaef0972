-- Completion over time: the completion KPIs (macro completion_measures, where each formula is written)
-- at every month end from the plans' start to the as-of date, as known then (mart_task_status_monthly).
-- Grain: dimension (all / plan / region) × dimension_value × month_end. A plan is keyed by plan_id
-- (dimension_label carries its plan_label: two plans may share a title). One scan with grouping sets, not three
-- copies of the task × month rows (4M rows at province scale).
with s as (
    select m.*, p.plan_label
    from {{ ref('mart_task_status_monthly') }} m
    join {{ ref('stg_plans') }} p using (plan_id)
),
grouped as (
    select
        case when grouping(plan_id) = 0 then 'plan' when grouping(region) = 0 then 'region' else 'all' end
            as dimension,
        coalesce(plan_id, region, '全部') as dimension_value,
        case when grouping(plan_id) = 0 then any_value(plan_label) when grouping(region) = 0 then region
             else '全部' end as dimension_label,
        month_end,
        {{ completion_measures() }}
    from s
    group by grouping sets ((month_end), (plan_id, month_end), (region, month_end))
)
select * from grouped
