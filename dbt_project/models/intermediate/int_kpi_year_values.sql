-- The value of each KPI per region and year, as of the as-of date.
--   months_reported : monthly values of the year known so far
--   ytd_mean        : mean of those monthly values (year to date)
--   latest_value    : the annual value if there is one, else the latest month's value
--   value           : the annual value if reported; else ytd_mean for concentrations
--                     (aggregation = mean), latest_value for rates and counts (aggregation = latest)
--   is_final        : an annual value exists, or the year has ended
with o as (select * from {{ ref('int_observations') }}),
per_year as (
    select
        kpi,
        region,
        year,
        count(*) filter (where not is_annual) as months_reported,
        avg(value) filter (where not is_annual) as ytd_mean,
        arg_max(value, coalesce(month, 13)) as latest_value,
        any_value(value) filter (where is_annual) as annual_value,
        max(period) as latest_period,
        bool_or(is_sample) as includes_sample_data
    from o
    group by kpi, region, year
)
select
    y.*,
    case
        when y.annual_value is not null then y.annual_value
        when k.aggregation = 'mean' then y.ytd_mean
        else y.latest_value
    end as value,
    y.annual_value is not null or make_date(y.year, 12, 31) <= {{ as_of() }} as is_final
from per_year y
join {{ ref('stg_kpi_catalogue') }} k using (kpi)
