-- Output quantities planned against reported (mart_task_outputs) as each reader of the overview sees them,
-- the least advanced first. Grain: scope × output target. scope = the reader's: a region's leader the
-- outputs of the regions below it (int_region_scopes), '*' the reader of every region. rank orders a
-- scope's outputs: those with a figure reported against them first, by output_rate (lowest first), then
-- plan, task number, line and target_id; those without a figure last. listed counts the scope's outputs,
-- reported those with a figure. Stored in scope order: the overview's few are a point lookup.
with outputs as (
    select target_id, task_id, plan_title, no, title, region, indicator, target_value, target_value_hi,
           measure_unit, reported_value, reported_period, output_rate, line
    from {{ ref('mart_task_outputs') }}
),
scoped as (
    {{ by_reader_scope('outputs') }}
)
select
    scope,
    row_number() over (partition by scope
                       order by reported_value is null, output_rate, plan_title, no, line, target_id) as rank,
    count(*) over (partition by scope) as listed,
    count(reported_value) over (partition by scope) as reported,
    target_id, task_id, plan_title, no, title, region, indicator, target_value, target_value_hi, measure_unit,
    reported_value, reported_period, output_rate
from scoped
order by scope, rank
