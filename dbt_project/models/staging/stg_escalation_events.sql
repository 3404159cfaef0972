-- Every manual 督办 event (raw.escalation_events, copied from the supervision store): issue or close, with
-- a note, by whom and when. Only events by var as_of (their UTC day), as stg_review_events: a build for an
-- as-of date never sees a later 督办 decision.
-- Incremental (as stg_progress_reports): the store is append-only (its triggers refuse update and delete)
-- and numbers every record (seq), so the inbox's submissions_job appends the records it has not seen, by
-- seq, and int_changed_tasks finds them by the invocation that appended them; every other run rebuilds it.
{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='append_new_columns',
          pre_hook="{{ empty_unless_changed_tasks_only() }}") }}  -- by as_of: a plain run for another date starts empty
select seq, "at" as event_at, actor, task_id, action, note,
       '{{ invocation_id }}' as dbt_invocation_id  -- which dbt invocation appended the row (int_changed_tasks)
from {{ source('raw', 'escalation_events') }}
where "at"::date <= {{ as_of() }}
{% if is_incremental() %}
and seq not in (select seq from {{ this }})
{% endif %}
