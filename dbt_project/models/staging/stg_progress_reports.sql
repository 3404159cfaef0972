-- Every landed report row. A later report for the same task and period supersedes an earlier
-- one (see int_task_latest_report); all stay here.
select
    task_id,
    period,
    cast(period || '-01' as date) as period_start,
    reporting_unit,
    unit,
    status,
    status_code,
    percent,
    completed_on,
    narrative,
    evidence,
    file_name,
    file_checksum,
    sheet,
    row_number,
    is_sample,
    ingested_at,
    -- when the file arrived (its time in the inbox); older rows predate the column
    coalesce(received_at, ingested_at) as received_at
from {{ source('raw', 'progress_reports') }}
