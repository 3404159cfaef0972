-- One row per task as of var as_of: the task-level mart behind every completion figure.
select * from {{ ref('int_task_status') }}
