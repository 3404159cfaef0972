-- The reporting periods of each plan: the months of the reporting schedule (reporting_schedule.csv)
-- from the month the plan was issued (January when it was issued in an earlier year or its date is
-- unknown) to December of the plan year, that have begun by as_of. due_date: the report for a period is
-- due on due_day of the following month.
with months as (
    select
        p.plan_id,
        p.year,
        unnest(generate_series(
            case when year(p.issue_date) = p.year then month(p.issue_date) else 1 end, 12)) as month
    from {{ ref('stg_plans') }} p
)
select
    m.plan_id,
    strftime(make_date(m.year, m.month, 1), '%Y-%m') as period,
    make_date(m.year, m.month, 1) as period_start,
    make_date(m.year, m.month, 1) + interval 1 month + (s.due_day - 1) * interval 1 day as due_date
from months m
join {{ ref('stg_reporting_schedule') }} s on s.period_month = m.month
where make_date(m.year, m.month, 1) <= {{ as_of() }}
