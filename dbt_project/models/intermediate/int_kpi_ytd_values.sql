-- The value of each KPI per region and year through each month (the year to date at the month's end),
-- formed by the catalogue's year_rule; rules and sources in _models.yml. One row per month that has a
-- 当月 or a 累计 observation; int_kpi_year_values takes the latest, mart_target_monthly every one.
with o as (
    select * from {{ ref('int_observations') }} where not is_annual
),
months as (
    -- 当月 rows feed the running sums; a 累计 row of the same month is carried beside them
    select
        kpi, region, year, month,
        any_value(value) filter (where period_kind = '当月') as month_value,
        any_value(coalesce(valid_days, days_in_month)) filter (where period_kind = '当月') as month_weight,
        any_value(valid_days) filter (where period_kind = '当月') as month_valid_days,
        any_value(coalesce(good_days, value / 100 * coalesce(valid_days, days_in_month)))
            filter (where period_kind = '当月') as month_good_days,
        any_value(value) filter (where period_kind = '累计') as cumulative_value,
        any_value(valid_days) filter (where period_kind = '累计') as cumulative_valid_days,
        bool_or(period_kind = '当月' and valid_days is null) as month_valid_days_missing,
        bool_or(is_sample) as is_sample
    from o
    group by kpi, region, year, month
),
running as (
    select
        m.*,
        k.year_rule,
        k.decimals,
        count(month_value) over w as months_reported,
        sum(month_value * month_weight) over w / nullif(sum(month_weight) over w, 0) as day_weighted_mean,
        100 * sum(month_good_days) over w / nullif(sum(month_weight) over w, 0) as good_day_ratio,
        sum(month_value) over w as year_sum,
        last_value(month_value ignore nulls) over w as level_at_date,
        sum(month_valid_days) over w as month_valid_days_sum,
        bool_or(month_valid_days_missing) over w as valid_days_missing,
        bool_or(is_sample) over w as includes_sample_data
    from months m
    join {{ ref('stg_kpi_catalogue') }} k using (kpi)
    window w as (partition by m.kpi, m.region, m.year order by m.month rows between unbounded preceding and current row)
),
formed as (
    select
        *,
        case
            when cumulative_value is not null then 'cumulative'
            else year_rule
        end as value_basis,
        case
            when cumulative_value is not null then cumulative_value
            when year_rule = 'day_weighted_mean' then day_weighted_mean
            when year_rule = 'good_day_ratio' then good_day_ratio
            when year_rule = 'sum' then year_sum
            else level_at_date
        end as value,
        -- valid days of the year to date: the 累计 row's count, else the months' counts summed
        case when cumulative_value is not null then cumulative_valid_days
             when not valid_days_missing then month_valid_days_sum end as valid_days,
        -- GB 3095-2012 §8 (table 4): ≥ 27 daily values a month (25 in February), ≥ 324 a year
        case when month = 12 then 324 else 27 * month - case when month >= 2 then 2 else 0 end end
            as required_valid_days
    from running
)
select
    kpi, region, year, month as through_month,
    last_day(make_date(year, month, 1)) as through_date,
    year_rule, value_basis, decimals,
    months_reported,
    value,
    {{ gbt8170_round('value', 'decimals') }} as judged_value,
    level_at_date as latest_value,
    valid_days,
    case when year_rule in ('day_weighted_mean', 'good_day_ratio') then required_valid_days end as required_valid_days,
    -- completeness applies to the daily-value indicators; without day counts, every month must be there
    case
        when year_rule not in ('day_weighted_mean', 'good_day_ratio') then true
        when valid_days is not null then valid_days >= required_valid_days
        when value_basis = 'cumulative' then true
        else months_reported = month
    end as is_complete,
    includes_sample_data
from formed
