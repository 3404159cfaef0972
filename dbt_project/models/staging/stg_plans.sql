select
    p.plan_id,
    p.doc_id,
    p.source,
    p.title,
    p.domain,
    p.year::integer as year,
    p.title_printed,
    p.start_line::integer as start_line,
    p.end_line::integer as end_line,
    d.region,
    d.issuer,
    try_cast(d.issue_date as date) as issue_date
from {{ source('raw', 'plans') }} p
join {{ source('raw', 'plan_documents') }} d using (doc_id)
