-- Monthly series per KPI and region, for charts, as of var as_of, with the target line.
--   value        : the month's own observation (当月), null where the region reports only 累计
--   ytd_value    : the year to date through the month, formed by the catalogue's year_rule
--                  (int_kpi_ytd_values: day-weighted mean, good days / valid days, sum, the 累计 value given)
--   judged_value : ytd_value rounded as bulletins publish it (GB/T 8170); for a level at a date
--                  (year_rule level_at_date) it is the month's value
--   target_threshold / stretch_threshold : the binding and the stretch (力争) level for the KPI, region
--                  and year (int_target_thresholds; the strictest when several are printed), null when
--                  the plans set none
-- Each point keeps the file and row it came from (the 当月 row, else the 累计 row).
with o as (
    select kpi, region, year, month, period,
           any_value(value) filter (where period_kind = '当月') as value,
           arg_max(file_name, period_kind = '当月') as file_name,
           arg_max(row_number, period_kind = '当月') as row_number,
           bool_or(is_sample) as is_sample
    from {{ ref('int_observations') }}
    where not is_annual
    group by kpi, region, year, month, period
),
thresholds as (
    select
        kpi, region, year,
        any_value(direction) as direction,
        case when any_value(direction) in ('>=', '>') then max(threshold) filter (where is_binding)
             else min(threshold) filter (where is_binding) end as target_threshold,
        case when any_value(direction) in ('>=', '>') then max(threshold) filter (where not is_binding)
             else min(threshold) filter (where not is_binding) end as stretch_threshold
    from {{ ref('int_target_thresholds') }}
    group by kpi, region, year
)
select
    o.kpi,
    k.name_zh as kpi_name_zh,
    k.name_en as kpi_name_en,
    k.measure_unit,
    k.year_rule,
    o.region,
    o.year,
    o.month,
    o.period,
    o.value,
    round(y.value, 4) as ytd_value,
    y.judged_value,
    y.valid_days,
    y.is_complete,
    coalesce(th.direction, k.comparator) as direction,
    th.target_threshold,
    th.stretch_threshold,
    o.file_name,
    o.row_number,
    o.is_sample,
    {{ as_of() }} as as_of
from o
join {{ ref('stg_kpi_catalogue') }} k using (kpi)
join {{ ref('int_kpi_ytd_values') }} y
    on y.kpi = o.kpi and y.region = o.region and y.year = o.year and y.through_month = o.month
left join thresholds th on th.kpi = o.kpi and th.region = o.region and th.year = o.year
