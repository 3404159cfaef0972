{# GB/T 8170-2008 (数值修约规则) as official bulletins apply it: round to `decimals` places; a dropped part
   of exactly 5 rounds to the even digit (四舍六入五成双: 0.125 → 0.12, 0.135 → 0.14, 2.5 → 2, 3.5 → 4).
   `decimals` may differ per row (the KPI's), so DuckDB's round_even (constant precision only) cannot be
   used. A tie is detected within 1e-9 of the scaled value: a double such as 2.675 is stored as 2.67499…
   and is rounded as printed (→ 2.68). #}
{% macro gbt8170_round(value, decimals) -%}
    (case
        when {{ value }} is null then null
        when abs(({{ value }}) * pow(10, {{ decimals }}) - floor(({{ value }}) * pow(10, {{ decimals }})) - 0.5) < 1e-9
            then floor(({{ value }}) * pow(10, {{ decimals }}))
                 + case when floor(({{ value }}) * pow(10, {{ decimals }}))::bigint % 2 = 0 then 0 else 1 end
        else round(({{ value }}) * pow(10, {{ decimals }}))
    end / pow(10, {{ decimals }}))
{%- endmacro %}
