-- What each responsible unit must report in each period, for the unit's own page (/my): the rows of
-- int_reporting_obligations (the one rule: templates and compliance marts read it too) that name a unit,
-- the columns the page needs only. Published as a mart because the dashboard reads marts only (issue 23).
-- Grain: task_id × period × unit (a unit is (region, unit): the task's region).
-- A view, not a second stored copy: at province scale the table was 7.4M rows written again (5.3 s, idle)
-- for a page that reads one unit's period. The reference names no catalog, so the view still resolves in
-- the published snapshot (a copy of the build file under another name; DuckDB binds a view's names in the
-- catalog that holds it). Its uniqueness is int_reporting_obligations' test (same key, a subset of its rows).
{{ config(materialized='view') }}
select region, unit, period, task_id, role, due_date, carried_over, unit_reported
from {{ ref('int_reporting_obligations').include(database=False) }}
where unit is not null
