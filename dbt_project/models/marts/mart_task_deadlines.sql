-- Every deadline phrase of every task (grain: task × phrase, seq in printed order) with the date it was
-- read as and its kind; source is 'body' or 'annex' (a ledger row's 完成时限), line where it is printed.
-- The task detail's deadlines; the due date the KPIs use is int_task_deadline's (mart_task_status).
select task_id, seq, text, due_date, kind, source, line
from {{ ref('stg_task_deadlines') }}
order by task_id, seq  -- task order: a lookup by task_id reads one block
