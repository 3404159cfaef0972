{% test row_count_is(model, expected) %}
select count(*) as n from {{ model }} having count(*) <> {{ expected }}
{% endtest %}
