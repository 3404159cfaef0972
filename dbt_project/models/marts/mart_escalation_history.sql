-- Every 督办 event, rule-made and manual (issue 26), as of var as_of.
-- Grain: one event (task_id × on_day × origin × seq).
-- Rule-made events are read off the month-end history (mart_task_status_monthly), so the rule is checked
-- at every month end as it was known then: a task is escalated by rule from the first month end at which
-- it is overdue by at least escalation_rules.days_overdue days, or its report in force has said 滞后/未启动
-- for escalation_rules.lagging_periods consecutive reporting periods; the rule's 督办 closes at the first
-- month end at which neither holds (completed, or reporting progress again). Manual events are the
-- supervisors' issue / close with a note (stg_escalation_events: known from their day; one made after
-- as_of is not read, as review decisions are not).
{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='task_id',
          pre_hook="{{ delete_changed_tasks() }}") }}  -- the submissions_job recomputes the changed tasks only (macros/changed_tasks.sql)
with rules as (select * from {{ ref('stg_escalation_rules') }}),
-- Set-based on the few rows that can hold the rule, not windows over the whole history (4.5M task month ends at
-- province scale, four sorts of it: most of this model's time). The history has every month end of a task from
-- its plan's start to as_of (mart_task_status_monthly's grain), so month_no (months since year 0) steps by one
-- from row to row: "the previous month end" is month_no - 1, a join, not a lag().
m as (
    select
        task_id, month_end, year(month_end) * 12 + month(month_end) as month_no,
        is_overdue, days_overdue, latest_period,
        coalesce(latest_status_code in ('delayed', 'not_started'), false) as lagging
    from {{ ref('mart_task_status_monthly') }}
    {{ changed_tasks_filter('task_id', 'where') }}
),
lagging_runs as (  -- runs of consecutive lagging month ends: month_no minus the row's rank is constant along a run
    select task_id, month_no, month_end, latest_period,
           month_no - row_number() over (partition by task_id order by month_no) as run_id
    from m
    where lagging
),
run_rows as (  -- a run's rows, and the month end just before it (not lagging): its period counts among the run's
    select task_id, run_id, month_no, month_end, latest_period, true as lagging from lagging_runs
    union all
    select b.task_id, b.run_id, p.month_no, p.month_end, p.latest_period, false
    from (select task_id, run_id, min(month_no) as first_month from lagging_runs group by all) b
    join m p on p.task_id = b.task_id and p.month_no = b.first_month - 1
),
firsts as (  -- a row whose period is new in its run (the first month end that showed that period)
    select *,
           latest_period is not null and row_number() over (
               partition by task_id, run_id, latest_period order by month_no) = 1 as new_period
    from run_rows
),
streaks as (  -- the distinct periods of the run so far: a running count of the rows that brought a new one
              -- (the same number as count(distinct latest_period) over the run's rows so far, without
              -- a windowed distinct aggregate)
    select task_id, month_no, month_end,
           count(*) filter (where new_period) over (
               partition by task_id, run_id order by month_no
               range between unbounded preceding and current row) as lagging_periods,
           lagging
    from firsts
),
holds as (  -- the month ends at which the rule holds: overdue long enough, or lagging long enough
    select task_id, month_no, month_end, o.days_overdue, l.lagging_periods,
           o.task_id is not null as overdue_rule
    from (select m.task_id, m.month_no, m.month_end, m.days_overdue
          from m cross join rules r
          where m.is_overdue and m.days_overdue >= r.days_overdue) o
    full join (select s.task_id, s.month_no, s.month_end, s.lagging_periods
               from streaks s cross join rules r
               where s.lagging and s.lagging_periods >= r.lagging_periods) l
        using (task_id, month_no, month_end)
),
rule_events as (
    -- issue: the rule holds at a month end and did not at the one before (or it is the task's first)
    select
        h.task_id, h.month_end as on_day, 'rule' as origin, 0::bigint as seq, 'issue' as action,
        case when h.overdue_rule then '逾期 ' || h.days_overdue || ' 天'
             else '连续 ' || h.lagging_periods || ' 期滞后' end as note,
        'rule' as actor
    from holds h
    anti join holds b on b.task_id = h.task_id and b.month_no = h.month_no - 1
    union all
    -- close: the month end after the last of a run of them, when the history has it (not past as_of)
    select
        n.task_id, n.month_end, 'rule', 0::bigint, 'close', '不再符合督办条件（已完成或进度恢复）', 'rule'
    from (select h.task_id, h.month_no
          from holds h
          anti join holds a on a.task_id = h.task_id and a.month_no = h.month_no + 1) last_held
    join m n on n.task_id = last_held.task_id and n.month_no = last_held.month_no + 1
),
manual_events as (
    select task_id, event_at::date as on_day, 'manual' as origin, seq, action, note, actor
    from {{ ref('stg_escalation_events') }}
    {{ changed_tasks_filter('task_id', 'where') }}
)
select e.*, t.title as task_title, t.region
from (select * from rule_events union all select * from manual_events) e
join {{ ref('int_task_status') }} t using (task_id)
order by e.task_id, e.on_day, e.seq  -- task order: the detail's lookup by task_id reads one block
