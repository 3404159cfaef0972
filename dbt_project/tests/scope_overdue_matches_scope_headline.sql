-- The overview's "查看全部 N 项" and its overdue card tell one story: every region scope's overdue list
-- (mart_scope_overdue) holds as many tasks as mart_scope_headline counts overdue, and scope '*' as many as
-- mart_overdue_tasks. Rows returned = scopes where they differ.
with listed as (select scope, count(*) as listed, max(rank) as last_rank from {{ ref('mart_scope_overdue') }} group by scope)
select h.scope, h.tasks_overdue, l.listed
from {{ ref('mart_scope_headline') }} h
left join listed l using (scope)
where h.tasks_overdue <> coalesce(l.listed, 0)
union all
select '*', (select count(*) from {{ ref('mart_overdue_tasks') }}), l.listed
from listed l
where l.scope = '*' and (l.listed <> (select count(*) from {{ ref('mart_overdue_tasks') }}) or l.last_rank <> l.listed)
