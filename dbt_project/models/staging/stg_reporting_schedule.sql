-- The reporting calendar (data/reference/reporting_schedule.csv): which months are reporting periods
-- and the day of the following month by which that period's report is due.
select period_month::integer as period_month, due_day::integer as due_day
from {{ source('raw', 'ref_reporting_schedule') }}
