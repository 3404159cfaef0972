-- The overview's headline figures, one row, from the other marts (reporting figures: macro
-- reporting_measures over mart_reporting_units).
--   targets_*          : binding targets only (a 力争 level is not a target the region is held to);
--                        stretch_* counts the stretch levels apart
--   tasks_awaiting_review : lead units reported 已完成, review pending (issue 26; not completed, not overdue)
--   median_days_to_review : median days from a report's arrival to its approval (approvals known as of)
--   tasks_overdue_*    : overdue split by the due date's basis (printed vs assumed plan-year end)
--   newest_data_date   : the end of the newest reporting period among the reports and observations
--                        known as of as_of; data_stale when it is more than two months before as_of
with c as (select * from {{ ref('mart_completion') }} where dimension = 'all'),
t as (
    select
        count(*) filter (where is_binding) as targets_total,
        count(*) filter (where is_binding and status = 'met') as targets_met,
        count(*) filter (where is_binding and status = 'on_track') as targets_on_track,
        count(*) filter (where is_binding and status = 'at_risk') as targets_at_risk,
        count(*) filter (where is_binding and status = 'missed') as targets_missed,
        count(*) filter (where is_binding and status = 'insufficient_data') as targets_insufficient_data,
        count(*) filter (where is_binding and status = 'no_data') as targets_no_data,
        count(*) filter (where not is_binding) as stretch_total,
        count(*) filter (where not is_binding and status in ('met', 'on_track')) as stretch_met_or_on_track,
        bool_or(includes_sample_data) as targets_include_sample
    from {{ ref('mart_target_attainment') }}
),
rv as (  -- time to review: days from the report's arrival to its approval, over the approvals known as of
    select count(*) filter (where review_state = 'pending_review') as reports_awaiting_review,
           median(date_diff('day', received_at::date, approved_on)) filter (where review_state = 'approved')
               as median_days_to_review
    from {{ ref('int_report_review') }}
),
p as (select count(*) as plans_total, count(distinct doc_id) as documents_total from {{ ref('stg_plans') }}),
r as (select {{ reporting_measures() }} from {{ ref('mart_reporting_units') }}),
fresh as (
    select max(period_end) as newest_data_date
    from (
        select last_day(max(period_start)) as period_end
        from {{ ref('stg_progress_reports') }} where period_start <= {{ as_of() }}
        union all
        select max(case when is_annual then make_date(year, 12, 31) else last_day(make_date(year, month, 1)) end)
        from {{ ref('int_observations') }}
    )
)
select
    p.documents_total, p.plans_total,
    c.tasks_total, c.tasks_with_due_date, c.tasks_completed, c.completion_rate, c.tasks_due,
    c.due_completion_rate, c.on_time_rate, c.tasks_overdue, c.tasks_overdue_printed, c.tasks_overdue_assumed,
    c.max_days_overdue, c.tasks_awaiting_review, rv.median_days_to_review, c.tasks_ongoing, c.tasks_ongoing_reported, c.tasks_ongoing_lagging,
    t.targets_total, t.targets_met, t.targets_on_track, t.targets_at_risk, t.targets_missed,
    t.targets_insufficient_data, t.targets_no_data, t.stretch_total, t.stretch_met_or_on_track,
    r.reports_due, r.reports_on_time, r.on_time_reporting_rate, r.reports_received, r.reports_late,
    r.reports_missing, r.reporting_rate,
    fresh.newest_data_date,
    date_diff('day', fresh.newest_data_date, c.as_of) as data_age_days,
    coalesce(fresh.newest_data_date < c.as_of - interval 2 month, true) as data_stale,
    coalesce(c.includes_sample_data, false) or coalesce(t.targets_include_sample, false) as includes_sample_data,
    c.as_of
from c cross join t cross join p cross join r cross join fresh cross join rv
