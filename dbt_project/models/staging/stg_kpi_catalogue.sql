select kpi, name_zh, name_en, unit, comparator, aggregation,
       min_value::double as min_value, max_value::double as max_value
from {{ source('raw', 'ref_kpi_catalogue') }}
