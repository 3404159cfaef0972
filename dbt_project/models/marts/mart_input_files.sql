-- Every input file as an auditor names it. A submission — whose report, of which region, for which
-- periods — read from the file's own rows, landed or quarantined (a clerk may rename a file; its rows say
-- what it is): the data-quality page writes "阳泉市 市生态环境局 2023年12月 报表 第5行" from this. A plan file
-- by its notice: the first title it announces and its 文号. The file name stays for the tooltip and the
-- download; a file none of whose rows could be read has no region, unit, period or notice.
-- Grain: input file (file_checksum; input = plan or submission).
with quarantined as (
    select q.file_checksum,
           coalesce(json_extract_string(q.original, '$.region'), t.region) as region,
           json_extract_string(q.original, '$.unit') as unit,
           json_extract_string(q.original, '$.period') as period
    from {{ ref('stg_quarantine') }} q
    left join {{ ref('mart_task_status') }} t on t.task_id = json_extract_string(q.original, '$.task_id')
    where q.file_checksum is not null and json_valid(q.original)
),
file_rows as (
    select r.file_checksum, t.region, r.unit, r.period
    from {{ ref('stg_progress_reports') }} r left join {{ ref('mart_task_status') }} t using (task_id)
    union all
    select file_checksum, region, null, period from {{ ref('stg_observations') }}
    union all
    select file_checksum, region, unit, period from quarantined
),
described as (
    select file_checksum,
           -- a unit's report covers one region and unit; mode() names the file's own when a row strays
           mode(region) as region,
           mode(unit) as unit,
           min(period) filter (where regexp_full_match(period, '\d{4}(-\d{2})?')) as period_first,
           max(period) filter (where regexp_full_match(period, '\d{4}(-\d{2})?')) as period_last
    from file_rows
    group by file_checksum
),
files as (
    select
        'submission' as input,
        f.file_checksum,
        f.file_name,
        f.kind,
        f.status,
        d.region,
        d.unit,
        d.period_first,
        d.period_last,
        null::varchar as document_name,
        f.rows_landed,
        f.rows_rejected,
        f.ingested_at as landed_at
    from {{ source('raw', 'ingested_files') }} f
    left join described d using (file_checksum)
    union all
    select
        'plan',
        f.checksum,
        f.source,
        f.format,
        f.status,
        n.region,
        null,
        null,
        null,
        json_extract_string(n.announced_titles, '$[0]') || coalesce('（' || n.doc_number || '）', ''),
        null,
        null,
        null
    from {{ source('raw', 'plan_files') }} f
    left join {{ source('raw', 'plan_documents') }} n using (source)
)
select
    *,
    -- the data-quality page's order (its grid reads its first rows by it): plan files, then submissions as
    -- they landed, each by file name
    row_number() over (order by input = 'submission', landed_at, file_name, file_checksum) as list_order
from files
order by list_order  -- stored in list order: a block of the page's list is a range of it
