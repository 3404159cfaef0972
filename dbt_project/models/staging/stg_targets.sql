select
    target_id,
    plan_id,
    task_id,
    source,
    region,
    indicator,
    kpi,
    comparator,
    value::double as target_value,
    unit,
    year::integer as year,
    stretch,
    line::integer as line
from {{ source('raw', 'targets') }}
