-- The overview's headline figures, one row, from the other marts (reporting figures: macro
-- reporting_measures over mart_reporting_units).
with c as (select * from {{ ref('mart_completion') }} where dimension = 'all'),
t as (
    select
        count(*) as targets_total,
        count(*) filter (where status = 'met') as targets_met,
        count(*) filter (where status = 'on_track') as targets_on_track,
        count(*) filter (where status = 'at_risk') as targets_at_risk,
        count(*) filter (where status = 'missed') as targets_missed,
        count(*) filter (where status = 'no_data') as targets_no_data,
        bool_or(includes_sample_data) as targets_include_sample
    from {{ ref('mart_target_attainment') }}
),
p as (select count(*) as plans_total, count(distinct doc_id) as documents_total from {{ ref('stg_plans') }}),
r as (select {{ reporting_measures() }} from {{ ref('mart_reporting_units') }})
select
    p.documents_total, p.plans_total,
    c.tasks_total, c.tasks_with_due_date, c.tasks_completed, c.completion_rate, c.tasks_due,
    c.due_completion_rate, c.on_time_rate, c.tasks_overdue, c.tasks_ongoing,
    t.targets_total, t.targets_met, t.targets_on_track, t.targets_at_risk, t.targets_missed, t.targets_no_data,
    r.reports_due, r.reports_received, r.reports_late, r.reports_missing, r.reporting_rate,
    coalesce(c.includes_sample_data, false) or coalesce(t.targets_include_sample, false) as includes_sample_data,
    c.as_of
from c cross join t cross join p cross join r
