-- The supervising office's review queue, as of var as_of (issue 26).
-- Grain: one report row awaiting review or returned — each unit's latest report row per task (latest
-- period, then the latest file and row, among those known by as_of, as the completion rule chooses),
-- listed when its review state (int_report_review) is pending_review or returned. A returned row leaves
-- the queue when the unit's resubmission (a later row) arrives; an approved one when it is approved.
-- evidence_count: files the unit attached to the task (any period), from the supervision store.
with candidates as (  -- the task × unit pairs with a row awaiting review or returned: the latest row of any other
                     -- pair cannot be listed, so the ranking below reads these pairs' rows only (it ranked every
                     -- report row, 3M at province scale, to list the few under review)
    select distinct task_id, unit
    from {{ ref('int_report_review') }}
    where review_state in ('pending_review', 'returned')
),
latest as (
    select r.*
    from {{ ref('stg_progress_reports') }} r
    semi join candidates c on c.task_id = r.task_id and c.unit is not distinct from r.unit
    join {{ ref('int_report_review') }} v using (report_key)  -- only rows known by as_of
    qualify row_number() over (
        partition by r.task_id, r.unit
        order by r.period desc, r.ingested_at desc, r.received_at desc, r.file_checksum desc, r.sheet desc,
                 r.row_number desc) = 1
),
evidence as (
    select task_id, unit, count(distinct sha256) as evidence_count
    from {{ ref('stg_evidence') }}
    group by task_id, unit
)
select
    l.report_key,
    l.task_id,
    s.title as task_title,
    s.plan_id,
    s.plan_title,
    s.no,
    s.region,
    l.unit,
    l.period,
    l.status,
    l.completed_on,
    l.received_at,
    v.review_state,
    v.returned_reason,
    v.returned_at,
    v.returned_by,
    coalesce(e.evidence_count, 0) as evidence_count,
    l.file_name,
    l.row_number,
    l.is_sample,
    {{ as_of() }} as as_of,
    -- /review's order, written once here (its grid reads its first rows by it): awaiting review first,
    -- oldest arrival first
    row_number() over (order by v.review_state <> 'pending_review', l.received_at, l.task_id, l.unit, l.report_key)
        as list_order
from latest l
join {{ ref('int_report_review') }} v using (report_key)
join {{ ref('int_task_status') }} s on s.task_id = l.task_id
left join evidence e on e.task_id = l.task_id and e.unit is not distinct from l.unit
where v.review_state in ('pending_review', 'returned')
order by list_order  -- stored in list order: a block of /review's list is a range of it (the task detail's
                     -- lookup by task_id scans this mart, small beside the task marts)
