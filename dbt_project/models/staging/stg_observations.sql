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
    file_name,
    file_checksum,
    row_number,
    is_sample,
    ingested_at,
    -- when the file arrived (its time in the inbox); older rows predate the column
    coalesce(received_at, ingested_at) as received_at
from {{ source('raw', 'observations') }}
