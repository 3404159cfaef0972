-- The annex ledger rows (台账 / 任务表) linked to a task (grain: one annex row, annex_row_id), with where
-- the row starts in its .docx/.pdf: the task detail shows how the annex repeats the task.
select a.task_id, a.annex_row_id, a.table_title, a.no, a.category, a.text, a.deadline, a.units, a.source,
       a.start_line, l.location, a.link_score
from {{ ref('stg_annex_rows') }} a
left join {{ source('raw', 'plan_lines') }} l on l.source = a.source and l.line_no = a.start_line
where a.task_id is not null
order by a.task_id, a.start_line  -- task order: a lookup by task_id reads one block
