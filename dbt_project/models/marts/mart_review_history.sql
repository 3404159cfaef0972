-- Every review decision (issue 26), for a task's review history on the dashboard (which reads marts only).
-- Grain: one decision (seq, the supervision store's sequence number). decided_at is UTC; counts_from is
-- the day it counts in the KPIs (int_report_review_events: never after as_of); null when the decision names
-- no report row known by as_of, or one that needed no review (kept: the history shows what was done).
select
    e.seq, e.task_id, e.unit, e.period, e.report_key, e.decision, e.reason, e.actor, e.decided_at,
    v.on_day as counts_from,
    {{ as_of() }} as as_of
from {{ ref('stg_review_events') }} e
-- the version a decision belongs to: its day's row (version = the day's last decision's seq, so the smallest
-- version at or after this seq)
asof left join {{ ref('int_report_review_events') }} v on v.report_key = e.report_key and v.version >= e.seq
order by e.task_id, e.seq  -- task order: the detail's lookup by task_id reads one block
