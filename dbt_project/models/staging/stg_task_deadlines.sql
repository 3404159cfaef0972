select task_id, seq::integer as seq, text, try_cast(due_date as date) as due_date, kind
from {{ source('raw', 'task_deadlines') }}
