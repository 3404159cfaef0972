-- Reporting compliance per region over all its units and reporting periods, as of var as_of
-- (macro reporting_measures: the on-time rate first, the received rate second).
select
    region,
    {{ reporting_measures() }},
    any_value(as_of) as as_of
from {{ ref('mart_reporting_units') }}
group by region
