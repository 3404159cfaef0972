-- The value of each KPI per region and year, as of the as-of date: the annual (年度) value when one is
-- reported (published, final, complete by definition), else the year to date through the latest month
-- known (int_kpi_ytd_values, formed by the catalogue's year_rule). judged_value is rounded as bulletins
-- publish it (GB/T 8170) and is what targets are judged on.
with annual as (
    select kpi, region, year, value, is_sample
    from {{ ref('int_observations') }}
    where is_annual
),
ytd as (
    select * from {{ ref('int_kpi_ytd_values') }}
    qualify row_number() over (partition by kpi, region, year order by through_month desc) = 1
),
keys as (
    select kpi, region, year from annual union select kpi, region, year from ytd
)
select
    k.kpi, k.region, k.year,
    coalesce(y.months_reported, 0) as months_reported,
    y.through_month,
    case when a.value is not null then 'annual' else y.value_basis end as value_basis,
    y.value as ytd_value,
    y.latest_value,
    coalesce(a.value, y.value) as value,
    case when a.value is not null then {{ gbt8170_round('a.value', 'c.decimals') }} else y.judged_value end as judged_value,
    y.valid_days,
    y.required_valid_days,
    -- a year judged as final on monthly values needs its months up to December (GB 3095-2012: 324 days)
    a.value is not null or (coalesce(y.is_complete, true)
        and (y.year_rule not in ('day_weighted_mean', 'good_day_ratio') or y.through_month = 12
             or make_date(k.year, 12, 31) > {{ as_of() }})) as is_complete,
    case when a.value is not null then k.year::varchar else y.year || '-' || lpad(y.through_month::varchar, 2, '0') end
        as latest_period,
    a.value is not null or make_date(k.year, 12, 31) <= {{ as_of() }} as is_final,
    coalesce(a.is_sample, false) or coalesce(y.includes_sample_data, false) as includes_sample_data
from keys k
join {{ ref('stg_kpi_catalogue') }} c using (kpi)
left join annual a using (kpi, region, year)
left join ytd y using (kpi, region, year)
