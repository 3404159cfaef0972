-- The printed lines of every task (grain: task × line of its plan file), as the file holds them, with
-- where each sits in a .docx/.pdf (location): the task detail's source text, read from a mart.
select t.task_id, l.line_no, l.location, l.text
from {{ ref('stg_tasks') }} t
join {{ source('raw', 'plan_lines') }} l on l.source = t.source and l.line_no between t.start_line and t.end_line
-- stored in task order: the detail's lookup by task_id reads one block (DuckDB's zone maps), ≈ 1 ms at
-- 600,000 lines, not a scan
order by t.task_id, l.line_no
