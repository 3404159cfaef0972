-- The overview's headline figures for the leader of each region, over the regions below it
-- (int_region_scopes): the same measures as mart_headline, per scope. Targets are binding ones only, as in
-- mart_headline (a 力争 level is not a target the region is held to); overdue carries its printed / 推定 split.
with sc as (select * from {{ ref('int_region_scopes') }}),
c as (
    select sc.scope, {{ completion_measures() }}
    from {{ ref('int_task_status') }} s join sc on sc.region = s.region
    group by sc.scope
),
t as (
    select sc.scope,
        count(*) as targets_total,
        count(*) filter (where status = 'met') as targets_met,
        count(*) filter (where status = 'on_track') as targets_on_track,
        count(*) filter (where status = 'at_risk') as targets_at_risk,
        count(*) filter (where status = 'missed') as targets_missed,
        count(*) filter (where status = 'no_data') as targets_no_data
    from {{ ref('mart_target_attainment') }} a join sc on sc.region = a.region
    where a.is_binding
    group by sc.scope
),
p as (
    select sc.scope, count(*) as plans_total, count(distinct doc_id) as documents_total
    from {{ ref('stg_plans') }} pl join sc on sc.region = pl.region
    group by sc.scope
),
r as (
    select sc.scope, {{ reporting_measures() }}
    from {{ ref('mart_reporting_units') }} u join sc on sc.region = u.region
    group by sc.scope
)
select
    s.region as scope,
    coalesce(p.documents_total, 0) as documents_total, coalesce(p.plans_total, 0) as plans_total,
    coalesce(c.tasks_total, 0) as tasks_total, c.tasks_with_due_date, c.tasks_completed, c.completion_rate,
    c.tasks_due, c.due_completion_rate, c.on_time_rate, coalesce(c.tasks_overdue, 0) as tasks_overdue,
    coalesce(c.tasks_overdue_printed, 0) as tasks_overdue_printed,
    coalesce(c.tasks_overdue_assumed, 0) as tasks_overdue_assumed,
    coalesce(c.tasks_awaiting_review, 0) as tasks_awaiting_review,
    c.tasks_ongoing,
    coalesce(t.targets_total, 0) as targets_total, coalesce(t.targets_met, 0) as targets_met,
    coalesce(t.targets_on_track, 0) as targets_on_track, coalesce(t.targets_at_risk, 0) as targets_at_risk,
    coalesce(t.targets_missed, 0) as targets_missed, coalesce(t.targets_no_data, 0) as targets_no_data,
    r.reports_due, r.reports_received, r.reports_late, r.reports_missing, r.reporting_rate
from {{ ref('stg_regions') }} s
left join c on c.scope = s.region
left join t on t.scope = s.region
left join p on p.scope = s.region
left join r on r.scope = s.region
