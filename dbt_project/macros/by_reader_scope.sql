{#- The rows of `rows` (a CTE with a region column) once per reader scope of the overview: '*' (the reader of
    every region) holds them all; a region's scope the rows of the regions below it (int_region_scopes). One
    place for what a scope sees: the scope marts (mart_scope_*) are cut per reader, not filtered per page. -#}
{% macro by_reader_scope(rows) -%}
    select '*' as scope, r.* from {{ rows }} r
    union all
    select sc.scope, r.* from {{ rows }} r join {{ ref('int_region_scopes') }} sc using (region)
{%- endmacro %}
