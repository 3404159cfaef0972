{#
  How a target is judged, written once (mart_target_attainment as of the as-of date,
  mart_target_monthly at every month end). judged = the value rounded as bulletins publish it
  (GB/T 8170); complete = enough valid days (GB 3095-2012 §8); final = the year is over or an annual
  value is in.
#}
{% macro target_satisfied(judged, threshold, direction) -%}
    case {{ direction }}
        when '<=' then {{ judged }} <= {{ threshold }}
        when '>=' then {{ judged }} >= {{ threshold }}
        when '=' then {{ judged }} = {{ threshold }}
        when '<' then {{ judged }} < {{ threshold }}
        when '>' then {{ judged }} > {{ threshold }}
    end
{%- endmacro %}

{% macro target_status(judged, threshold, direction, final, complete) -%}
    case
        when {{ threshold }} is null then 'no_data'
        when {{ judged }} is null then 'no_data'
        when not coalesce({{ complete }}, true) then 'insufficient_data'
        when {{ final }} and {{ target_satisfied(judged, threshold, direction) }} then 'met'
        when {{ final }} then 'missed'
        when {{ target_satisfied(judged, threshold, direction) }} then 'on_track'
        else 'at_risk'
    end
{%- endmacro %}

{% macro target_status_reason(judged, threshold, final, complete) -%}
    case
        when {{ threshold }} is null then 'no_threshold'
        when {{ judged }} is null then 'no_observation'
        when not coalesce({{ complete }}, true) then 'too_few_valid_days'
        when {{ final }} then 'year_final'
        else 'year_to_date'
    end
{%- endmacro %}

{# A target status in the words of a review (the dashboard has its own i18n; this is for labels built in SQL). #}
{% macro status_zh(status) -%}
    case {{ status }}
        when 'met' then '已达标' when 'missed' then '未达到' when 'on_track' then '进度正常'
        when 'at_risk' then '有风险' when 'insufficient_data' then '数据不足' else '无数据'
    end
{%- endmacro %}

{# A level as printed in a review: "≥ 80 %", "≤ 35 µg/m³" (no trailing zeros). #}
{% macro level_text(direction, threshold, unit) -%}
    (case {{ direction }} when '<=' then '≤' when '>=' then '≥' else '=' end || ' '
     || coalesce(rtrim(rtrim(printf('%.4f', {{ threshold }}), '0'), '.'), '?')
     || case when coalesce({{ unit }}, '') = '' then '' else ' ' || {{ unit }} end)
{%- endmacro %}
