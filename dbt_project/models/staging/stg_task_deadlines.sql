select
    task_id,
    seq::integer as seq,
    text,
    try_cast(due_date as date) as due_date,
    kind,
    source,
    line,
    try_cast(start_date as date) as start_date,
    done
from {{ source('raw', 'task_deadlines') }}
