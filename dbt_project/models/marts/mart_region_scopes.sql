-- Which regions the leader of each region sees (int_region_scopes, where the rule is written): published
-- as a mart because the dashboard reads marts only (issue 23; exposure plankpi_dashboard).
-- Grain: scope × region.
select scope, scope_level, region
from {{ ref('int_region_scopes') }}
