select
    task_id,
    plan_id,
    doc_id,
    source,
    region,
    no::integer as no,
    section,
    title,
    text,
    start_line::integer as start_line,
    end_line::integer as end_line
from {{ source('raw', 'tasks') }}
