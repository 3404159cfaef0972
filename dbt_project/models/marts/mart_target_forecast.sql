-- Year-end forecast of every concentration and day-count target (year_rule day_weighted_mean or
-- good_day_ratio), as of var as_of. Grain: target (× as_of). Method (written in _models.yml):
--   months 1..m known, value so far V (the judged year to date, unrounded), D_e = calendar days of months
--   1..m, D_r = days of months m+1..12, D = D_e + D_r.
--   seasonal profile p_k: the mean of month k over the region's earlier years' 当月 values, divided by
--   their overall mean; without earlier years, the same over every region's values of the KPI (the sample).
--   scale s = V / (Σ_{k≤m} p_k d_k / D_e): how this year runs against the profile.
--   expected rest-of-year mean E = Σ_{k>m} s p_k d_k / D_r; projected year-end = (V D_e + E D_r) / D.
--   required rest-of-year mean R = (threshold × D − V D_e) / D_r: what the rest must average to meet it.
--   headroom h = (R − E) / E for <=, (E − R) / E for >=; status 稳定达标 h ≥ 0.10, 需努力 −0.10 ≤ h < 0.10,
--   难以达标 h < −0.10 or R out of reach (< 0 for a concentration, > 100 % for a ratio). A year with all
--   twelve months: 稳定达标 when the judged value meets the threshold, else 难以达标.
--   non_good_days_allowed (优良天数比例): days of the rest that may still be not good: D_r − ⌈R/100 × D_r⌉.
--   Day counts summed over the months (year_rule sum, unit 天: 重污染天数 ≤ N, 优良天数 ≥ N; stations publish
--   each month's count) are forecast as their rate per day, so the formulas above apply unchanged: month
--   counts ÷ days of the month for the profile, V / D_e so far, N / D as the threshold; the projected year
--   end is the rate × D, and rest_days = N − V: the heavy-pollution days still allowed (≤), or the good
--   days still needed (≥). Their expected/required rest-of-year means are left null (a count has none).
with t as (
    select t.*, k.year_rule, k.measure_unit as kpi_unit, k.name_zh as kpi_name_zh
    from {{ ref('int_target_thresholds') }} t
    join {{ ref('stg_kpi_catalogue') }} k using (kpi)
    where (k.year_rule in ('day_weighted_mean', 'good_day_ratio') or k.year_rule = 'sum' and k.measure_unit = '天')
      and t.threshold is not null
),
monthly as (  -- a day count as its rate per day (÷ days of the month), a mean as it is
    select o.kpi, o.region, o.year, o.month,
           case when k.year_rule = 'sum' then o.value / day(last_day(make_date(o.year, o.month, 1))) else o.value end
               as value
    from {{ ref('int_observations') }} o
    join {{ ref('stg_kpi_catalogue') }} k using (kpi)
    where o.period_kind = '当月'
),
-- profile per KPI and region from years before the target year; pooled over regions as the fallback
own_profile as (
    select t.target_id, m.month, avg(m.value) as month_mean
    from t join monthly m on m.kpi = t.kpi and m.region = t.region and m.year < t.year
    group by t.target_id, m.month
),
pooled_profile as (
    select kpi, month, avg(value) as month_mean from monthly group by kpi, month
),
profile_raw as (
    select t.target_id, mo.month,
           coalesce(op.month_mean, case when not exists (select 1 from own_profile x where x.target_id = t.target_id)
                                        then pp.month_mean end) as month_mean
    from t
    cross join (select unnest(generate_series(1, 12)) as month) mo
    left join own_profile op on op.target_id = t.target_id and op.month = mo.month
    left join pooled_profile pp on pp.kpi = t.kpi and pp.month = mo.month
),
profile as (
    select target_id, month,
           coalesce(month_mean / nullif(avg(month_mean) over (partition by target_id), 0), 1.0) as p,
           day(last_day(make_date(2001, month, 1))) as d  -- days of the month (a common year)
    from profile_raw
),
so_far as (
    select t.*, y.ytd_value as v, y.through_month as m, y.judged_value, y.is_complete
    from t
    join {{ ref('int_kpi_year_values') }} y on y.kpi = t.kpi and y.region = t.region and y.year = t.year
    where y.through_month is not null
),
sums as (
    select
        s.target_id,
        sum(p.d) filter (where p.month <= s.m) as d_elapsed,
        sum(p.d) filter (where p.month > s.m) as d_rest,
        sum(p.p * p.d) filter (where p.month <= s.m) as profile_elapsed,
        sum(p.p * p.d) filter (where p.month > s.m) as profile_rest
    from so_far s join profile p using (target_id)
    group by s.target_id
),
per_day as (  -- a day count so far and its threshold as rates per day; a mean is its own rate
    select s.*, u.d_elapsed, u.d_rest, u.profile_elapsed, u.profile_rest,
           case when s.year_rule = 'sum' then s.v / u.d_elapsed else s.v end as rate,
           case when s.year_rule = 'sum' then s.threshold / (u.d_elapsed + coalesce(u.d_rest, 0)) else s.threshold end
               as threshold_rate
    from so_far s join sums u using (target_id)
),
projected as (
    select
        *,
        rate / nullif(profile_elapsed / d_elapsed, 0) as scale,
        rate / nullif(profile_elapsed / d_elapsed, 0) * profile_rest / nullif(d_rest, 0) as expected_rest_mean,
        (threshold_rate * (d_elapsed + coalesce(d_rest, 0)) - rate * d_elapsed) / nullif(d_rest, 0)
            as required_rest_mean
    from per_day
),
judged as (
    select
        *,
        (rate * d_elapsed + coalesce(expected_rest_mean * d_rest, 0)) / (d_elapsed + coalesce(d_rest, 0))
            * case when year_rule = 'sum' then d_elapsed + coalesce(d_rest, 0) else 1 end as projected_value,
        case when direction = '<=' then (required_rest_mean - expected_rest_mean) / nullif(expected_rest_mean, 0)
             else (expected_rest_mean - required_rest_mean) / nullif(expected_rest_mean, 0) end as headroom
    from projected
)
select
    target_id, plan_id, region, year, kpi, kpi_name_zh, year_rule, is_binding, direction, threshold, kpi_unit,
    m as months_known,
    round(v, 4) as value_so_far,
    judged_value,
    round(projected_value, 2) as projected_value,
    case when year_rule <> 'sum' then round(expected_rest_mean, 2) end as expected_rest_mean,
    case when year_rule <> 'sum' then round(required_rest_mean, 2) end as required_rest_mean,
    round(headroom, 4) as headroom,
    case when year_rule = 'good_day_ratio' and required_rest_mean between 0 and 100
         then d_rest - ceil(required_rest_mean / 100 * d_rest)::integer end as non_good_days_allowed,
    case when year_rule = 'sum' and m < 12 then threshold - v end as rest_days,
    case
        when m = 12 then case when {{ target_satisfied('judged_value', 'threshold', 'direction') }}
                              then '稳定达标' else '难以达标' end
        when direction = '<=' and required_rest_mean < 0 then '难以达标'
        when direction = '>=' and required_rest_mean > 100 and year_rule = 'good_day_ratio' then '难以达标'
        when direction = '>=' and required_rest_mean > 1 and year_rule = 'sum' then '难以达标'  -- more days than remain
        when direction = '>=' and required_rest_mean <= 0 then '稳定达标'
        when headroom >= 0.10 then '稳定达标'
        when headroom >= -0.10 then '需努力'
        else '难以达标'
    end as forecast_status,
    case when m < 12 and year_rule = 'sum' then '剩余月份' || kpi_name_zh || '须 '
                          || {{ level_text('direction', 'greatest(threshold - v, 0)', 'kpi_unit') }}
         when m < 12 then '剩余月份' || kpi_name_zh || '均值须 '
                          || {{ level_text('direction', 'round(required_rest_mean, 1)', 'kpi_unit') }} end as required_text,
    {{ as_of() }} as as_of
from judged
