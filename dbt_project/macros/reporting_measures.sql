{#
  The reporting KPIs, written once and used by every mart that sums rows of mart_reporting_units
  (the headline, per unit). A report is due once its due date has passed (pending ones are not):
    reports_due      = on_time + late + missing
    reports_received = on_time + late
    on_time_reporting_rate = reports_on_time / reports_due   (the first reporting figure: a late
                             report is received but not on time)
    reporting_rate   = reports_received / reports_due   (null when none is due)
#}
{% macro reporting_measures() -%}
    count(*) filter (where report_status in ('on_time', 'late', 'missing')) as reports_due,
    count(*) filter (where report_status in ('on_time', 'late')) as reports_received,
    count(*) filter (where report_status = 'on_time') as reports_on_time,
    count(*) filter (where report_status = 'late') as reports_late,
    count(*) filter (where report_status = 'missing') as reports_missing,
    round(count(*) filter (where report_status = 'on_time')
          / nullif(count(*) filter (where report_status in ('on_time', 'late', 'missing')), 0), 4) as on_time_reporting_rate,
    round(count(*) filter (where report_status in ('on_time', 'late'))
          / nullif(count(*) filter (where report_status in ('on_time', 'late', 'missing')), 0), 4) as reporting_rate
{%- endmacro %}
