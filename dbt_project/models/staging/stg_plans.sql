-- One row per plan. A plan is keyed by plan_id; its title is a label, and two plans may share one (two
-- counties each issue a 《2023年大气污染防治工作方案》). plan_label is the title made unique for display,
-- the one rule every page, filter and chart label uses: the title alone when no other plan bears it,
-- else the title with the issuing region, else with the region and the plan_id.
with p as (
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
)
select
    *,
    case
        when title is null then plan_id
        when count(*) over (partition by title) = 1 then title
        when count(*) over (partition by title, region) = 1 then title || '（' || region || '）'
        else title || '（' || region || '，' || plan_id || '）'
    end as plan_label
from p
