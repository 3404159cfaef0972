-- When a task is escalated (督办) by rule (data/reference/escalation_rules.csv, one row): overdue by at
-- least days_overdue days, or its lead units' reports in force say 滞后/未启动 in lagging_periods
-- consecutive reporting periods.
select days_overdue::integer as days_overdue, lagging_periods::integer as lagging_periods
from {{ source('raw', 'ref_escalation_rules') }}
