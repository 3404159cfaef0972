-- Every landed report row. A later report for the same task and period supersedes an earlier
-- one (see int_task_latest_report); all stay here.
-- Incremental: raw.progress_reports only ever grows (a file lands once, by checksum), so a run of the
-- inbox's submissions_job appends the rows landed since the last build instead of copying millions
-- again (a column added later is appended: older rows read null). Every other run (the daily publish) rebuilds it with --full-refresh (pipelines/defs/dbt.py).
{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='append_new_columns') }}
select
    -- the report row's identity (which file, which sheet, which row): what a supervisor's decision names.
    -- Built here only; the dashboard reads it from the marts.
    concat_ws(':', file_checksum, sheet, row_number) as report_key,
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
    output_done,  -- 累计完成量: the task's output so far, in the unit of its output target (计划量)
    {{ submission_provenance() }},
    -- which dbt invocation appended the row: int_changed_tasks reads this run's rows by it (identity, not clock)
    '{{ invocation_id }}' as dbt_invocation_id
from {{ source('raw', 'progress_reports') }}
{% if is_incremental() %}
-- by file identity, not by clock: a file lands whole, in one run
where file_checksum not in (select distinct file_checksum from {{ this }} where file_checksum is not null)
{% endif %}
