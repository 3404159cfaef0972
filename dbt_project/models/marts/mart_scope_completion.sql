-- Completion by plan and by region as each reader of the overview sees it, ranked lowest first. Grain:
-- scope × dimension (plan, region) × dimension_value. scope = the reader's: a region's leader sees the
-- plans with a task in the regions below it and those regions (int_region_scopes); '*' is the reader of
-- every region (an auditor, the province's office), who sees every plan and region. The measures are
-- mart_completion's, copied; rank orders the scope's rows lowest completion first (no rate last, then by
-- label and key), listed counts them. Stored in scope order: the overview reads its reader's bars and map
-- by one point lookup (rank ≤ the bars it draws; every region for the map), where it used to rank a
-- province's 7,200 plans and 2,000 regions per page.
with dims as (
    select dimension, dimension_value, dimension_label, tasks_total, tasks_with_due_date, tasks_completed,
           completion_rate, tasks_due, due_completion_rate, tasks_overdue, tasks_ongoing
    from {{ ref('mart_completion') }}
    where dimension in ('plan', 'region')
),
-- which plans and regions each scope holds: a plan is in a scope when one of its tasks is
members as (
    select distinct sc.scope, 'plan' as dimension, t.plan_id as dimension_value
    from {{ ref('mart_task_status') }} t
    join {{ ref('int_region_scopes') }} sc using (region)
    union all
    select scope, 'region', region from {{ ref('int_region_scopes') }}
),
scoped as (
    select '*' as scope, d.* from dims d
    union all
    select m.scope, d.* from members m join dims d using (dimension, dimension_value)
)
select
    scope, dimension,
    row_number() over (partition by scope, dimension
                       order by completion_rate nulls last, dimension_label, dimension_value) as rank,
    count(*) over (partition by scope, dimension) as listed,
    dimension_value, dimension_label, tasks_total, tasks_with_due_date, tasks_completed, completion_rate,
    tasks_due, due_completion_rate, tasks_overdue, tasks_ongoing
from scoped
order by scope, dimension, rank
