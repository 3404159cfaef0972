-- One row per task as of var as_of: the task-level mart behind every completion figure and the 任务 page.
-- Shaped for the page: where the task's first line sits in its .docx/.pdf (location) and the page's
-- order as one integer (list_order), so a province's task list is a top-N on an integer, not a sort of
-- 141,600 rows by three strings and a lookup into 1.4M plan lines on every request.
select
    s.*,
    l.location,
    row_number() over (order by s.region, s.plan_title, s.start_line, s.task_id) as list_order
from {{ ref('int_task_status') }} s
left join {{ source('raw', 'plan_lines') }} l on l.source = s.source and l.line_no = s.start_line
