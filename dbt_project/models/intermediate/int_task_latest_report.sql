-- The report in force for each task as of the as-of date: the latest period that has begun by as_of;
-- within a period, the latest ingested file and row supersedes earlier ones (all stay in staging).
select *
from {{ ref('stg_progress_reports') }}
where period_start <= {{ as_of() }}
qualify row_number() over (
    partition by task_id
    order by period desc, ingested_at desc, row_number desc
) = 1
