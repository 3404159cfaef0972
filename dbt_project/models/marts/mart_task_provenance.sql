-- Every progress report row landed for a task, for the task detail panel (the dashboard reads marts
-- only): what was reported, by whom, from which file and row, when it arrived, and whether it is the
-- report in force as of var as_of (int_task_latest_report). Grain: task × report row (file, sheet, row).
{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='task_id',
          pre_hook="{{ delete_changed_tasks() }}") }}  -- the submissions_job recomputes the changed tasks only (macros/changed_tasks.sql)
select
    r.task_id,
    r.period,
    r.reporting_unit,
    r.unit,
    r.status,
    r.status_code,
    r.percent,
    r.completed_on,
    r.narrative,
    r.evidence,
    r.output_done,
    r.file_name,
    r.file_checksum,
    r.sheet,
    r.row_number,
    r.received_at,
    r.ingested_at,
    r.is_sample,
    l.task_id is not null as in_force,
    {{ as_of() }} as as_of
from {{ ref('stg_progress_reports') }} r
left join {{ ref('int_task_latest_report') }} l
    on l.task_id = r.task_id and l.file_checksum = r.file_checksum and l.sheet = r.sheet and l.row_number = r.row_number
{{ changed_tasks_filter('r.task_id', 'where') }}
-- stored in task order: the detail's lookup by task_id reads one block (DuckDB's zone maps), not a scan of a
-- province's 3M report rows on every task opened
order by r.task_id, r.period, r.file_checksum, r.sheet, r.row_number
