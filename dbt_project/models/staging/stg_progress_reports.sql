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
    {{ submission_provenance() }}
from {{ source('raw', 'progress_reports') }}
