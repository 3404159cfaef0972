-- Every review decision of the supervising office (raw.review_events, copied from its store): approve or
-- return (with a reason) of one report row, named by its report_key. Append-only; the latest wins.
-- Only decisions made by var as_of (their UTC day): a build for an as-of date sees the decisions of that
-- date, never later ones (a rebuild for a past date, a test world as of a past day) — the one place where
-- the as-of date limits review decisions; every model of review reads them from here.
-- Incremental (as stg_progress_reports): the store is append-only (its triggers refuse update and delete)
-- and numbers every record (seq), so the inbox's submissions_job appends the records it has not seen, by
-- seq, and int_changed_tasks finds them by the invocation that appended them; every other run rebuilds it.
{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='append_new_columns',
          pre_hook="{{ empty_unless_changed_tasks_only() }}") }}  -- by as_of: a plain run for another date starts empty
select seq, "at" as decided_at, actor, task_id, unit, period, report_key, decision, reason,
       '{{ invocation_id }}' as dbt_invocation_id  -- which dbt invocation appended the row (int_changed_tasks)
from {{ source('raw', 'review_events') }}
where "at"::date <= {{ as_of() }}
{% if is_incremental() %}
and seq not in (select seq from {{ this }})
{% endif %}
