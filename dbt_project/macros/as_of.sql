{# The "as of" date of every KPI: var as_of when given (an operator's `--vars '{as_of: "2023-12-31"}'`),
   else the environment's PLANKPI_AS_OF (the pipeline's run, pipelines/defs/dbt.py), else today.
   The environment is read only when dbt executes, never while it parses: dbt re-parses the whole project
   (≈ 8 s at every start) when a --var changes, and a parse-time env_var would tie the saved parse to one date. #}
{% macro as_of() -%}
    {%- set day = var('as_of', '') or (env_var('PLANKPI_AS_OF', '') if execute else '') -%}
    {%- if day -%} date '{{ day }}' {%- else -%} current_date {%- endif -%}
{%- endmacro %}
