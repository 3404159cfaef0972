-- Targets allocated by the higher level (省下达目标), one per region, KPI and year.
select
    region,
    kpi,
    indicator,
    year::integer as year,
    value::double as target_value,
    document
from {{ source('raw', 'ref_allocated_targets') }}
