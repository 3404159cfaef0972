-- The KPI catalogue with the rule that forms a year's value (year_rule) and the decimals official
-- bulletins publish (decimals). A row without them (a KPI added elsewhere before these columns were
-- filled) takes the default of its unit: a concentration (µg/m³, mg/m³) is a day-weighted mean published
-- as an integer (µg/m³) or with one decimal (mg/m³, CO); anything else is a level at a date with one
-- decimal (a count such as a rank with none).
select
    kpi, name_zh, name_en, unit as measure_unit, comparator,
    -- other names plans print the KPI under (PM2.5年均浓度, 细颗粒物浓度 …)
    list_filter(list_transform(string_split(coalesce(synonyms, ''), '|'), lambda s: trim(s)), lambda s: s <> '') as synonyms,
    min_value::double as min_value, max_value::double as max_value,
    coalesce(nullif(trim(year_rule), ''),
             case when unit in ('µg/m³', 'mg/m³') then 'day_weighted_mean' else 'level_at_date' end) as year_rule,
    coalesce(try_cast(nullif(trim(decimals), '') as integer),
             case when unit = 'µg/m³' then 0 when unit in ('位', '个', '天') then 0 else 1 end) as decimals
from {{ source('raw', 'ref_kpi_catalogue') }}
