-- What each responsible unit must report in each period, for the unit's own page (/my): the rows of
-- int_reporting_obligations (the one rule: templates and compliance marts read it too) that name a unit,
-- the columns the page needs only. Published as a mart because the dashboard reads marts only (issue 23).
-- Grain: task_id × period × unit (a unit is (region, unit): the task's region).
{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='task_id',
          pre_hook="{{ delete_changed_tasks() }}") }}  -- the submissions_job recomputes the changed tasks only (macros/changed_tasks.sql)
select region, unit, period, task_id, role, due_date, carried_over, unit_reported
from {{ ref('int_reporting_obligations') }}
where unit is not null{{ changed_tasks_filter('task_id') }}
