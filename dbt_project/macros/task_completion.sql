{#
  The completion authority rule, written once, as a timeline: for every task with a report, its completion
  from each day on which a report of one of its units became known (known_from = the day the report
  arrived, or its period's first day if later; a report sent late is not known before it arrived).
  Only lead units (牵头/负责) complete a task and ALL of them must: each lead unit's own report in force
  (latest period, then latest file and row, among the reports known by then) says 已完成; completed_on =
  the latest of their completion dates; done_period = the period in which the last of them first said
  已完成. A task naming no lead unit is completed by any of its units (nobody else could). A unit
  reporting under the name printed in the plan counts as that unit.
  Read by int_task_completion (the timeline's last row: the state as of as_of) and mart_task_status_monthly
  (the row in force at each month end), so the history's last month end is the headline.
  Set-based: one aggregate per task, unit and day; one running window per (task, unit); one ASOF join of
  each task's event days onto its units' timelines — never tasks × months × reports.
  Grain of the result: task_id × known_from.
#}
{% macro task_completion_timeline() -%}
(
    with leads as (
        select distinct task_id, unit, unit as reported_as from {{ ref('stg_task_units') }} where role = 'lead'
        union
        select distinct task_id, unit, unit_printed from {{ ref('stg_task_units') }}
        where role = 'lead' and unit_printed is not null
    ),
    lead_count as (
        select task_id, count(distinct unit) as lead_units_total from leads group by task_id
    ),
    reports as (
        select
            r.task_id,
            coalesce(l.unit, r.unit, '') as unit,
            l.unit is not null as is_lead,
            greatest(r.received_at::date, r.period_start) as known_from,
            r.status_code, r.completed_on, r.period,
            (r.period, r.ingested_at, r.received_at, r.file_checksum, r.sheet, r.row_number) as sort_key
        from {{ ref('stg_progress_reports') }} r
        left join leads l on l.task_id = r.task_id and l.reported_as = r.unit
        where r.period_start <= {{ as_of() }} and r.received_at::date <= {{ as_of() }}
    ),
    per_day as (  -- each unit's best report among those that became known that day
        select
            task_id, unit, is_lead, known_from,
            arg_max({'status_code': status_code, 'completed_on': completed_on}, sort_key) as best,
            max(sort_key) as best_key,
            min(period) filter (where status_code = 'done') as first_done_period
        from reports
        group by all
    ),
    unit_states as (  -- each unit's report in force from known_from (until its next row)
        select
            task_id, unit, is_lead, known_from,
            arg_max(best, best_key) over w as in_force,
            min(first_done_period) over w as first_done_period
        from per_day
        window w as (partition by task_id, unit, is_lead order by known_from
                     rows between unbounded preceding and current row)
    ),
    events as (  -- the days on which something about the task became known, with each of its units
        select distinct e.task_id, e.known_from as on_day, u.unit, u.is_lead
        from unit_states e
        join (select distinct task_id, unit, is_lead from unit_states) u using (task_id)
    ),
    at_events as (
        select e.task_id, e.on_day, e.unit, e.is_lead,
               s.in_force.status_code as status_code, s.in_force.completed_on as completed_on,
               s.first_done_period
        from events e
        asof join unit_states s
            on s.task_id = e.task_id and s.unit = e.unit and s.is_lead = e.is_lead and e.on_day >= s.known_from
    )
    select
        u.task_id,
        u.on_day as known_from,
        coalesce(c.lead_units_total, 0) as lead_units_total,
        count(distinct u.unit) filter (where u.is_lead and u.status_code = 'done') as lead_units_done,
        case
            when c.lead_units_total is null then bool_or(u.status_code = 'done')
            else count(distinct u.unit) filter (where u.is_lead and u.status_code = 'done') = c.lead_units_total
        end as is_complete,
        case
            when c.lead_units_total is null then max(u.completed_on) filter (where u.status_code = 'done')
            else max(u.completed_on) filter (where u.is_lead and u.status_code = 'done')
        end as completed_on,
        case  -- the period of each unit's first 已完成; the task's is the last lead unit's
            when c.lead_units_total is null then min(u.first_done_period) filter (where u.status_code = 'done')
            else max(u.first_done_period) filter (where u.is_lead and u.status_code = 'done')
        end as done_period
    from at_events u
    left join lead_count c using (task_id)
    group by u.task_id, u.on_day, c.lead_units_total
)
{%- endmacro %}
