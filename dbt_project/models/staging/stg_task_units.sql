select task_id, role, unit_printed, unit, members, propagated
from {{ source('raw', 'task_units') }}
