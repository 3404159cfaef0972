{#
  No null in any of the listed columns: the per-column not_null tests of one model, in one scan and one
  dbt node (a province build ran 97 not_null nodes, most of them a fraction of a second of SQL after dbt's
  own per-node cost). One row per offending row, naming the first of its columns that is null — a failure
  says where, as not_null's did.
#}
{% test not_null_columns(model, columns) %}
select
    case
        {%- for column in columns %}
        when {{ column }} is null then '{{ column }}'
        {%- endfor %}
    end as null_column
from {{ model }}
where {% for column in columns %}{{ column }} is null{% if not loop.last %} or {% endif %}{% endfor %}
{% endtest %}
