-- Where a unit's reminders go (data/reference/unit_contacts.csv): one row per region and unit.
select region, unit, contact, nullif(trim(email), '') as email
from {{ source('raw', 'ref_unit_contacts') }}
