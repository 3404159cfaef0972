-- Every numeric target turned into one comparison "actual <direction> threshold", with its baseline.
--   targets       = the printed ones (a binding one printed without a number, 完成省下达目标, takes the
--                   allocated value of stg_allocated_targets), plus every allocated target (省下达目标)
--                   for a region, KPI and year no plan prints a binding level for; value_source says which
--   is_binding    = not stretch (力争 levels are stretch targets, judged beside their binding level)
--   baseline_year = base_year printed with a relative change (较2020年), else the year before the target year
--   baseline      = the KPI's value for the region in baseline_year (int_kpi_year_values)
--   <=, >=, =     : threshold = target_value, direction = comparator
--   decrease_by v : threshold = baseline × (1 − v/100), direction <=   (needs a baseline)
--   increase_by v : threshold = baseline × (1 + v/100), direction >=   (needs a baseline)
--   rank v        : rank_side bottom (退出后v位 of rank_of): threshold = rank_of − v;
--                   rank_side top (前v位): threshold = v; direction <= (a smaller place is better)
with printed as (
    select
        t.* exclude (target_value),
        coalesce(t.target_value, a.target_value) as target_value,
        case when t.target_value is null and a.target_value is not null then 'allocated' else 'printed' end
            as value_source,
        case when t.target_value is null then a.document end as allocated_document
    from {{ ref('stg_targets') }} t
    left join {{ ref('stg_allocated_targets') }} a
        on a.region = t.region and a.kpi = t.kpi and a.year = t.year and not coalesce(t.stretch, false)
),
allocated as (
    select
        'A' || substr(md5(a.region || '|' || a.kpi || '|' || a.year), 1, 12) as target_id,
        null::varchar as plan_id, null::varchar as task_id, 'allocated' as source, a.region, a.indicator,
        a.kpi, k.comparator, a.target_value, k.measure_unit as unit, a.year, false as stretch, null::varchar as scope,
        null::integer as base_year, null::integer as rank_of, null::varchar as rank_side, null::integer as line,
        'allocated' as value_source, a.document as allocated_document
    from {{ ref('stg_allocated_targets') }} a
    join {{ ref('stg_kpi_catalogue') }} k using (kpi)
    where not exists (
        select 1 from printed p
        where p.region = a.region and p.kpi = a.kpi and p.year = a.year and not coalesce(p.stretch, false)
    )
),
g as (
    select * exclude (target_value, value_source, allocated_document), target_value, value_source, allocated_document
    from printed
    union all by name
    select * from allocated
),
based as (
    select
        g.*,
        coalesce(g.base_year, g.year - 1) as baseline_year,
        b.judged_value as baseline  -- the previous year as published (rounded, GB/T 8170)
    from g
    left join {{ ref('int_kpi_year_values') }} b
        on b.kpi = g.kpi and b.region = g.region and b.year = coalesce(g.base_year, g.year - 1)
)
select
    *,
    not coalesce(stretch, false) as is_binding,
    case comparator
        when 'decrease_by' then round(baseline * (1 - target_value / 100), 4)
        when 'increase_by' then round(baseline * (1 + target_value / 100), 4)
        when 'rank' then case when rank_side = 'top' then target_value else rank_of - target_value end
        else target_value
    end as threshold,
    case comparator
        when 'decrease_by' then '<='
        when 'increase_by' then '>='
        when 'rank' then '<='
        else comparator
    end as direction
from based
