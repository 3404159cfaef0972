-- Unit name aliases (data/reference/unit_aliases.csv): a printed or reported name -> the unit, per region
-- (an empty region means the alias holds everywhere).
select alias, unit, nullif(region, '') as region
from {{ source('raw', 'ref_unit_aliases') }}
