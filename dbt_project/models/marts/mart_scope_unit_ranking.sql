-- The 红黑榜 of the overview (the ranking of the monthly 通报): the units with lead tasks due, as each reader
-- sees them, ranked by on-time completion of their lead tasks, then reporting rate, then fewest overdue.
-- Grain: scope × unit (region, unit). scope = the reader's: a region's leader the units of the regions
-- below it (int_region_scopes), '*' the reader of every region. Rows are mart_unit_scorecard's with a
-- lead_on_time_rate; rank is the unit's place (1 = best; ties broken by region and unit), ranked how many
-- the scope ranks. Stored in scope order: the page's top and bottom five are a point lookup (rank ≤ 5 or
-- rank > ranked − 5), where it used to sort a province's 51,200 units twice per page.
with units as (
    select region, unit, lead_tasks, lead_on_time_rate, lead_completion_rate, lead_overdue, reporting_rate
    from {{ ref('mart_unit_scorecard') }}
    where lead_on_time_rate is not null
),
scoped as (
    {{ by_reader_scope('units') }}
)
select
    scope,
    row_number() over (partition by scope
                       order by lead_on_time_rate desc, reporting_rate desc nulls last, lead_overdue asc nulls last,
                                region, unit) as rank,
    count(*) over (partition by scope) as ranked,
    region, unit, lead_tasks, lead_on_time_rate, lead_completion_rate, lead_overdue, reporting_rate
from scoped
order by scope, rank
