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
-- a unit's report covers one region and unit: the value most of its rows name is the file's own when a row
-- strays. A tie (a summary file with as many rows of one unit as of another) goes to the first in code-point
-- order, so every rebuild names the file alike (mode() took either, as its hash table met them). One pass
-- over the rows (3M in a province): counted by file, region and unit; the votes and periods read the counts.
counted as materialized (
    select file_checksum, region, unit, count(*) as row_count,
           min(period) filter (where regexp_full_match(period, '\d{4}(-\d{2})?')) as period_first,
           max(period) filter (where regexp_full_match(period, '\d{4}(-\d{2})?')) as period_last
    from file_rows
    group by all
),
region_votes as (
    select file_checksum, region, sum(row_count) as row_count from counted where region is not null group by all
),
unit_votes as (
    select file_checksum, unit, sum(row_count) as row_count from counted where unit is not null group by all
),
described as (
    select p.file_checksum, r.region, u.unit, p.period_first, p.period_last
    from (select file_checksum, min(period_first) as period_first, max(period_last) as period_last
          from counted group by file_checksum) p
    left join (select file_checksum, first(region order by row_count desc, region) as region
               from region_votes group by file_checksum) r using (file_checksum)
    left join (select file_checksum, first(unit order by row_count desc, unit) as unit
               from unit_votes group by file_checksum) u using (file_checksum)
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
        f.ingested_at as landed_at,
        null::varchar as reason,
        null::double as read_seconds
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
        null,
        f.reason,
        f.seconds
    from {{ source('raw', 'plan_files') }} f
    left join {{ source('raw', 'plan_documents') }} n using (source)
)
select
    *,
    -- the data-quality page's order (its grid reads its first rows by it): plan files, then submissions as
    -- they landed, each by file name
    row_number() over (order by input = 'submission', landed_at, file_name, file_checksum) as list_order,
    -- the page's list of plan files (its own grid: a block of it is a range of this): the refused first, then by
    -- file name
    case when input = 'plan' then
        row_number() over (partition by input order by status <> 'rejected', file_name, file_checksum)
    end as plan_list_order
from files
order by list_order  -- stored in list order: a block of the page's list is a range of it
