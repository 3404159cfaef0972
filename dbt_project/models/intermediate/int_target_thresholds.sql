-- Every numeric target turned into one comparison "actual <direction> threshold", with its baseline.
--   targets       = the printed ones (a binding one printed without a number, 完成省下达目标, takes the
--                   allocated value of stg_allocated_targets), plus every allocated target (省下达目标)
--                   for a region, KPI and year no plan prints a binding level for; value_source says which
--   is_binding    = not stretch (力争 levels are stretch targets, judged beside their binding level)
--   baseline_year = base_year printed with a relative change (较2020年), else the year before the target year
--   baseline      = the KPI's value for the region in baseline_year (int_kpi_year_values)
--   <=, >=, =     : threshold = target_value, direction = comparator
--   decrease_by v : threshold = baseline × (1 − v/100) for v in %, baseline − v in the KPI's unit, direction <=
--   increase_by v : threshold = baseline × (1 + v/100) for v in %, baseline + v (个百分点 …), direction >=
--                   (both need a baseline)
--   rank v        : rank_side bottom (退出后v位 of rank_of): threshold = rank_of − v;
--                   rank_side top (前v位): threshold = v; direction <= (a smaller place is better)
--   ≈ v (左右)     : threshold = v, direction = the KPI's own direction (catalogue comparator), else =
--   <, >          : strict, kept as printed
-- Only outcome targets: a task's output (淘汰26台) is judged by the task's progress, not as a KPI.
with printed as (
    select
        t.* exclude (target_value),
        coalesce(t.target_value, a.target_value) as target_value,
        case when t.target_value is null and a.target_value is not null then 'allocated' else 'printed' end
            as value_source,
        case when t.target_value is null then a.document end as allocated_document,
        c.comparator as kpi_direction
    from {{ ref('stg_targets') }} t
    left join {{ ref('stg_kpi_catalogue') }} c using (kpi)
    left join {{ ref('stg_allocated_targets') }} a
        on a.region = t.region and a.kpi = t.kpi and a.year = t.year and not coalesce(t.stretch, false)
    where t.kind = 'outcome'
),
allocated as (
    select
        'A' || substr(md5(a.region || '|' || a.kpi || '|' || a.year), 1, 12) as target_id,
        null::varchar as plan_id, null::varchar as task_id, 'allocated' as source, a.region, 'outcome' as kind,
        a.indicator, a.kpi, k.comparator, a.target_value, null::double as target_value_hi,
        k.measure_unit as unit, a.year, false as stretch, 'binding' as binding, null::varchar as scope,
        null::integer as base_year, null::integer as rank_of, null::varchar as rank_side, null::integer as line,
        'allocated' as value_source, a.document as allocated_document, k.comparator as kpi_direction
    from {{ ref('stg_allocated_targets') }} a
    join {{ ref('stg_kpi_catalogue') }} k using (kpi)
    where not exists (
        select 1 from printed p
        where p.region = a.region and p.kpi = a.kpi and p.year = a.year and not coalesce(p.stretch, false)
    )
),
g as (
    select * from printed
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
        -- a change in % is relative to the baseline; in the KPI's own unit (下降2微克/立方米, 提高3个百分点) absolute
        when 'decrease_by' then round(case when unit = '%' then baseline * (1 - target_value / 100)
                                           else baseline - target_value end, 4)
        when 'increase_by' then round(case when unit = '%' then baseline * (1 + target_value / 100)
                                           else baseline + target_value end, 4)
        when 'rank' then case when rank_side = 'top' then target_value else rank_of - target_value end
        else target_value
    end as threshold,
    case comparator
        when 'decrease_by' then '<='
        when 'increase_by' then '>='
        when 'rank' then '<='
        when '≈' then coalesce(kpi_direction, '=')  -- an indicator outside the catalogue has no direction
        else comparator
    end as direction
from based
