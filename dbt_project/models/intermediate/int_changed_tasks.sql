-- The tasks whose inputs this dbt invocation changed: the tasks of the report rows it appended to
-- stg_progress_reports, and of the supervision records (review decisions — by the report row they name
-- as well as the task they carry —, 督办 events, evidence) it appended to their staging tables. Rows are
-- found by identity (the invocation that loaded them: each staging model appends by file checksum or by
-- the store's seq, never by clock), so a re-run finds nothing twice and misses nothing landed.
-- Read by changed_tasks_filter / delete_changed_tasks (macros/changed_tasks.sql): in the submissions_job's
-- incremental build the task-keyed models recompute these tasks only. In a full build every row was
-- loaded by this invocation: every task with a report or a record (nothing reads it then).
-- Grain: task_id.
with loaded as (
    select task_id from {{ ref('stg_progress_reports') }} where dbt_invocation_id = '{{ invocation_id }}'
    union all
    select task_id from {{ ref('stg_review_events') }} where dbt_invocation_id = '{{ invocation_id }}'
    union all
    -- a decision changes the report row it names: that row's task (the same task, unless the store was fed
    -- a wrong one — then both are recomputed)
    select r.task_id
    from {{ ref('stg_review_events') }} e
    join {{ ref('stg_progress_reports') }} r using (report_key)
    where e.dbt_invocation_id = '{{ invocation_id }}'
    union all
    select task_id from {{ ref('stg_escalation_events') }} where dbt_invocation_id = '{{ invocation_id }}'
    union all
    select task_id from {{ ref('stg_evidence') }} where dbt_invocation_id = '{{ invocation_id }}'
)
select distinct task_id from loaded where task_id is not null
