-- Every task's status at every month end from its plan's start to the as-of date, as it was known then
-- (a periodic snapshot: "what did this look like at the end of June" without a rebuild).
-- Grain: task × month_end. A report counts from its arrival, not from its period: it is in force from
-- the end of the month it arrived in (and never before its period began), so a report sent late for June
-- does not change the end of June. Among the reports known by a month end, the one in force is chosen as
-- int_task_latest_report chooses (latest period, then the latest file and row). Whether the task is
-- completed is not that report's word: it is the authority rule (int_task_completion_timeline: only lead
-- units, all of them, each by its own report known then) read at the month end, the same timeline
-- int_task_completion reads at as_of — so the last month end equals mart_headline.
-- Set-based at province scale (141,600 tasks × months, 3M report rows): reports ranked per task, the
-- highest rank per task and arrival month (one aggregate) carried forward by a running max (one window),
-- and an ASOF join of the month grid onto it — never tasks × months × reports.
-- The report in force is named by its status, 完成进度 and period only: no reader took its file and row from
-- 4M month rows (a report row's provenance is mart_task_provenance's), so they are not carried.
{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='task_id',
          pre_hook="{{ delete_changed_tasks() }}") }}  -- the submissions_job recomputes the changed tasks only (macros/changed_tasks.sql)
with r as (
    select
        task_id, status_code, percent, period, is_sample,
        greatest(last_day(received_at::date), last_day(period_start)) as known_from,
        -- which report supersedes which, as one integer per task (a later one ranks higher): the aggregate
        -- and the running window compare this number, not a 6-field struct per row
        row_number() over (partition by task_id
                           order by period, ingested_at, received_at, file_checksum, sheet, row_number) as rank_in_task
    from {{ ref('stg_progress_reports') }}
    where received_at::date <= {{ as_of() }}{{ changed_tasks_filter('task_id') }}
),
per_month as (  -- from each arrival month on: the highest-ranked report known by its end (a running max)
    select task_id, known_from, max(max(rank_in_task)) over (partition by task_id order by known_from
                                                            rows between unbounded preceding and current row) as in_force_rank
    from r
    group by task_id, known_from
),
running as (
    select p.task_id, p.known_from, r.status_code, r.percent, r.period, r.is_sample
    from per_month p
    join r on r.task_id = p.task_id and r.rank_in_task = p.in_force_rank
),
tasks as (
    select
        s.task_id, s.plan_id, s.region, s.due_date, s.due_basis, s.is_ongoing,
        case when year(p.issue_date) = p.year then date_trunc('month', p.issue_date)
             else make_date(p.year, 1, 1) end as plan_start
    from {{ ref('int_task_status') }} s
    join {{ ref('stg_plans') }} p using (plan_id)
    {{ changed_tasks_filter('s.task_id', 'where') }}
),
grid as (
    select t.*, unnest(generate_series(last_day(t.plan_start), last_day({{ as_of() }}), interval 1 month))::date
        as month_end_raw
    from tasks t
),
months as (
    -- generate_series by month from a month's last day drifts (31 Jan + 1 month = 28 Feb, then 28 Mar):
    -- each step is taken back to its month's end
    select * exclude (month_end_raw), last_day(month_end_raw) as month_end
    from grid
    where last_day(month_end_raw) <= {{ as_of() }}
),
known as (
    select
        m.*,
        k.status_code as latest_status_code,
        k.percent as latest_percent,
        k.period as latest_period,
        c.completed_on,
        coalesce(k.is_sample, false) as is_sample,
        coalesce(c.is_complete and c.completed_on <= m.month_end, false) as is_completed,
        coalesce(c.is_awaiting_review, false) as is_awaiting_review,
        coalesce(m.due_date <= m.month_end, false) as is_due
    from months m
    asof left join running k on k.task_id = m.task_id and m.month_end >= k.known_from
    asof left join {{ ref('int_task_completion_timeline') }} c on c.task_id = m.task_id and m.month_end >= c.known_from
)
select
    task_id, plan_id, region, month_end, due_date, due_basis, is_ongoing,
    latest_status_code, latest_percent, latest_period, completed_on, is_sample,
    is_completed, is_due, is_awaiting_review,
    {{ task_state('month_end') }},
    {{ as_of() }} as as_of
from known
