-- Monthly series per KPI and region, for charts, as of var as_of, with the target line.
--   value        : the month's observation (the latest submission for the month)
--   ytd_mean     : mean of the year's months up to this one (the line a concentration target is judged on)
--   judged_value : ytd_mean for concentrations (aggregation = mean), the month's value for rates
--   target_threshold / stretch_threshold : the binding and the stretch (力争) level for the KPI, region
--                  and year (int_target_thresholds; the strictest when several are printed), null when
--                  the plans set none
-- Each point keeps the file and row it came from.
with o as (
    select * from {{ ref('int_observations') }} where not is_annual
),
thresholds as (
    select
        kpi, region, year,
        any_value(direction) as direction,
        case when any_value(direction) in ('>=', '>') then max(threshold) filter (where not stretch)
             else min(threshold) filter (where not stretch) end as target_threshold,
        case when any_value(direction) in ('>=', '>') then max(threshold) filter (where stretch)
             else min(threshold) filter (where stretch) end as stretch_threshold
    from {{ ref('int_target_thresholds') }}
    group by kpi, region, year
)
select
    o.kpi,
    k.name_zh as kpi_name_zh,
    k.name_en as kpi_name_en,
    k.unit,
    k.aggregation,
    o.region,
    o.year,
    o.month,
    o.period,
    o.value,
    round(avg(o.value) over (partition by o.kpi, o.region, o.year order by o.month), 2) as ytd_mean,
    case when k.aggregation = 'mean'
         then round(avg(o.value) over (partition by o.kpi, o.region, o.year order by o.month), 2)
         else o.value end as judged_value,
    coalesce(th.direction, k.comparator) as direction,
    th.target_threshold,
    th.stretch_threshold,
    o.file_name,
    o.row_number,
    o.is_sample,
    {{ as_of() }} as as_of
from o
join {{ ref('stg_kpi_catalogue') }} k using (kpi)
left join thresholds th on th.kpi = o.kpi and th.region = o.region and th.year = o.year
