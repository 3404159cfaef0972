{#
  No two rows share the combination of columns (nulls count as equal, as GROUP BY groups them).
  One scan that groups an 8-byte hash of the combination, not the columns themselves: at province scale the
  grouped strings (3 keys × 7.4M rows of int_reporting_obligations) made this the costliest test (4.3 s idle).
  A duplicate always fails it (equal combinations hash alike); two different combinations sharing a 64-bit
  hash would fail it too (≈ 1.5e-6 at 7.4M rows) and are then found by grouping the columns themselves — it
  never passes a duplicate. One row per duplicated combination, as before; key_hash finds it:
  where hash(<columns>) = key_hash.
#}
{% test unique_combination(model, columns) %}
select hash({{ columns | join(', ') }}) as key_hash, count(*) as n
from {{ model }}
group by key_hash
having count(*) > 1
{% endtest %}
