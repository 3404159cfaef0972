-- The overdue tasks each reader of the overview sees, most overdue first. Grain: scope × task. scope =
-- the reader's: a region's leader the tasks of the regions below it (int_region_scopes), '*' the reader of
-- every region. The rows are mart_overdue_tasks' (the rule of what is overdue is there); rank orders a
-- scope's tasks by days overdue, most first, then task_id; listed counts them. Stored in scope order: the
-- overview's ten are a point lookup (rank ≤ 10), cut after the scope (a city's leader sees the city's ten,
-- not the province's ten filtered), where it used to sort the scope's overdue tasks per page.
with overdue as (
    select task_id, region, plan_title, no, title, lead_units, due_date, due_basis, days_overdue, source,
           start_line, location
    from {{ ref('mart_overdue_tasks') }}
),
scoped as (
    {{ by_reader_scope('overdue') }}
)
select
    scope,
    row_number() over (partition by scope order by days_overdue desc, task_id) as rank,
    count(*) over (partition by scope) as listed,
    task_id, region, plan_title, no, title, lead_units, due_date, due_basis, days_overdue, source, start_line,
    location
from scoped
order by scope, rank
