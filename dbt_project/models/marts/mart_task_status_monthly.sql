-- Every task's status at every month end from its plan's start to the as-of date, as it was known then
-- (a periodic snapshot: "what did this look like at the end of June" without a rebuild).
-- Grain: task × month_end. A report counts from its arrival, not from its period: it is in force from
-- the end of the month it arrived in (and never before its period began), so a report sent late for June
-- does not change the end of June. Among the reports known by a month end, the one in force is chosen as
-- int_task_latest_report chooses (latest period, then the latest file and row). Whether the task is
-- completed is not that report's word: it is the authority rule (int_task_completion_timeline: only lead
-- units, all of them, each by its own report known then) read at the month end, the same timeline
-- int_task_completion reads at as_of — so the last month end equals mart_headline.
-- Set-based at province scale (141,600 tasks × months, 3M report rows): the latest report per task and
-- arrival month (one aggregate over one BIGINT order key, macro report_order), carried forward by a
-- running arg_max (one window over ≤ 1 row per task and month); then each task's change points (those
-- months, the months in which its timeline row changed, and its first month end), each side carried
-- forward to them, and every month end expanded from the change point in force — so the 4.5M task-month
-- rows are generated once and never joined (two ASOF joins of them were most of the model's time: at
-- 2,000 documents 22.9 s CPU and 2.7 GB before, 14 s and 1.1 GB after, the same rows).
-- The report in force is named by its status, 完成进度 and period only: no reader took its file and row from
-- 4M month rows (a report row's provenance is mart_task_provenance's), so they are not carried.
{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='task_id',
          pre_hook="{{ delete_changed_tasks() }}") }}  -- the submissions_job recomputes the changed tasks only (macros/changed_tasks.sql)
with files as ({{ report_files() }}),
per_month as (  -- each arrival month's latest report: in force from the end of the month it arrived in
    select
        r.task_id,
        greatest(last_day(r.received_at::date), last_day(r.period_start)) as known_from,
        max({{ report_order('f', 'r') }}) as report_order,
        arg_max({'status_code': r.status_code, 'percent': r.percent, 'period': r.period, 'is_sample': r.is_sample},
                {{ report_order('f', 'r') }}) as report
    from {{ ref('stg_progress_reports') }} r
    join files f on {{ join_report_file('f', 'r') }}
    where r.received_at::date <= {{ as_of() }}{{ changed_tasks_filter('r.task_id') }}
    group by all
),
running as (  -- the report in force from each arrival month on: the latest of those known so far
    select task_id, known_from,
           arg_max(report, report_order) over (partition by task_id order by known_from
                                               rows between unbounded preceding and current row) as report
    from per_month
),
completion as (  -- the timeline's row in force at the end of each month in which it changed (its last)
    select task_id, last_day(known_from) as known_from,
           arg_max({'completed_on': completed_on, 'is_complete': is_complete,
                    'is_awaiting_review': is_awaiting_review}, known_from) as completion
    from {{ ref('int_task_completion_timeline') }}
    {{ changed_tasks_filter('task_id', 'where') }}
    group by all
),
tasks as (
    select
        s.task_id, s.plan_id, s.region, s.due_date, s.due_basis, s.is_ongoing,
        last_day(case when year(p.issue_date) = p.year then date_trunc('month', p.issue_date)
                      else make_date(p.year, 1, 1) end) as first_month_end
    from {{ ref('int_task_status') }} s
    join {{ ref('stg_plans') }} p using (plan_id)
    {{ changed_tasks_filter('s.task_id', 'where') }}
),
points as (  -- the month ends at which the task's report or completion changed, and its first month end
    select task_id, known_from as point from running
    union
    select task_id, known_from from completion
    union
    select task_id, first_month_end from tasks
),
segments as (  -- each side's state carried forward to every point; it holds until the next point
    select
        p.task_id, p.point,
        last_value(k.report ignore nulls) over w as report,
        last_value(c.completion ignore nulls) over w as completion,
        lead(p.point) over w_next as next_point
    from points p
    left join running k on k.task_id = p.task_id and k.known_from = p.point
    left join completion c on c.task_id = p.task_id and c.known_from = p.point
    window w as (partition by p.task_id order by p.point rows between unbounded preceding and current row),
           w_next as (partition by p.task_id order by p.point)
),
months as (  -- every month end from the task's first one to as_of, each in the segment it falls in
    -- (a series of month starts, each taken to its month's end: a series stepping from a month's last day
    -- drifts, 31 Jan + 1 month = 28 Feb, then 28 Mar)
    select t.*, s.report, s.completion,
           last_day(unnest(generate_series(
               date_trunc('month', s.point),
               date_trunc('month', coalesce(s.next_point - interval 1 month, {{ as_of() }})),
               interval 1 month))::date) as month_end
    from segments s
    join tasks t using (task_id)
    where s.point >= t.first_month_end  -- the first month end is a point: earlier segments end by it
),
known as (
    select
        task_id, plan_id, region, due_date, due_basis, is_ongoing, month_end,
        report.status_code as latest_status_code,
        report.percent as latest_percent,
        report.period as latest_period,
        completion.completed_on as completed_on,
        coalesce(report.is_sample, false) as is_sample,
        coalesce(completion.is_complete and completion.completed_on <= month_end, false) as is_completed,
        coalesce(completion.is_awaiting_review, false) as is_awaiting_review,
        coalesce(due_date <= month_end, false) as is_due
    from months
    where month_end <= {{ as_of() }}
)
select
    task_id, plan_id, region, month_end, due_date, due_basis, is_ongoing,
    latest_status_code, latest_percent, latest_period, completed_on, is_sample,
    is_completed, is_due, is_awaiting_review,
    {{ task_state('month_end') }},
    {{ as_of() }} as as_of
from known
