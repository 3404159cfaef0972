-- Who may complete a task, and when it is complete, as of var as_of — the authority rule is written once,
-- in int_task_completion_timeline (only lead units complete a task, all of them; a report counts from
-- its arrival). This is the timeline's last row per task: the state with every report known by as_of.
-- mart_task_status_monthly reads the same timeline at each month end, so the history's last month end
-- equals the headline.
-- Review (issue 26): is_awaiting_review, review_state, reported_complete_on and approved_on come from the
-- same timeline (a lead unit's 已完成 counts only when its review state is not_required or approved).
-- Grain: task_id, for every task with at least one report known by as_of. Read by int_task_status
-- (is_completed) and int_reporting_obligations (a task is not expected after the period that completed it).
{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='task_id',
          pre_hook="{{ delete_changed_tasks() }}") }}  -- the submissions_job recomputes the changed tasks only (macros/changed_tasks.sql)
select task_id, lead_units_total, lead_units_done, is_complete, completed_on, done_period,
       is_awaiting_review, reported_complete_on, approved_on, review_state
from {{ ref('int_task_completion_timeline') }}
{{ changed_tasks_filter('task_id', 'where') }}
qualify row_number() over (partition by task_id order by known_from desc) = 1
