-- Every refused row and file (raw.quarantine, written at ingest, before dbt) with what names its file as an
-- auditor cites it (mart_input_files: region, unit, periods, kind), in the data-quality page's order.
-- Grain: one refusal — a row (or a whole file: row_number null) refused by one rule, on one column.
-- list_order is the page's order, newest first: a province refuses tens of thousands of rows and the page
-- shows a hundred; its grid reads them as a range of list_order and names those only.
select
    q.file_name,
    q.file_checksum,
    q.sheet,
    q.row_number,
    q.column_name,
    q.rule,
    q.reason_zh,
    q.reason_en,
    q.original,
    q.quarantined_at,
    m.region,
    m.unit,
    m.period_first,
    m.period_last,
    m.kind,
    row_number() over (order by q.quarantined_at desc, q.file_name, q.row_number, q.column_name, q.rule, q.reason_zh,
                                q.original) as list_order
from {{ ref('stg_quarantine') }} q
left join {{ ref('mart_input_files') }} m using (file_checksum)
order by list_order  -- stored in list order: a block of the page's list is a range of it
