-- Landed observations. period_kind says what the value is (the observation contract, issue 23):
-- 当月 the month's own value, 累计 the year to date at the month's end, 年度 the whole year.
-- days_in_period: calendar days the value covers (its month, Jan 1 to the month's end, or its year).
select
    kpi,
    region,
    period,
    coalesce(period_kind, case when length(period) = 4 then '年度' else '当月' end) as period_kind,
    length(period) = 4 as is_annual,
    cast(period[1:4] as integer) as year,
    case when length(period) = 7 then cast(period[6:7] as integer) end as month,
    case when length(period) = 7 then day(last_day(cast(period || '-01' as date))) end as days_in_month,
    value,
    measure_unit,
    valid_days,
    good_days,
    source,
    {{ submission_provenance() }}
from {{ source('raw', 'observations') }}
