-- Every review decision of the supervising office (raw.review_events, copied from its store): approve or
-- return (with a reason) of one report row, named by its report_key. Append-only; the latest wins.
-- Only decisions made by var as_of (their UTC day): a build for an as-of date sees the decisions of that
-- date, never later ones (a rebuild for a past date, a test world as of a past day) — the one place where
-- the as-of date limits review decisions; every model of review reads them from here.
select seq, "at" as decided_at, actor, task_id, unit, period, report_key, decision, reason
from {{ source('raw', 'review_events') }}
where "at"::date <= {{ as_of() }}
