-- Reporting compliance per region and period, as of var as_of, from mart_reporting_units.
--   units_expected  : lead units with open tasks in the period
--   units_reported  : of those, units that sent a report for the period (on time or late)
--   reporting_rate  = units_reported / units_expected
--   on_time_rate    = units_on_time / units_expected
with u as (select * from {{ ref('mart_reporting_units') }})
select
    region,
    period,
    any_value(due_date) as due_date,
    count(*) as units_expected,
    count(*) filter (where report_status in ('on_time', 'late')) as units_reported,
    count(*) filter (where report_status = 'on_time') as units_on_time,
    count(*) filter (where report_status = 'late') as units_late,
    count(*) filter (where report_status = 'missing') as units_missing,
    count(*) filter (where report_status = 'pending') as units_pending,
    round(count(*) filter (where report_status in ('on_time', 'late')) / count(*), 4) as reporting_rate,
    round(count(*) filter (where report_status = 'on_time') / count(*), 4) as on_time_rate,
    bool_or(includes_sample_data) as includes_sample_data,
    any_value(as_of) as as_of
from u
group by region, period
