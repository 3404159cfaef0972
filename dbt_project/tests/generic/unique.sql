{#
  dbt's built-in unique test, overridden by name (the project's generic test wins): the same rule (no two
  non-null values alike, one row per duplicated value) grouping an 8-byte hash of the value, not the value —
  report_key and task_id are long strings on 3M rows at province scale. A duplicate always fails it; two
  different values sharing a 64-bit hash would fail it too (never pass a duplicate): key_hash finds them,
  where hash(<column>) = key_hash.
#}
{% test unique(model, column_name) %}
select hash({{ column_name }}) as key_hash, count(*) as n_records
from {{ model }}
where {{ column_name }} is not null
group by key_hash
having count(*) > 1
{% endtest %}
