-- The completion authority rule, written once, as a timeline: for every task with a report, its completion
-- from each day on which a report of one of its units became known (known_from = the day the report
-- arrived, or its period's first day if later; a report sent late is not known before it arrived).
-- Only lead units (牵头/负责) complete a task and ALL of them must: each lead unit's own report in force
-- (latest period, then latest file and row, among the reports known by then) says 已完成; completed_on =
-- the latest of their completion dates; done_period = the period in which the last of them first said
-- 已完成. A task naming no lead unit is completed by any of its units (nobody else could). A unit
-- reporting under the name printed in the plan counts as that unit.
-- Review (issue 26): a report row's 已完成 counts only while its review state (int_report_review_events,
-- the one place that decides it) is not_required (not 已完成, or it arrived before review_policy.csv's
-- review_required_from) or approved; pending_review and returned count as not done. A decision is one more
-- version of the report row from its day on (its day and number are the last keys of its sort key, so a later decision on
-- the same row supersedes the earlier one, and a later report of the unit supersedes both).
-- is_awaiting_review: not complete, but every lead unit (any unit, for a task naming no lead) says 已完成
-- and is not returned — the rest await review. reported_complete_on = the latest arrival of those reports;
-- approved_on = the latest approval among them (null when none needed one).
-- Read by int_task_completion (the timeline's last row: the state as of as_of) and mart_task_status_monthly
-- (the row in force at each month end), so the history's last month end is the headline. A table, built
-- once per run: it was a macro both of them expanded, so a province build computed it twice (at 2,000
-- documents 52.7 s in int_task_completion and again inside the 123.5 s of mart_task_status_monthly).
-- Set-based: one aggregate per task, unit and day; each task's days × its units, carried forward by one
-- running window per (task, unit) over an integer rank — never tasks × months × reports.
-- Grain of the result: task_id × known_from.
{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='task_id',
          pre_hook="{{ delete_changed_tasks() }}") }}  -- the submissions_job recomputes the changed tasks only (macros/changed_tasks.sql)
with leads as (
    select distinct task_id, unit, unit as reported_as from {{ ref('stg_task_units') }} where role = 'lead'
    union
    select distinct task_id, unit, unit_printed from {{ ref('stg_task_units') }}
    where role = 'lead' and unit_printed is not null
),
lead_count as (
    select task_id, count(distinct unit) as lead_units_total from leads group by task_id
),
files as ({{ report_files() }}),
reports as (  -- every version of every report row known by as_of: its arrival, then each review decision
    select
        r.task_id,
        coalesce(l.unit, r.unit, '') as unit,
        l.unit is not null as is_lead,
        v.on_day as known_from,
        r.status_code, r.completed_on, r.period, v.review_state,
        v.review_state in ('not_required', 'approved') as counts,
        r.received_at::date as arrived_on,
        case when v.review_state = 'approved' then v.on_day end as approved_on,
        -- which version supersedes which, as one integer per task (a later version ranks higher): the
        -- aggregates and the running window below compare this number, not an 8-field struct per row
        -- (those struct comparisons were most of the model's time: 14 s of CPU at 500 documents); the
        -- report rows in macro report_order's order, then each row's review decisions
        row_number() over (
            partition by r.task_id order by {{ report_order('f', 'r') }}, v.on_day, v.version
        ) as rank_in_task
    from {{ ref('stg_progress_reports') }} r
    join {{ ref('int_report_review_events') }} v using (report_key)
    join files f on {{ join_report_file('f', 'r') }}
    left join leads l on l.task_id = r.task_id and l.reported_as = r.unit
    {{ changed_tasks_filter('r.task_id', 'where') }}
),
per_day as (  -- each unit's highest-ranked version among those that became known that day
    select
        task_id, unit, is_lead, known_from,
        max(rank_in_task) as rank_in_task,
        min(period) filter (where status_code = 'done' and counts) as first_done_period
    from reports
    group by task_id, unit, is_lead, known_from
),
task_days as (  -- the days on which something about the task became known ...
    select distinct task_id, known_from as on_day from per_day
),
task_units as (  -- ... and every unit that reported on it
    select distinct task_id, unit, is_lead from per_day
),
unit_states as (  -- each unit's report in force on each of the task's days: the highest-ranked version
                  -- known by then (a running max, as ranks only grow), and its first counted 已完成 so far
    select
        g.task_id, g.on_day, u.unit, u.is_lead,
        max(d.rank_in_task) over w as in_force_rank,
        min(d.first_done_period) over w as first_done_period
    from task_days g
    join task_units u on u.task_id = g.task_id
    left join per_day d
        on d.task_id = g.task_id and d.unit = u.unit and d.is_lead = u.is_lead and d.known_from = g.on_day
    window w as (partition by g.task_id, u.unit, u.is_lead order by g.on_day
                 rows between unbounded preceding and current row)
),
at_events as (  -- a unit that had not reported yet on a day has no state then (and does not count)
    select u.task_id, u.on_day, u.unit, u.is_lead,
           r.status_code, r.completed_on, u.first_done_period,
           r.status_code = 'done' and r.review_state in ('not_required', 'approved') as done,
           r.status_code = 'done' and r.review_state <> 'returned' as said_done,
           r.review_state as unit_review_state, r.arrived_on as unit_arrived_on,
           r.approved_on as unit_approved_on
    from unit_states u
    join reports r on r.task_id = u.task_id and r.rank_in_task = u.in_force_rank
)
select
    u.task_id,
    u.on_day as known_from,
    coalesce(c.lead_units_total, 0) as lead_units_total,
    count(*) filter (where u.is_lead and u.done) as lead_units_done,
    case
        when c.lead_units_total is null then bool_or(u.done)
        else count(*) filter (where u.is_lead and u.done) = c.lead_units_total
    end as is_complete,
    not is_complete and case
        when c.lead_units_total is null then bool_or(u.said_done)
        else count(*) filter (where u.is_lead and u.said_done) = c.lead_units_total
    end as is_awaiting_review,
    case
        when c.lead_units_total is null then max(u.completed_on) filter (where u.done)
        else max(u.completed_on) filter (where u.is_lead and u.done)
    end as completed_on,
    case  -- the period of each unit's first 已完成; the task's is the last lead unit's
        when c.lead_units_total is null then min(u.first_done_period) filter (where u.done)
        else max(u.first_done_period) filter (where u.is_lead and u.done)
    end as done_period,
    case when is_complete or is_awaiting_review then
        case when c.lead_units_total is null then max(u.unit_arrived_on) filter (where u.said_done)
             else max(u.unit_arrived_on) filter (where u.is_lead and u.said_done) end
    end as reported_complete_on,
    case when is_complete then
        case when c.lead_units_total is null then max(u.unit_approved_on) filter (where u.done)
             else max(u.unit_approved_on) filter (where u.is_lead and u.done) end
    end as approved_on,
    case  -- the task's review state: its lead units' reports' states, the least advanced first
        when is_awaiting_review then 'pending_review'
        when bool_or(u.status_code = 'done' and u.unit_review_state = 'returned'
                     and (u.is_lead or c.lead_units_total is null)) then 'returned'
        when is_complete and approved_on is not null then 'approved'
        else 'not_required'
    end as review_state
-- count(*), not count(distinct unit): at_events holds one row per task, day, unit and is_lead (task_days ×
-- task_units, each distinct, joined 1:1 to the version of that rank), so among a day's lead rows each unit
-- is one row (a distinct count per group was 11 s of the model's 46 s operator time at 2,000 documents)
from at_events u
left join lead_count c using (task_id)
group by u.task_id, u.on_day, c.lead_units_total
