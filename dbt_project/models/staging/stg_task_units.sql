select task_id, role, unit_printed, unit
from {{ source('raw', 'task_units') }}
