-- Each report row's review state as of var as_of (issue 26): the last row of int_report_review_events (the
-- rule), with the latest decision's who / when / why, when it was approved and when last returned.
-- Grain: report_key, for every report row known by as_of.
-- Every known report row has exactly one arrival row (version 0); decision rows (version = the day's
-- last seq > 0, on a day not before the arrival) exist for the few rows under review, and any of them
-- sorts after the arrival by (on_day, version). So the state is the latest decision when there is one,
-- else the arrival's: the aggregates run over the decision rows only, and the arrival rows are joined to
-- them — not a struct arg_max over one group per report row (3M groups at province scale).
{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='report_key',
          pre_hook="{{ empty_unless_changed_tasks_only() }}") }}  -- the submissions_job recomputes the report rows of the changed tasks only (macros/changed_tasks.sql)
with ev as (select * from {{ ref('int_report_review_events') }}),
decisions as (
    select
        report_key,
        arg_max(review_state, (on_day, version)) as review_state,
        arg_max(decided_at, (on_day, version)) as decided_at,
        arg_max(decided_by, (on_day, version)) as decided_by,
        max(on_day) filter (where review_state = 'approved') as approved_on,
        arg_max(decided_at, version) filter (where review_state = 'returned') as returned_at,
        arg_max(decided_by, version) filter (where review_state = 'returned') as returned_by,
        arg_max(reason, version) filter (where review_state = 'returned') as returned_reason,
        count(*) as decisions
    from ev
    where version > 0
    group by report_key
)
select
    r.report_key, r.task_id, r.unit, r.period, r.status_code, r.completed_on, r.received_at,
    coalesce(d.review_state, a.review_state) as review_state,
    d.decided_at, d.decided_by,  -- an arrival row names no decision
    case when d.review_state = 'approved' then d.approved_on end as approved_on,
    d.returned_at, d.returned_by, d.returned_reason,
    coalesce(d.decisions, 0) as decisions
from ev a
left join decisions d using (report_key)
join {{ ref('stg_progress_reports') }} r using (report_key)
where a.version = 0{{ changed_tasks_filter('r.task_id') }}
