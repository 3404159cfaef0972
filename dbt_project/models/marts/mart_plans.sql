-- One row per plan (grain: plan_id). plan_id is the key every plan filter and link carries; the title is
-- a label, and two plans may share one, so what is shown is plan_label (stg_plans, the one rule).
select plan_id, title as plan_title, plan_label, region, year as plan_year, domain, source, issue_date
from {{ ref('stg_plans') }}
