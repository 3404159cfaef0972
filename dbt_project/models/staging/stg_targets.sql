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
    scope,
    base_year::integer as base_year,
    rank_of::integer as rank_of,
    rank_side,
    line::integer as line
from {{ source('raw', 'targets') }}
