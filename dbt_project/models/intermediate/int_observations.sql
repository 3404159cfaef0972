-- Indicator observations known as of the as-of date, one per KPI, region, period and period kind: a
-- monthly (当月 or 累计) value once its month has ended, an annual (年度) value once its year has ended.
-- A later submission for the same KPI, region, period and kind supersedes an earlier one (both stay in
-- staging).
select *
from {{ ref('stg_observations') }}
where case when is_annual then make_date(year, 12, 31)
           else last_day(make_date(year, month, 1)) end <= {{ as_of() }}
qualify row_number() over (
    partition by kpi, region, period, period_kind
    order by ingested_at desc, row_number desc
) = 1
