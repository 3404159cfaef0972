-- Every evidence file attached to a task (raw.evidence, copied from the supervision store); the bytes are
-- at <data_root>/evidence/<sha256[:2]>/<sha256>, never in the warehouse.
-- Incremental (as stg_progress_reports): the store is append-only (its triggers refuse update and delete)
-- and numbers every record (seq), so the inbox's submissions_job appends the records it has not seen, by
-- seq, and int_changed_tasks finds them by the invocation that appended them; every other run rebuilds it.
{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='append_new_columns') }}
select seq, sha256, filename, media_type, size_bytes, task_id, period, unit, region, uploader, uploaded_at,
       '{{ invocation_id }}' as dbt_invocation_id  -- which dbt invocation appended the row (int_changed_tasks)
from {{ source('raw', 'evidence') }}
{% if is_incremental() %}
where seq not in (select seq from {{ this }})
{% endif %}
