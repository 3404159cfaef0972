-- What a task delivers, counted (淘汰燃煤锅炉26台): every output quantity the parser linked to a task, with
-- the line it is printed on, beside the task's latest 累计完成量 (raw.progress_reports.output_done). Outputs
-- are not judged as KPI attainment (int_target_thresholds).
-- Which report counts: as int_task_latest_report, a report known by as_of (its period begun, the file
-- arrived) — the latest period, then the latest file and row — among the rows that carry a figure (a
-- blank 累计完成量 is "not reported this period", not zero); and, as the completion authority rule
-- (int_task_completion_timeline), the lead units' reports when the task names lead units.
-- The template asks one 累计完成量 per task "in 计划量's unit": with one output quantity the figure is that
-- quantity's; a task with several has no figure to put against any one of them (reported_value null,
-- reported_for_task keeps what was written). Grain: output quantity (target_id), stored in task order (a
-- lookup by task_id reads one block).
with outputs as (
    select target_id, task_id, indicator, comparator, target_value, target_value_hi, unit as measure_unit, year,
           line, count(*) over (partition by task_id) as outputs_of_task
    from {{ ref('stg_targets') }}
    where kind = 'output' and task_id is not null
),
leads as (
    select distinct task_id, unit as reported_as from {{ ref('stg_task_units') }} where role = 'lead'
    union
    select distinct task_id, unit_printed from {{ ref('stg_task_units') }} where role = 'lead' and unit_printed is not null
),
reported as (
    select r.task_id,
           arg_max({'value': r.output_done, 'period': r.period, 'unit': r.unit, 'file_name': r.file_name,
                    'row_number': r.row_number},
                   (r.period, r.ingested_at, r.received_at, r.file_checksum, r.sheet, r.row_number)) as latest
    from {{ ref('stg_progress_reports') }} r
    where r.output_done is not null
      and r.task_id in (select task_id from outputs)
      and r.period_start <= {{ as_of() }} and r.received_at::date <= {{ as_of() }}
      and (r.task_id not in (select task_id from leads)
           or exists (select 1 from leads l where l.task_id = r.task_id and l.reported_as = r.unit))
    group by r.task_id
)
select
    o.task_id,
    o.target_id,
    s.plan_id,
    s.plan_title,
    s.no,
    s.title,
    s.region,
    o.indicator,
    o.comparator,
    o.target_value,
    o.target_value_hi,
    o.measure_unit,
    o.year,
    o.line,
    o.outputs_of_task,
    p.latest.value as reported_for_task,
    case when o.outputs_of_task = 1 then p.latest.value end as reported_value,
    case when o.outputs_of_task = 1 and o.target_value > 0 then p.latest.value / o.target_value end as output_rate,
    p.latest.period as reported_period,
    p.latest.unit as reported_by,
    p.latest.file_name as reported_file_name,
    p.latest.row_number as reported_row_number,
    {{ as_of() }} as as_of
from outputs o
join {{ ref('mart_task_status') }} s using (task_id)
left join reported p using (task_id)
order by o.task_id, o.line  -- task order: a lookup by task_id reads one block
