-- Every manual 督办 event (raw.escalation_events, copied from the supervision store): issue or close, with
-- a note, by whom and when.
select seq, "at" as event_at, actor, task_id, action, note
from {{ source('raw', 'escalation_events') }}
