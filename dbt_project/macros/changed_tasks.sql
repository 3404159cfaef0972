{# The incremental run of the inbox's submissions_job (pipelines/defs/dbt.py decides when a run is one):
   a task-keyed model recomputes only the tasks whose inputs this run changed (int_changed_tasks) and
   replaces their rows (delete+insert by task_id); every other run rebuilds it whole (--full-refresh).
   Only when the caller says so (changed_tasks_only(): PLANKPI_CHANGED_TASKS_ONLY=1, set by
   pipelines/defs/dbt.py after its guard, or var changed_tasks_only). A plain `dbt run` — say with another
   as_of, as an operator or a test does — recomputes every task of an incremental model (its pre_hook
   empties it first), never keeps rows computed for another date.

   changed_tasks_filter(column, keyword): when the model is built incrementally, `<keyword> <column> in
   (the changed tasks)` (keyword 'and' after a where clause, 'where' where there is none); nothing
   otherwise. The ref is also taken at parse time (execute is false, so is is_incremental()) so that dbt
   records the dependency; at run time only when the filter is written (a unit test of the model, built
   as a full build, then needs no fixture for int_changed_tasks). #}
{% macro changed_tasks_filter(column, keyword='and') -%}
    {%- if not execute -%}{%- do ref('int_changed_tasks') -%}{%- endif -%}
    {%- if is_incremental() and changed_tasks_only() %} {{ keyword }} {{ column }} in (select task_id from {{ ref('int_changed_tasks') }}) {% endif -%}
{%- endmacro %}

{# pre_hook of a task-keyed incremental model: delete every row of the changed tasks before the new rows
   go in. delete+insert deletes only the keys its new rows carry, so a task whose rows all vanish (an
   obligation no longer expected once a report completes the task) would keep stale ones without it. Any
   other incremental run starts empty (the one rule, empty_unless_changed_tasks_only). #}
{% macro delete_changed_tasks() -%}
    {%- if is_incremental() and changed_tasks_only() -%}
    delete from {{ this }} where task_id in (select task_id from {{ ref('int_changed_tasks') }})
    {%- else -%}
    {{ empty_unless_changed_tasks_only() }}
    {%- endif -%}
{%- endmacro %}

{# pre_hook of a report-keyed incremental model (its rows never vanish while the as-of date stays, so the
   submissions_job's delete+insert by report_key suffices) and of the supervision records' staging (appended,
   but only those made by as_of): any other incremental run — a plain `dbt run` with another as_of — empties
   it first, so rows that date does not know yet cannot stay. #}
{% macro empty_unless_changed_tasks_only() -%}
    {%- if is_incremental() and not changed_tasks_only() -%}
    delete from {{ this }}
    {%- endif -%}
{%- endmacro %}

{# Whether this run recomputes the changed tasks only. Read from the environment when dbt executes (as as_of()
   is, and for the same reason: a --var would make every pipeline run re-parse the project). #}
{% macro changed_tasks_only() -%}
    {{- return(var('changed_tasks_only', false) or (execute and env_var('PLANKPI_CHANGED_TASKS_ONLY', '') == '1')) -}}
{%- endmacro %}
