-- Evidence files (佐证材料) in the warehouse (issue 26): what was attached to which task, by whom, when.
-- Grain: one evidence file × task (the first attachment of those bytes to the task; the same bytes attached
-- again for another period or unit are the same proof). seq: the store's sequence number (the dashboard
-- compares it with the store's to show files uploaded since the snapshot). The bytes are not here: they are at
-- <data_root>/evidence/<sha256[:2]>/<sha256>, served by the dashboard to those who may see the task.
select
    e.seq, e.sha256, e.filename, e.media_type, e.size_bytes, e.task_id, e.period, e.unit,
    coalesce(e.region, t.region) as region, e.uploader, e.uploaded_at
from {{ ref('stg_evidence') }} e
left join {{ ref('stg_tasks') }} t using (task_id)
qualify row_number() over (partition by e.sha256, e.task_id order by e.seq) = 1
order by e.task_id, e.seq  -- task order: the detail's lookup by task_id reads one block
