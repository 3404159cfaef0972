{# The incremental run of the inbox's submissions_job (pipelines/defs/dbt.py decides when a run is one):
   a task-keyed model recomputes only the tasks whose inputs this run changed (int_changed_tasks) and
   replaces their rows (delete+insert by task_id); every other run rebuilds it whole (--full-refresh).

   changed_tasks_filter(column, keyword): when the model is built incrementally, `<keyword> <column> in
   (the changed tasks)` (keyword 'and' after a where clause, 'where' where there is none); nothing
   otherwise. The ref is also taken at parse time (execute is false, so is is_incremental()) so that dbt
   records the dependency; at run time only when the filter is written (a unit test of the model, built
   as a full build, then needs no fixture for int_changed_tasks). #}
{% macro changed_tasks_filter(column, keyword='and') -%}
    {%- if not execute -%}{%- do ref('int_changed_tasks') -%}{%- endif -%}
    {%- if is_incremental() %} {{ keyword }} {{ column }} in (select task_id from {{ ref('int_changed_tasks') }}) {% endif -%}
{%- endmacro %}

{# pre_hook of a task-keyed incremental model: delete every row of the changed tasks before the new rows
   go in. delete+insert deletes only the keys its new rows carry, so a task whose rows all vanish (an
   obligation no longer expected once a report completes the task) would keep stale ones without it. #}
{% macro delete_changed_tasks() -%}
    {%- if is_incremental() -%}
    delete from {{ this }} where task_id in (select task_id from {{ ref('int_changed_tasks') }})
    {%- endif -%}
{%- endmacro %}
