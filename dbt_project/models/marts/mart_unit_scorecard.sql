-- One row per responsible unit (per region): its tasks by role, the lead role's completion, timeliness and
-- overdue count (mart_unit_completion) beside its reporting compliance (mart_unit_reporting). The 单位
-- page and its download read this table as it is. Counts as bigint: a sum is a HUGEINT, which pandas
-- reads as floats (1.0 tasks).
with c as (select * from {{ ref('mart_unit_completion') }})
select c.region, c.unit,
       (sum(tasks_total) filter (where role = 'lead'))::bigint as lead_tasks,
       (sum(tasks_total) filter (where role = 'support'))::bigint as support_tasks,
       (sum(tasks_total) filter (where role = 'implement'))::bigint as implement_tasks,
       max(completion_rate) filter (where role = 'lead') as lead_completion_rate,
       max(on_time_rate) filter (where role = 'lead') as lead_on_time_rate,
       (sum(tasks_overdue) filter (where role = 'lead'))::bigint as lead_overdue,
       any_value(r.reports_due) as reports_due, any_value(r.reports_on_time) as reports_on_time,
       any_value(r.reports_late) as reports_late, any_value(r.reports_missing) as reports_missing,
       any_value(r.reporting_rate) as reporting_rate,
       row_number() over (order by sum(tasks_overdue) filter (where role = 'lead') desc nulls last,
                                   c.region, c.unit) as list_order
from c left join {{ ref('mart_unit_reporting') }} r using (region, unit)
group by c.region, c.unit
order by list_order  -- stored in list order: a block of /units is a range of it
