-- Every numeric target turned into one comparison "actual <direction> threshold", with its baseline.
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
with g as (
    select t.*, c.comparator as kpi_direction
    from {{ ref('stg_targets') }} t
    left join {{ ref('stg_kpi_catalogue') }} c using (kpi)
    where t.kind = 'outcome'
),
based as (
    select
        g.*,
        coalesce(g.base_year, g.year - 1) as baseline_year,
        b.value as baseline
    from g
    left join {{ ref('int_kpi_year_values') }} b
        on b.kpi = g.kpi and b.region = g.region and b.year = coalesce(g.base_year, g.year - 1)
)
select
    *,
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
