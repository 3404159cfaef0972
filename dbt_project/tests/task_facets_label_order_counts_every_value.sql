-- mart_task_facets: label_order numbers each facet's values 1 … N without a gap and facet_values is that N,
-- so the dashboard's "first hundred by label" (label_order <= 101) and its count are the whole list's.
select facet, count(*) as values_listed, max(label_order) as last_order, min(facet_values) as counted_min,
       max(facet_values) as counted_max
from {{ ref('mart_task_facets') }}
group by facet
having count(*) <> max(label_order) or min(facet_values) <> count(*) or max(facet_values) <> count(*)
