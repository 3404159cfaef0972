-- The review policy (data/reference/review_policy.csv, key,value): one row.
--   review_required_from : a 已完成 report that arrived on or after this date completes a task only once a
--                          supervisor approved it (earlier ones count as self-assessed, as before issue 26)
--   remind_days_before   : units are reminded of reports due within this many days (and of late ones)
select
    max(case when key = 'review_required_from' then value end)::date as review_required_from,
    coalesce(max(case when key = 'remind_days_before' then value end)::integer, 7) as remind_days_before
from {{ source('raw', 'ref_review_policy') }}
