-- Attainment of every outcome target with a catalogue KPI (output targets and kpi = 'other' are not KPI
-- attainment: int_target_thresholds keeps outcomes, the catalogue join drops 'other'), as of var as_of
-- (rules: _models.yml).
--   actual       : the KPI's value of the target year (int_kpi_year_values: annual value, else the year to
--                  date formed by the catalogue's year_rule), unrounded
--   judged_value : actual rounded as the bulletins publish it (GB/T 8170, the KPI's decimals): what is judged
--   status       : macro target_status (met / missed / on_track / at_risk / insufficient_data / no_data)
--   binding targets carry their stretch (力争) level and its status beside them (stretch_*), and a
--   stretch target names its binding one (binding_target_id)
with t as (select * from {{ ref('int_target_thresholds') }}),
measured as (
    select
        t.*,
        k.name_zh as kpi_name_zh,
        k.name_en as kpi_name_en,
        k.year_rule,
        k.decimals,
        k.measure_unit as kpi_unit,
        y.months_reported,
        y.latest_period,
        y.latest_value as actual_latest,
        y.value_basis,
        y.value as actual,
        y.judged_value,
        y.valid_days,
        y.required_valid_days,
        y.is_complete,
        coalesce(y.is_final, make_date(t.year, 12, 31) <= {{ as_of() }}) as final,
        coalesce(y.includes_sample_data, false) as includes_sample_data
    from t
    join {{ ref('stg_kpi_catalogue') }} k using (kpi)
    left join {{ ref('int_kpi_year_values') }} y on y.kpi = t.kpi and y.region = t.region and y.year = t.year
),
attainment as (
    select
        target_id, plan_id, task_id, source, line, region, year, kpi, kpi_name_zh, kpi_name_en,
        indicator, scope, comparator, target_value, value_source, allocated_document, unit, kpi_unit,
        stretch, is_binding, year_rule, decimals,
        rank_of, rank_side, baseline_year, round(baseline, 2) as baseline, round(threshold, 2) as threshold,
        direction,
        coalesce(months_reported, 0) as months_reported, latest_period, value_basis, actual_latest,
        round(actual, 4) as actual, judged_value, valid_days, required_valid_days,
        round(judged_value - threshold, 4) as gap,
        round((judged_value - baseline) / nullif(threshold - baseline, 0), 4) as progress_from_baseline,
        final,
        {{ target_status('judged_value', 'threshold', 'direction', 'final', 'is_complete') }} as status,
        {{ target_status_reason('judged_value', 'threshold', 'final', 'is_complete') }} as status_reason,
        includes_sample_data,
        {{ as_of() }} as as_of
    from measured
),
-- each binding target's stretch level for the same plan (or allocation), KPI, region and year: the
-- strictest when several are printed
stretch as (
    select
        b.target_id,
        arg_max(s.target_id, case when s.direction = '>=' then s.threshold else -s.threshold end) as stretch_target_id
    from attainment b
    join attainment s
        on s.kpi = b.kpi and s.region = b.region and s.year = b.year and not s.is_binding
        and (s.plan_id = b.plan_id or b.plan_id is null)
    where b.is_binding
    group by b.target_id
),
binding_of as (
    select stretch_target_id as target_id, any_value(target_id) as binding_target_id
    from stretch group by stretch_target_id
),
paired as (
    select
        a.*,
        b.binding_target_id,
        s.stretch_target_id,
        st.threshold as stretch_threshold,
        st.status as stretch_status
    from attainment a
    left join stretch s using (target_id)
    left join attainment st on st.target_id = s.stretch_target_id
    left join binding_of b on b.target_id = a.target_id
),
-- the printed sentence of each target and where it sits in a .docx/.pdf: the 指标 page shows them beside
-- every figure, and looking them up in the plans' 1.4M lines per request cost more than the page itself
described as (
select
    p.*,
    -- "≥ 80 % 已达标；力争 100 % 未达到": the binding level and its stretch level side by side
    {{ level_text('p.direction', 'p.threshold', 'p.kpi_unit') }} || ' ' || {{ status_zh('p.status') }}
        || case when p.stretch_target_id is not null
                then '；力争 ' || {{ level_text('p.direction', 'p.stretch_threshold', 'p.kpi_unit') }} || ' '
                     || {{ status_zh('p.stretch_status') }}
                else '' end as binding_stretch_label,
    l.text as line_text,
    l.location,
    -- a target whose value the higher level allocated (省下达): the plan sentence that took it on — its
    -- own printed line when a plan printed it without a number, else the region's 完成省下达…指标 sentence
    -- (int_allocated_target_commitments, joined to allocated-only targets); the document is allocated_document
    case when p.value_source = 'allocated' then coalesce(c.plan_id, p.plan_id) end as commitment_plan_id,
    case when p.value_source = 'allocated' then coalesce(c.source, nullif(p.source, 'allocated')) end
        as commitment_source,
    case when p.value_source = 'allocated' then coalesce(c.line, p.line) end as commitment_line,
    case when p.value_source = 'allocated' then coalesce(c.text, l.text) end as commitment_text,
    case when p.value_source = 'allocated' then coalesce(c.location, l.location) end as commitment_location
from paired p
left join {{ source('raw', 'plan_lines') }} l on l.source = p.source and l.line_no = p.line
left join {{ ref('int_allocated_target_commitments') }} c
    on p.source = 'allocated' and c.region = p.region and c.kpi = p.kpi and c.year = p.year
),
ranked as (
    -- the order people read statuses in: what is missed first, then at risk, on track, met, no data
    select *,
        case status when 'missed' then 0 when 'at_risk' then 1 when 'on_track' then 2 when 'met' then 3
                    when 'no_data' then 4 else 9 end as status_rank
    from described
)
-- the list order (status_rank, binding before stretch, region, year, KPI, target_id), stored in it: the
-- dashboard's targets grid reads its first block as a range of list_order instead of sorting a province's
-- 9,200 targets and writing every one's words per page (≈ 30 ms CPU of the overview at 2,000 documents);
-- the plans' titles ride along (the grid looked each up in mart_plans: two joins of 7,200 plans per block)
select r.*,
    p.plan_title,
    cp.plan_title as commitment_plan_title,
    row_number() over (order by r.status_rank, r.stretch, r.region, r.year, r.kpi, r.target_id) as list_order
from ranked r
left join {{ ref('mart_plans') }} p on p.plan_id = r.plan_id
left join {{ ref('mart_plans') }} cp on cp.plan_id = r.commitment_plan_id
order by list_order
