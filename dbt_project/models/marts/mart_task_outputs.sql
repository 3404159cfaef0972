-- What a task delivers, counted (淘汰燃煤锅炉26台), grain: one output quantity of a task (target_id),
-- with the line it is printed on. Outputs are not judged as KPI attainment (int_target_thresholds).
select task_id, target_id, indicator, comparator, target_value, target_value_hi, unit as measure_unit, year, line
from {{ ref('stg_targets') }}
where kind = 'output' and task_id is not null
order by task_id, line  -- task order: a lookup by task_id reads one block
