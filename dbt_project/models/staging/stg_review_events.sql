-- Every review decision of the supervising office (raw.review_events, copied from its store): approve or
-- return (with a reason) of one report row, named by its report_key. Append-only; the latest wins.
select seq, "at" as decided_at, actor, task_id, unit, period, report_key, decision, reason
from {{ source('raw', 'review_events') }}
