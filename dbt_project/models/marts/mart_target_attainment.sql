-- Attainment of every parsed outcome target with a catalogue KPI (output targets and kpi = 'other' are
-- not KPI attainment: int_target_thresholds keeps outcomes, the catalogue join drops 'other'), as of var as_of.
--   actual        : the KPI's value for the target year (int_kpi_year_values): the annual value when
--                   reported, else the year-to-date mean of monthly values for concentrations
--                   (aggregation = mean) or the latest value for rates (aggregation = latest)
--   threshold     : the level the target sets (int_target_thresholds: relative changes and ranks
--                   turned into a level), compared with direction (<=, >=, =)
--   gap           : actual − threshold (for <= a negative gap is good, for >= a positive one)
--   progress_from_baseline : (actual − baseline) / (threshold − baseline): 0 at the baseline, 1 at the
--                   threshold (null without a baseline or when baseline = threshold)
--   final         : an annual value exists or the target year has ended
--   status        : no_data  no value for the KPI, region and year yet (status_reason no_observation),
--                            or no threshold: a relative target without a baseline value, a rank
--                            without the number ranked (status_reason no_threshold)
--                   met      final and actual satisfies the threshold
--                   missed   final and it does not
--                   on_track year running and actual satisfies the threshold so far
--                   at_risk  year running and it does not
with t as (select * from {{ ref('int_target_thresholds') }}),
measured as (
    select
        t.*,
        k.name_zh as kpi_name_zh,
        k.name_en as kpi_name_en,
        k.aggregation,
        k.unit as kpi_unit,
        y.months_reported,
        y.latest_period,
        y.latest_value as actual_latest,
        y.ytd_mean as actual_ytd,
        y.value as actual,
        coalesce(y.is_final, make_date(t.year, 12, 31) <= {{ as_of() }}) as final,
        coalesce(y.includes_sample_data, false) as includes_sample_data,
        case t.direction
            when '<=' then y.value <= t.threshold
            when '>=' then y.value >= t.threshold
            when '=' then y.value = t.threshold
            when '<' then y.value < t.threshold
            when '>' then y.value > t.threshold
        end as satisfied
    from t
    join {{ ref('stg_kpi_catalogue') }} k using (kpi)
    left join {{ ref('int_kpi_year_values') }} y on y.kpi = t.kpi and y.region = t.region and y.year = t.year
),
attainment as (
    select
        target_id, plan_id, task_id, source, line, region, year, kpi, kpi_name_zh, kpi_name_en,
        indicator, scope, comparator, target_value, unit, kpi_unit, stretch, aggregation,
        rank_of, rank_side, baseline_year, round(baseline, 2) as baseline, round(threshold, 2) as threshold,
        direction,
        coalesce(months_reported, 0) as months_reported, latest_period, actual_latest,
        round(actual_ytd, 2) as actual_ytd, round(actual, 2) as actual,
        round(actual - threshold, 2) as gap,
        round((actual - baseline) / nullif(threshold - baseline, 0), 4) as progress_from_baseline,
        final,
        case
            when threshold is null then 'no_data'
            when actual is null then 'no_data'
            when final and satisfied then 'met'
            when final then 'missed'
            when satisfied then 'on_track'
            else 'at_risk'
        end as status,
        case
            when threshold is null then 'no_threshold'
            when actual is null then 'no_observation'
            when final then 'year_final'
            else 'year_to_date'
        end as status_reason,
        includes_sample_data,
        {{ as_of() }} as as_of
    from measured
)
-- the printed sentence of each target and where it sits in a .docx/.pdf: the 指标 page shows them beside
-- every figure, and looking them up in the plans' 1.4M lines per request cost more than the page itself
select a.*, l.text as line_text, l.location
from attainment a
left join {{ source('raw', 'plan_lines') }} l on l.source = a.source and l.line_no = a.line
