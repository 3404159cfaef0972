"""The bulletin's numbers, read from the published snapshot only: one SQL query per section over the
marts (no rule of the marts is decided again here; the bulletin selects, groups and orders).

Every row keeps what an auditor needs to follow it back: the mart it came from, and for a named task
its plan file and line, for a report its submission file and row.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

import duckdb

from ..submissions.contract import SAMPLE_MARK

PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
RED_LIST_SIZE = 5
HONOUR_LIST_SIZE = 5
# The rules the two lists rest on, printed in the bulletin under each list: a ranking states its rule.
RED_LIST_RULE = ("按牵头任务逾期项数从多到少排列，逾期项数相同的按牵头任务完成率从低到高，"
                 f"取前{RED_LIST_SIZE}个有逾期任务的单位（mart_unit_scorecard：lead_overdue、lead_completion_rate）")
HONOUR_LIST_RULE = ("无逾期牵头任务、应报月报全部按时报送（无迟报、无漏报）的单位，按牵头任务完成率从高到低、"
                    f"牵头任务数从多到少，取前{HONOUR_LIST_SIZE}个（mart_unit_scorecard：lead_overdue、"
                    "reports_late、reports_missing、lead_completion_rate）")


class BulletinError(ValueError):
    """The bulletin cannot be written as asked (the reason in Chinese, then English)."""


@dataclass(frozen=True)
class Period:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> "Period":
        m = PERIOD.match(text or "")
        if not m:
            raise BulletinError(f"报告期格式应为 YYYY-MM（如 2023-12），收到 {text!r} / period must be YYYY-MM, got {text!r}")
        return cls(int(m.group(1)), int(m.group(2)))

    @property
    def key(self) -> str:
        return f"{self.year}-{self.month:02d}"

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month:02d}月"

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return self.next().first_day - timedelta(days=1)

    def next(self) -> "Period":
        return Period(self.year + (self.month == 12), self.month % 12 + 1)

    def previous(self) -> "Period":
        return Period(self.year - (self.month == 1), (self.month - 2) % 12 + 1)


def file_stem(scope: str, period: Period) -> str:
    """The name of a bulletin's files (.docx, .pdf, .xlsx, .json): 通报_<地区>_<YYYY年MM月>."""
    return f"通报_{scope}_{period.label}"


@dataclass
class Numbers:
    """Everything the template shows, as plain values (the template decides the layout)."""
    period: Period
    scope: str
    as_of: date
    published_at: str
    snapshot: str
    latest_received: str | None
    includes_sample: bool
    headline: dict
    reporting_period: dict
    targets_at_risk: list[dict]
    red_list: list[dict]
    honour_list: list[dict]
    overdue_by_unit: list[dict]
    reporting_gaps: list[dict]
    changes: dict
    overdue_tasks: list[dict]
    completion_by_region: list[dict]
    pm25_paths: list[dict] = field(default_factory=list)
    target_statuses: list[dict] = field(default_factory=list)
    open_escalations: list[dict] = field(default_factory=list)  # 督办 open as of the snapshot (issue 26)


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: dict) -> list[dict]:
    cur = con.execute(sql, {k: v for k, v in params.items() if f"${k}" in sql})  # DuckDB refuses unused names
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


# The scope of a bulletin no region is named for: the province (a province's leader sees every region,
# int_region_scopes); with several, the first by name — each of them covers every region. Read from the
# mart of scopes (the dashboard reads marts only, and shows the same province's months and bulletins).
DEFAULT_SCOPE_SQL = "select min(scope) as region from marts.mart_region_scopes where scope_level = 'province'"


def default_scope(con: duckdb.DuckDBPyConnection) -> str:
    """The bulletin's scope when none is named (DEFAULT_SCOPE_SQL)."""
    (province,) = con.execute(DEFAULT_SCOPE_SQL).fetchone()
    if province is None:
        raise BulletinError("地区表中没有省级地区，请用 --region 指定 / no province in the region table: name one with --region")
    return province


def known_scope(con: duckdb.DuckDBPyConnection, scope: str) -> None:
    if con.execute("select count(*) from marts.mart_scope_headline where scope = ?", [scope]).fetchone()[0] != 1:
        raise BulletinError(f"未知地区 {scope}（见 data/reference/regions.csv）/ unknown region {scope}")


def gather(con: duckdb.DuckDBPyConnection, period: Period, scope: str, published_at: str = "",
           snapshot: str = "") -> Numbers:
    """The numbers of ``scope``'s bulletin for ``period`` from the snapshot open on ``con``."""
    known_scope(con, scope)
    as_of = con.execute("select as_of from marts.mart_headline").fetchone()[0]
    if as_of < period.last_day:
        raise BulletinError(
            f"已发布快照的统计截止日 {as_of} 早于报告期 {period.label} 末，该月通报尚不能编写 / the published "
            f"snapshot is as of {as_of}, before the end of {period.key}: the month's bulletin cannot be written yet")
    p = {"scope": scope, "period": period.key, "first": period.first_day, "last": period.last_day,
         "previous": period.previous().key}
    # the regions of the scope, as the dashboard's leader sees them (int_region_scopes)
    con.execute("create or replace temp table bulletin_regions as "
                "select region from intermediate.int_region_scopes where scope = $scope", {"scope": scope})

    headline = _rows(con, "select * from marts.mart_scope_headline where scope = $scope", p)[0]
    includes_sample = bool(con.execute(f"""
        select coalesce((select includes_sample_data from marts.mart_headline), false)
            or exists (select 1 from raw.ingested_files where file_name like '%{SAMPLE_MARK}%')""").fetchone()[0])
    latest_received = con.execute("""select max(received_at) from staging.stg_progress_reports r
                                     join staging.stg_tasks t using (task_id)
                                     where t.region in (select region from bulletin_regions)""").fetchone()[0]
    reporting_period = _rows(con, """
        select $period as period, min(due_date) as due_date,
               coalesce(sum(units_expected), 0)::bigint as units_expected,
               coalesce(sum(units_reported), 0)::bigint as units_reported,
               coalesce(sum(units_on_time), 0)::bigint as units_on_time,
               coalesce(sum(units_late), 0)::bigint as units_late,
               coalesce(sum(units_missing), 0)::bigint as units_missing,
               coalesce(sum(units_pending), 0)::bigint as units_pending,
               round(sum(units_on_time) / nullif(sum(units_expected), 0), 4) as on_time_rate,
               round(sum(units_reported) / nullif(sum(units_expected), 0), 4) as reporting_rate
        from marts.mart_reporting_compliance
        where period = $period and region in (select region from bulletin_regions)""", p)[0]
    # binding targets (is_binding) at risk or missed, their stretch level beside (binding_stretch_label),
    # and the year-end forecast where the KPI has one (concentrations, 优良天数比例)
    targets_at_risk = _rows(con, """
        select a.target_id, a.region, a.year, a.kpi_name_zh, a.indicator, a.comparator, a.target_value, a.unit,
               a.threshold, a.direction, a.actual, a.gap, a.months_reported, a.latest_period, a.status,
               a.binding_stretch_label, a.stretch_target_id, a.stretch_threshold, a.stretch_status,
               f.forecast_status, f.projected_value, f.kpi_unit as forecast_unit, f.required_text,
               a.source, a.line, a.line_text
        from marts.mart_target_attainment a left join marts.mart_target_forecast f using (target_id)
        where a.status in ('at_risk', 'missed') and a.is_binding and a.region in (select region from bulletin_regions)
        order by a.status desc, a.region, a.kpi_name_zh, a.target_id""", p)
    red_list = _rows(con, f"""
        select region, unit, lead_tasks, lead_overdue, lead_completion_rate, reporting_rate
        from marts.mart_unit_scorecard
        where lead_overdue > 0 and region in (select region from bulletin_regions)
        order by lead_overdue desc, lead_completion_rate nulls first, region, unit
        limit {RED_LIST_SIZE}""", p)
    honour_list = _rows(con, f"""
        select region, unit, lead_tasks, lead_overdue, lead_completion_rate, reporting_rate
        from marts.mart_unit_scorecard
        where lead_tasks > 0 and coalesce(lead_overdue, 0) = 0 and reports_due > 0
          and reports_late = 0 and reports_missing = 0 and region in (select region from bulletin_regions)
        order by lead_completion_rate desc nulls last, lead_tasks desc, region, unit
        limit {HONOUR_LIST_SIZE}""", p)
    overdue_by_unit = _rows(con, """
        select region, lead_unit, count(*) as tasks, max(days_overdue) as max_days,
               round(avg(days_overdue))::bigint as mean_days,
               count(*) filter (where due_basis <> 'plan_year') as printed,
               count(*) filter (where due_basis = 'plan_year') as plan_year
        from marts.mart_overdue_tasks where region in (select region from bulletin_regions)
        group by region, lead_unit
        order by tasks desc, max_days desc, region, lead_unit""", p)
    # units that sent the period's report late or not at all; a late report names its first file
    reporting_gaps = _rows(con, """
        select u.region, u.unit, u.report_status, u.due_date, u.reported_at::date as reported_on, u.days_late,
               u.tasks_expected, f.file_name, f.row_number
        from marts.mart_reporting_units u
        left join (select t.region, r.unit, r.period,
                          arg_min(r.file_name, (r.received_at, r.file_name, r.row_number)) as file_name,
                          arg_min(r.row_number, (r.received_at, r.file_name, r.row_number)) as row_number
                   from staging.stg_progress_reports r join staging.stg_tasks t using (task_id)
                   where r.period = $period group by all) f using (region, unit, period)
        where u.period = $period and u.report_status in ('late', 'missing')
          and u.region in (select region from bulletin_regions)
        order by u.report_status desc, u.days_late desc nulls first, u.region, u.unit""", p)
    overdue_tasks = _rows(con, """
        select task_id, region, plan_title, no, title, lead_unit, lead_units, due_date, due_basis, deadline_text,
               days_overdue, latest_status, latest_period, source, start_line, end_line, location
        from marts.mart_overdue_tasks where region in (select region from bulletin_regions)
        order by days_overdue desc, region, task_id""", p)
    changes = _changes_from_report_periods(con, p)
    completion_by_region = _rows(con, """
        select dimension_value as region, completion_rate, tasks_completed, tasks_with_due_date, tasks_overdue
        from marts.mart_completion
        where dimension = 'region' and dimension_value in (select region from bulletin_regions)
          and tasks_with_due_date > 0
        order by completion_rate, dimension_value""", p)
    pm25_paths = _rows(con, """
        select region, month, value, ytd_value, target_threshold, stretch_threshold, file_name, row_number
        from marts.mart_kpi_trends
        where kpi = 'pm25_concentration' and year = $year and month <= $month
          and region in (select region from bulletin_regions)
        order by region, month""", {**p, "year": period.year, "month": period.month})
    target_statuses = _rows(con, """
        select target_id, region, kpi_name_zh, year, status from marts.mart_target_attainment
        where region in (select region from bulletin_regions) order by target_id""", p)
    open_escalations = _rows(con, """
        select task_id, region, task_title, lead_units, origin, reason, opened_on, last_note, days_overdue
        from marts.mart_escalations
        where is_open and region in (select region from bulletin_regions)
        order by opened_on, region, task_id""", p)
    return Numbers(period, scope, as_of, published_at, snapshot,
                   latest_received.isoformat(sep=" ", timespec="minutes") if latest_received else None,
                   includes_sample, headline, reporting_period, targets_at_risk, red_list,
                   honour_list, overdue_by_unit, reporting_gaps, changes, overdue_tasks, completion_by_region,
                   pm25_paths, target_statuses, open_escalations)


def _changes_from_report_periods(con, p: dict) -> dict:
    """What changed in the month, from the snapshot itself (used when no bulletin of the previous month
    was written): tasks whose completion date falls in the month, tasks whose due date fell in the month
    and that are still open, targets whose judged value crossed the target level between the previous
    month and this one (mart_kpi_trends: judged_value against target_threshold in the KPI's direction)."""
    completed = _rows(con, """
        select task_id, region, no, title, lead_unit, completed_on, report_file, report_row, source, start_line
        from marts.mart_task_status
        where is_completed and completed_on between $first and $last
          and region in (select region from bulletin_regions)
        order by region, completed_on, task_id""", p)
    newly_overdue = _rows(con, """
        select task_id, region, no, title, lead_unit, due_date, due_basis, days_overdue, source, start_line
        from marts.mart_overdue_tasks
        where due_date between $first and $last and region in (select region from bulletin_regions)
        order by region, due_date, task_id""", p)
    crossed = _rows(con, """
        with m as (
            select kpi, kpi_name_zh, region, period, judged_value, target_threshold, direction, file_name, row_number,
                   case direction when '<=' then judged_value <= target_threshold
                                  when '>=' then judged_value >= target_threshold
                                  else judged_value = target_threshold end as meets
            from marts.mart_kpi_trends
            where period in ($previous, $period) and target_threshold is not null
              and region in (select region from bulletin_regions))
        select c.kpi_name_zh, c.region, b.judged_value as before_value, c.judged_value as now_value,
               c.target_threshold, c.direction, c.meets as meets_now, c.file_name, c.row_number
        from m c join m b on b.kpi = c.kpi and b.region = c.region and b.period = $previous
        where c.period = $period and c.meets is distinct from b.meets
        order by c.region, c.kpi_name_zh""", p)
    return {"basis": "report_periods",
            "how": (f"未找到上月（{p['previous']}）通报的数字，本节由本期快照按报告期推算：本月完成 = 完成日期在本月内的任务"
                    "（mart_task_status.completed_on）；本月新增逾期 = 截止日期在本月内且截至统计日仍未完成的任务"
                    "（mart_overdue_tasks.due_date）；目标状态变化 = 本月与上月的考核值（mart_kpi_trends.judged_value）"
                    "相对目标值（target_threshold）由达标变为未达标或相反。"),
            "completed": completed, "newly_overdue": newly_overdue, "targets_changed": crossed}


def changes_since(previous: dict, now: Numbers) -> dict:
    """What changed against the numbers the previous month's bulletin printed (its .json): tasks overdue
    now and not then, targets whose status differs. Completions stay those dated in the month (a report's
    completion date is a fact; last month's list cannot know of it)."""
    before_overdue = set(previous["overdue_task_ids"])
    before = {t["target_id"]: t["status"] for t in previous["target_statuses"]}
    return {"basis": "previous_bulletin",
            "how": (f"与上月（{previous['period']}）通报所载数字（同目录 .json，快照 {previous['snapshot']}）比较：新增逾期 = "
                    "本期逾期而上月通报未列为逾期的任务；目标状态变化 = 状态与上月通报不同的目标；本月完成 = 完成日期在本月内的任务"
                    "（mart_task_status.completed_on）。"),
            "newly_overdue": [t for t in now.overdue_tasks if t["task_id"] not in before_overdue],
            "targets_changed": [{**t, "before": before[t["target_id"]], "now": t["status"]}
                                for t in now.target_statuses
                                if t["target_id"] in before and before[t["target_id"]] != t["status"]]}


def published_scopes(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The scopes whose bulletin the monthly run writes: the province and every city with tasks (a city
    leader downloads the bulletin of their city; a county's is written on demand with --region)."""
    return [s for (s,) in con.execute("""
        select h.scope from marts.mart_scope_headline h join staging.stg_regions r on r.region = h.scope
        where r.level in ('province', 'city') and h.tasks_total > 0
        order by r.level = 'city', h.scope""").fetchall()]
