-- The region hierarchy (data/reference/regions.csv) with each region's city: the city itself, the
-- city of a county, or the city of a town's county. Completion rolls up to cities through it.
with r as (
    select region, nullif(parent, '') as parent, level, name_en, coalesce(nullif(display_name, ''), region) as display_name
    from {{ source('raw', 'ref_regions') }}
)
select
    r.region,
    r.parent,
    r.level,
    r.name_en,
    r.display_name,
    case r.level
        when 'city' then r.region
        when 'county' then r.parent
        when 'town' then p.parent
    end as city
from r
left join r p on p.region = r.parent
