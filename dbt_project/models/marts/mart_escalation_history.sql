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
m as (
    select
        task_id, month_end, is_overdue, days_overdue, latest_period,
        coalesce(latest_status_code in ('delayed', 'not_started'), false) as lagging
    from {{ ref('mart_task_status_monthly') }}
    {{ changed_tasks_filter('task_id', 'where') }}
),
islands as (  -- runs of consecutive lagging month ends
    select *,
           sum(case when lagging then 0 else 1 end) over (partition by task_id order by month_end) as run_id
    from m
),
firsts as (  -- a row whose period is new in its run (the first month end that showed that period)
    select *,
           latest_period is not null and row_number() over (
               partition by task_id, run_id, latest_period order by month_end) = 1 as new_period
    from islands
),
streaks as (  -- the distinct periods of the run so far: a running count of the rows that brought a new one
              -- (the same number as count(distinct latest_period) over the run's rows so far, without
              -- a windowed distinct aggregate, which cost most of this model's time at province scale)
    select * exclude (new_period),
           case when lagging then count(*) filter (where new_period) over (
               partition by task_id, run_id order by month_end
               range between unbounded preceding and current row) else 0 end as lagging_periods
    from firsts
),
holds as (
    select s.*,
           (s.is_overdue and s.days_overdue >= r.days_overdue) as overdue_rule,
           s.lagging_periods >= r.lagging_periods as lagging_rule,
           (s.is_overdue and s.days_overdue >= r.days_overdue) or s.lagging_periods >= r.lagging_periods as rule_holds
    from streaks s cross join rules r
),
changes as (
    select *, lag(rule_holds, 1, false) over (partition by task_id order by month_end) as held_before
    from holds
),
rule_events as (
    select
        task_id, month_end as on_day, 'rule' as origin, 0::bigint as seq,
        case when rule_holds then 'issue' else 'close' end as action,
        case
            when rule_holds and overdue_rule then '逾期 ' || days_overdue || ' 天'
            when rule_holds then '连续 ' || lagging_periods || ' 期滞后'
            else '不再符合督办条件（已完成或进度恢复）'
        end as note,
        'rule' as actor
    from changes
    where rule_holds <> held_before
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
