"""Per-unit report templates (.xlsx) that need no manual: the unit's tasks for the period, pre-filled
and locked, the input columns with drop-downs, range checks and input prompts, and above the header
what to do, by when and whom to call. Sheet 进展填报 holds the progress rows; a 监测数据 sheet is added
for units that report indicators (authority.may_report). The same workbook is what the sample
generator fills in, so templates and submissions never drift.

Design decision (issue 22): no input cell is pre-filled. Last period's status, percent and date are
printed beside them in the read-only column 上期填报, so a row the clerk leaves untouched is 未填 (not
reported this period) and never silently re-confirms last month; to confirm, the clerk picks the
status again.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation

from .contract import (MAX_FILE_BYTES, OBSERVATION_COLUMNS, OBSERVATION_SHEET, PROGRESS_COLUMNS, PROGRESS_OPTIONAL,
                       PROGRESS_SHEET, STATUS_CODES)
from .xlsx import append_text_safe, save_reproducible

ROLE_ZH = {"lead": "牵头", "support": "配合", "implement": "落实"}
ROLE_COLUMN = "责任类型"  # informative, like 任务内容: ignored on ingest
LAST_COLUMN = "上期填报"  # informative: last period's report of this unit, e.g. 2023-11：推进中 40%
PLANNED_COLUMN = "计划量"  # informative: the task's output targets with their unit (parser kind = output)
OUTPUT_COLUMN = next(iter(PROGRESS_OPTIONAL))  # 累计完成量: input, in 计划量's unit
_HEAD = list(PROGRESS_COLUMNS)
HEADER = (_HEAD[:3] + [ROLE_COLUMN] + _HEAD[3:5] + [LAST_COLUMN, PLANNED_COLUMN] + _HEAD[5:8] + [OUTPUT_COLUMN]
          + _HEAD[8:])
PREFILLED = {"任务编号", "任务内容", "完成时限", ROLE_COLUMN, "报告期", "填报单位", LAST_COLUMN, PLANNED_COLUMN}
GUIDE_ROWS = 4  # lines above the header: title, what to do, by when and whom to call, a blank line
_WIDTHS = {"任务编号": 16, "任务内容": 60, "完成时限": 22, ROLE_COLUMN: 9, "报告期": 10, "填报单位": 24,
           LAST_COLUMN: 22, PLANNED_COLUMN: 24, OUTPUT_COLUMN: 12, "进展状态": 10, "完成进度(%)": 12, "完成日期": 12, "进展情况": 40, "佐证材料": 20}
_LOCKED_FILL = PatternFill("solid", fgColor="EEEEEE")
_MB = MAX_FILE_BYTES // (1024 * 1024)

INSTRUCTIONS = [
    "填报说明（请勿修改灰色列）",
    "1. 每个任务一行。任务编号、任务内容、完成时限、责任类型、报告期、填报单位、上期填报已预填，请勿修改。",
    "2. 进展状态请从下拉列表选择：" + "、".join(STATUS_CODES) + "。本期没有新进展的任务可以留空，记为“未填”，不算错误。",
    "3. 完成进度(%) 填 0–100 的数字（40 或 40%）；状态为“已完成”时为 100，可不填。",
    "4. 状态为“已完成”时必须填写完成日期（日期单元格，或 2024-03-31 / 2024/3/31 / 2024年3月31日），且不得晚于填报当日。",
    "5. 进展情况请简要说明本期工作；佐证材料可填文件名或链接。有计划量的任务，累计完成量填到本期末的累计数（单位同计划量）。",
    "6. 只有牵头单位的“已完成”计为任务完成；有多个牵头单位的任务，须全部牵头单位报“已完成”。配合单位请报告本单位承担部分的进展。",
    "7. 监测数据表（如有）：按指标代码、地区、报告期（YYYY-MM）填写数值，单位须与预填单位一致。",
    f"8. 请保存为 .xlsx（不要另存为 .xls 或启用宏的 .xlsm，不要设置打开密码），文件不超过 {_MB} MB。",
    "9. 同一文件重复提交不会重复计入；同一任务同一报告期后提交的记录覆盖先提交的记录。",
]


@dataclass
class Assignment:
    task_id: str
    text: str
    deadline: str  # 完成时限 as printed into the template: always filled (see deadline_cell)
    role: str  # lead | support | implement
    last_report: str = ""  # 上期填报: "2023-11：推进中 40%" or ""
    planned: str = ""  # 计划量: "22 个（完成重点行业绩效评级动态调整）" or ""


@dataclass
class UnitTemplate:
    region: str
    unit: str
    period: str
    assignments: list[Assignment] = field(default_factory=list)
    indicators: list[tuple[str, str]] = field(default_factory=list)  # (kpi, unit) the unit reports
    due_date: date | None = None  # the period's report is due by (reporting_schedule.csv)
    contact: str = ""  # whom to call (report_contacts.csv)

    @property
    def file_name(self) -> str:
        safe = "".join(ch for ch in self.unit if ch not in '\\/:*?"<>|')[:40]
        return f"进展填报_{self.region}_{safe}_{self.period}.xlsx"


def deadline_cell(due_date, due_basis: str | None, printed: str | None) -> str:
    """完成时限 as the template prints it: the printed deadline with its date, the plan-year end marked
    推定 (inferred) when the plan prints none, or 长期（常态化） for a standing task."""
    if due_basis == "ongoing":
        return f"长期（常态化）{('：' + printed) if printed else ''}"
    if due_date is None:
        return printed or "未规定"
    if due_basis == "plan_year":
        return f"{due_date.isoformat()}（推定：计划年度末，计划未写明时限）"
    return f"{due_date.isoformat()}（{printed}）" if printed else due_date.isoformat()


def guide_lines(t: UnitTemplate) -> list[str]:
    """The sheet's first rows: what to do, by when, whom to call."""
    due = f"{t.due_date.month}月{t.due_date.day}日（{t.due_date.isoformat()}）前" if t.due_date else "按通知要求"
    return [
        f"{t.region}{t.unit} · {t.period} 期进展填报：需填报 {len(t.assignments)} 项，请于 {due}报送",
        "怎么填：只填白色列（进展状态、完成进度(%)、完成日期、进展情况、佐证材料）；灰色列已预填，请勿修改。"
        "本期无新进展的任务可留空，记为“未填”。",
        f"怎么交：登录 PlanKPI“本单位”页面上传本文件（.xlsx，不超过 {_MB} MB）。"
        + (f"有疑问请联系：{t.contact}" if t.contact else "有疑问请联系本级生态环境局。"),
        "",
    ]


def progress_rows(t: UnitTemplate) -> list[list]:
    """The pre-filled rows of sheet 进展填报, in HEADER order (input columns empty)."""
    return [[a.task_id, a.text, a.deadline, ROLE_ZH[a.role], t.period, t.unit, a.last_report, a.planned]
            + [None] * 6 for a in t.assignments]


def _prompted(dv: DataValidation, title: str, prompt: str) -> DataValidation:
    dv.showInputMessage, dv.promptTitle, dv.prompt = True, title, prompt
    return dv


def _progress_sheet(ws, t: UnitTemplate, rows: list[list]) -> None:
    ws.title = PROGRESS_SHEET
    for line in guide_lines(t):
        ws.append([line])
    ws.cell(1, 1).font = Font(bold=True, size=13)
    head = GUIDE_ROWS + 1
    append_text_safe(ws, HEADER)
    for row in rows:
        append_text_safe(ws, row)
    first, last = head + 1, max(ws.max_row, head + 1)
    for col, name in enumerate(HEADER, start=1):
        letter = ws.cell(head, col).column_letter
        ws.column_dimensions[letter].width = _WIDTHS.get(name, 12)
        ws.cell(head, col).font = Font(bold=True)
        for r in range(first, last + 1):
            cell = ws.cell(r, col)
            if name in PREFILLED:
                cell.fill = _LOCKED_FILL
                cell.alignment = Alignment(wrap_text=name == "任务内容", vertical="top")
            else:
                cell.protection = Protection(locked=False)
            if name == "完成日期":
                cell.number_format = "yyyy-mm-dd"
    col_of = {name: ws.cell(head, i).column_letter for i, name in enumerate(HEADER, start=1)}
    rng = lambda name: f"{col_of[name]}{first}:{col_of[name]}{last}"  # noqa: E731
    status = _prompted(DataValidation(type="list", formula1='"' + ",".join(STATUS_CODES) + '"', allow_blank=True,
                                      showErrorMessage=True, errorTitle="进展状态", error="请从下拉列表中选择"),
                       "进展状态", "从下拉列表选择；本期无进展可留空（未填）")
    percent = _prompted(DataValidation(type="decimal", operator="between", formula1="0", formula2="100",
                                       allow_blank=True, showErrorMessage=True, errorTitle="完成进度",
                                       error="请填写 0–100 的数字"),
                        "完成进度(%)", "0–100 的数字，如 40；已完成为 100")
    done_on = _prompted(DataValidation(type="date", operator="greaterThan", formula1="36526", allow_blank=True,
                                       showErrorMessage=True, errorTitle="完成日期", error="请填写日期，如 2024-03-31"),
                        "完成日期", "状态为已完成时必填：日期，如 2024-03-31，不晚于今天")
    output = _prompted(DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                                      showErrorMessage=True, errorTitle=OUTPUT_COLUMN, error="请填写不小于 0 的数字"),
                       OUTPUT_COLUMN, "有计划量的任务填写：到本期末的累计数，单位同计划量")
    for dv, name in ((status, "进展状态"), (percent, "完成进度(%)"), (done_on, "完成日期"), (output, OUTPUT_COLUMN)):
        dv.add(rng(name))
        ws.add_data_validation(dv)
    ws.freeze_panes = f"A{first}"
    ws.protection.sheet = True  # locks the grey columns; the input columns stay editable


def _observation_sheet(wb: Workbook, t: UnitTemplate) -> None:
    ws = wb.create_sheet(OBSERVATION_SHEET)
    append_text_safe(ws, list(OBSERVATION_COLUMNS))
    for kpi, unit in t.indicators:
        append_text_safe(ws, [kpi, t.region, t.period, None, unit, None])
    for col in range(1, len(OBSERVATION_COLUMNS) + 1):
        ws.cell(1, col).font = Font(bold=True)
        ws.column_dimensions[ws.cell(1, col).column_letter].width = 22


def build_workbook(t: UnitTemplate, rows: list[list] | None = None) -> Workbook:
    """The template workbook; ``rows`` replaces the pre-filled rows (the sample generator fills them)."""
    wb = Workbook()
    _progress_sheet(wb.active, t, progress_rows(t) if rows is None else rows)
    guide = wb.create_sheet("填报说明")
    for line in INSTRUCTIONS:
        guide.append([line])
    guide.column_dimensions["A"].width = 100
    if t.indicators:
        _observation_sheet(wb, t)
    return wb


def write_templates(templates: list[UnitTemplate], out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for t in templates:
        path = out_dir / t.file_name
        save_reproducible(build_workbook(t), path)
        paths.append(path)
    return paths
