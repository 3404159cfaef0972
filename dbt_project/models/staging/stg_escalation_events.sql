-- Every manual 督办 event (raw.escalation_events, copied from the supervision store): issue or close, with
-- a note, by whom and when. Only events by var as_of (their UTC day), as stg_review_events: a build for an
-- as-of date never sees a later 督办 decision.
select seq, "at" as event_at, actor, task_id, action, note
from {{ source('raw', 'escalation_events') }}
where "at"::date <= {{ as_of() }}
