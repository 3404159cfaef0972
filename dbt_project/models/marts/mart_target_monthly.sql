-- Every target's judged value and status at every month end of its target year up to the as-of date
-- (a periodic snapshot beside mart_task_status_monthly). Grain: target × month_end.
-- The value at a month end is the year to date through that month (int_kpi_ytd_values, formed by the
-- catalogue's year_rule, rounded per GB/T 8170), the annual value once the year is over and one is
-- reported; judged by macro target_status, as mart_target_attainment is. An observation is known once
-- its month has ended (observation files carry no per-row arrival; a station's monthly figures are
-- published after the month).
with t as (select * from {{ ref('int_target_thresholds') }}),
months as (
    select t.target_id, t.kpi, t.region, t.year, t.threshold, t.direction, t.is_binding,
           unnest(generate_series(1, 12)) as month
    from t
),
grid as (
    select *, last_day(make_date(year, month, 1)) as month_end
    from months
    where last_day(make_date(year, month, 1)) <= {{ as_of() }}
),
annual as (
    select kpi, region, year, value, is_sample from {{ ref('int_observations') }} where is_annual
),
valued as (
    select
        g.*,
        case when a.value is not null and g.month = 12 then 'annual' else y.value_basis end as value_basis,
        y.through_month,
        y.valid_days,
        case when a.value is not null and g.month = 12 then {{ gbt8170_round('a.value', 'k.decimals') }}
             else y.judged_value end as judged_value,
        g.month = 12 as final,
        -- as int_kpi_year_values judges the as-of date: the latest year to date known, and a final year of a
        -- daily-value indicator needs its months to December
        (a.value is not null and g.month = 12)
            or (coalesce(y.is_complete, true)
                and (k.year_rule not in ('day_weighted_mean', 'good_day_ratio') or g.month < 12 or y.through_month = 12))
            as is_complete
    from grid g
    join {{ ref('stg_kpi_catalogue') }} k using (kpi)
    left join annual a using (kpi, region, year)
    asof left join {{ ref('int_kpi_ytd_values') }} y
        on y.kpi = g.kpi and y.region = g.region and y.year = g.year and g.month >= y.through_month
)
select
    target_id, month_end, kpi, region, year, is_binding, threshold, direction,
    value_basis, through_month, valid_days, judged_value, final, is_complete,
    {{ target_status('judged_value', 'threshold', 'direction', 'final', 'is_complete') }} as status,
    {{ as_of() }} as as_of
from valued
