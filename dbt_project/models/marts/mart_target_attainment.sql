-- Target attainment per parsed numeric target with a catalogue KPI, as of var as_of.
--   actual_latest : the latest observation of the target year (monthly or annual)
--   actual_ytd    : mean of the target year's monthly values up to as_of
--   actual        : actual_ytd for concentrations (aggregation = mean), actual_latest for rates
--   gap           : actual - target_value (negative is good for <=, positive is good for >=)
--   final         : the target year has ended (as_of >= 31 Dec of the year) or an annual value exists
--   status        : no_data  when there is no observation for the KPI, region and year
--                   met      when final and actual satisfies the comparator
--                   missed   when final and it does not
--                   on_track when not final and actual satisfies the comparator so far
--                   at_risk  when not final and it does not
--                   no_rule  when the comparator is not a plain <=, >= or =
with obs as (
    select * from {{ ref('stg_observations') }}
    where (is_annual and make_date(year, 12, 31) <= {{ as_of() }})
       or (not is_annual and make_date(year, month, 1) <= {{ as_of() }})
),
per_target as (
    select
        g.target_id,
        count(o.value) filter (where not o.is_annual) as months_reported,
        avg(o.value) filter (where not o.is_annual) as actual_ytd,
        arg_max(o.value, coalesce(o.month, 13)) as actual_latest,
        max(o.period) as latest_period,
        bool_or(o.is_annual) as has_annual,
        bool_or(o.is_sample) as includes_sample_data
    from {{ ref('stg_targets') }} g
    left join obs o on o.kpi = g.kpi and o.region = g.region and o.year = g.year
    group by g.target_id
),
measured as (
    select
        g.*,
        k.name_zh as kpi_name_zh,
        k.name_en as kpi_name_en,
        k.aggregation,
        pt.months_reported,
        pt.actual_ytd,
        pt.actual_latest,
        pt.latest_period,
        coalesce(pt.includes_sample_data, false) as includes_sample_data,
        case when k.aggregation = 'mean' and not coalesce(pt.has_annual, false) then pt.actual_ytd
             else pt.actual_latest end as actual,
        coalesce(pt.has_annual, false) or make_date(g.year, 12, 31) <= {{ as_of() }} as final
    from {{ ref('stg_targets') }} g
    join {{ ref('stg_kpi_catalogue') }} k using (kpi)
    join per_target pt using (target_id)
),
judged as (
    select *,
        case comparator
            when '<=' then actual <= target_value
            when '>=' then actual >= target_value
            when '=' then actual = target_value
        end as satisfied
    from measured
)
select
    target_id, plan_id, task_id, source, line, region, year, kpi, kpi_name_zh, kpi_name_en,
    indicator, comparator, target_value, unit, stretch, aggregation,
    months_reported, latest_period, actual_latest, round(actual_ytd, 2) as actual_ytd,
    round(actual, 2) as actual, round(actual - target_value, 2) as gap, final,
    case
        when actual is null then 'no_data'
        when satisfied is null then 'no_rule'
        when final and satisfied then 'met'
        when final then 'missed'
        when satisfied then 'on_track'
        else 'at_risk'
    end as status,
    includes_sample_data,
    {{ as_of() }} as as_of
from judged
