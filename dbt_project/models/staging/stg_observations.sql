select
    kpi,
    region,
    period,
    length(period) = 4 as is_annual,
    cast(period[1:4] as integer) as year,
    case when length(period) = 7 then cast(period[6:7] as integer) end as month,
    value,
    unit,
    source,
    {{ submission_provenance() }}
from {{ source('raw', 'observations') }}
