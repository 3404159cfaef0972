-- The report in force for each task as of the as-of date, as known then: among the reports that had
-- arrived by as_of (received_at: a past date is not rebuilt with reports sent after it), the latest period
-- that has begun by as_of; within a period, the latest ingested file and row supersedes earlier ones (all
-- stay in staging). mart_task_status_monthly applies the same choice at every month end.
-- arg_max over the ordering key, not a window: one pass over millions of rows instead of a sort
-- (2.9 s → 0.8 s on 3M rows); the key ends in the raw row's identity so ties cannot happen.
{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='task_id',
          pre_hook="{{ delete_changed_tasks() }}") }}  -- the submissions_job recomputes the changed tasks only (macros/changed_tasks.sql)
select unnest(arg_max(r, (r.period, r.ingested_at, r.received_at, r.file_checksum, r.sheet, r.row_number)))
from {{ ref('stg_progress_reports') }} r
where r.period_start <= {{ as_of() }} and r.received_at::date <= {{ as_of() }}{{ changed_tasks_filter('r.task_id') }}
group by r.task_id
