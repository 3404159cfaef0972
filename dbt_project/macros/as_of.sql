{# The "as of" date of every KPI: var as_of, or today when it is empty. #}
{% macro as_of() -%}
    {%- if var('as_of', '') -%} date '{{ var("as_of") }}' {%- else -%} current_date {%- endif -%}
{%- endmacro %}
