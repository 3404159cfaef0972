-- What each region's leader sees: a province every region, a city itself and its counties (and their
-- towns), a county itself and its towns. One row per (scope, region) covered.
with r as (select * from {{ ref('stg_regions') }})
select s.region as scope, s.level as scope_level, c.region
from r s
join r c on s.level = 'province'
         or c.region = s.region
         or (s.level = 'city' and c.city = s.region)
         or (s.level = 'county' and c.parent = s.region)
