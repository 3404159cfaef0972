-- The review state of every report row over time, as of var as_of: THE rule of review (issue 26), read by
-- int_report_review (the state at as_of) and the completion timeline (int_task_completion_timeline).
-- Grain: report_key × version (0 = the arrival, else the seq of the day's last decision). The first row is the report's arrival (on_day = the day it became known:
-- it arrived, or its period began if later): not_required when it does not say 已完成 or arrived before
-- review_policy.csv's review_required_from, else pending_review. Each later row is a day with a decision
-- on it (the day's last decision wins): approved or returned. Decisions on a report that needs no review
-- change nothing. A decision is known from its day; one made after as_of is not read at all
-- (stg_review_events keeps the decisions made by as_of).
{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='report_key',
          pre_hook="{{ empty_unless_changed_tasks_only() }}") }}  -- the submissions_job recomputes the report rows of the changed tasks only (macros/changed_tasks.sql)
with policy as (select review_required_from from {{ ref('stg_review_policy') }}),
reports as (
    select
        r.report_key,
        greatest(r.received_at::date, r.period_start) as known_from,
        r.status_code = 'done' and coalesce(r.received_at::date >= p.review_required_from, false) as review_required
    from {{ ref('stg_progress_reports') }} r
    cross join policy p
    where r.period_start <= {{ as_of() }} and r.received_at::date <= {{ as_of() }}{{ changed_tasks_filter('r.task_id') }}
),
decided as (
    select
        e.report_key,
        greatest(r.known_from, e.decided_at::date) as on_day,
        arg_max(e, e.seq) as last
    from {{ ref('stg_review_events') }} e
    join reports r using (report_key)
    where r.review_required
    group by all
)
select
    report_key, 0::bigint as version, known_from as on_day,
    case when review_required then 'pending_review' else 'not_required' end as review_state,
    null::timestamp as decided_at, null::varchar as decided_by, null::varchar as reason
from reports
union all
select
    report_key, last.seq as version, on_day,
    case last.decision when 'approve' then 'approved' else 'returned' end as review_state,
    last.decided_at, last.actor as decided_by, last.reason
from decided
