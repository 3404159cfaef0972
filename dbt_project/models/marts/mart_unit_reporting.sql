-- Reporting compliance per responsible unit over all its reporting periods, as of var as_of
-- (macro reporting_measures, where each formula is written).
select
    region,
    unit,
    {{ reporting_measures() }},
    any_value(as_of) as as_of
from {{ ref('mart_reporting_units') }}
group by region, unit
