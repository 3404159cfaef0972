-- Each report row's review state as of var as_of (issue 26): the last row of int_report_review_events (the
-- rule), with the latest decision's who / when / why, when it was approved and when last returned.
-- Grain: report_key, for every report row known by as_of.
with ev as (select * from {{ ref('int_report_review_events') }}),
state as (
    select report_key, arg_max(ev, (on_day, version)) as last
    from ev
    group by report_key
),
decisions as (
    select
        report_key,
        max(on_day) filter (where review_state = 'approved') as approved_on,
        arg_max(decided_at, version) filter (where review_state = 'returned') as returned_at,
        arg_max(decided_by, version) filter (where review_state = 'returned') as returned_by,
        arg_max(reason, version) filter (where review_state = 'returned') as returned_reason,
        count(*) filter (where version > 0) as decisions
    from ev
    group by report_key
)
select
    r.report_key, r.task_id, r.unit, r.period, r.status_code, r.completed_on, r.received_at,
    s.last.review_state as review_state,
    s.last.decided_at as decided_at,
    s.last.decided_by as decided_by,
    case when s.last.review_state = 'approved' then d.approved_on end as approved_on,
    d.returned_at, d.returned_by, d.returned_reason,
    d.decisions
from state s
join decisions d using (report_key)
join {{ ref('stg_progress_reports') }} r using (report_key)
