-- Every evidence file attached to a task (raw.evidence, copied from the supervision store); the bytes are
-- at <data_root>/evidence/<sha256[:2]>/<sha256>, never in the warehouse.
select seq, sha256, filename, media_type, size_bytes, task_id, period, unit, region, uploader, uploaded_at
from {{ source('raw', 'evidence') }}
