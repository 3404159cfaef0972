"""Per-unit report templates (进展填报 .xlsx) for one period: what each responsible unit fills in.

One workbook per (region, unit): sheet 进展填报 pre-filled with the unit's open tasks and its role
(牵头 / 配合 / 落实), pre-filled columns locked, 进展状态 a drop-down list, 完成进度 limited to 0–100,
完成日期 a date; sheet 填报说明 with the rules; sheet 监测数据 for the units that report indicators.
The same workbook is what the sample generator fills in, so templates and submissions never drift.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation

from .contract import OBSERVATION_COLUMNS, OBSERVATION_SHEET, PROGRESS_COLUMNS, PROGRESS_SHEET, STATUS_CODES
from .xlsx import append_text_safe, save_reproducible

ROLE_ZH = {"lead": "牵头", "support": "配合", "implement": "落实"}
ROLE_COLUMN = "责任类型"  # informative, like 任务内容: ignored on ingest
HEADER = list(PROGRESS_COLUMNS)[:3] + [ROLE_COLUMN] + list(PROGRESS_COLUMNS)[3:]
PREFILLED = {"任务编号", "任务内容", "完成时限", ROLE_COLUMN, "报告期", "填报单位"}
_WIDTHS = {"任务编号": 16, "任务内容": 60, "完成时限": 18, ROLE_COLUMN: 9, "报告期": 10, "填报单位": 24,
           "进展状态": 10, "完成进度(%)": 12, "完成日期": 12, "进展情况": 40, "佐证材料": 20}
_LOCKED_FILL = PatternFill("solid", fgColor="EEEEEE")

INSTRUCTIONS = [
    "填报说明（请勿修改灰色列）",
    "1. 每个任务一行。任务编号、任务内容、完成时限、责任类型、报告期、填报单位已预填，请勿修改。",
    "2. 进展状态请从下拉列表选择：" + "、".join(STATUS_CODES) + "。",
    "3. 完成进度(%) 填 0–100 的整数；状态为“已完成”时填 100。",
    "4. 状态为“已完成”时必须填写完成日期（格式 YYYY-MM-DD），且不得晚于填报当日。",
    "5. 进展情况请简要说明本期工作；佐证材料可填文件名或链接。",
    "6. 监测数据表（如有）：按指标代码、地区、报告期（YYYY-MM）填写数值，单位须与预填单位一致。",
    "7. 请保存为 .xlsx（不要另存为 .xls 或启用宏的 .xlsm，不要设置打开密码），文件不超过 20 MB。",
    "8. 同一文件重复提交不会重复计入；同一任务同一报告期后提交的记录覆盖先提交的记录。",
]


@dataclass
class Assignment:
    task_id: str
    text: str
    deadline: str
    role: str  # lead | support | implement


@dataclass
class UnitTemplate:
    region: str
    unit: str
    period: str
    assignments: list[Assignment] = field(default_factory=list)
    indicators: list[tuple[str, str]] = field(default_factory=list)  # (kpi, unit) the unit reports

    @property
    def file_name(self) -> str:
        safe = "".join(ch for ch in self.unit if ch not in '\\/:*?"<>|')[:40]
        return f"进展填报_{self.region}_{safe}_{self.period}.xlsx"


def progress_rows(t: UnitTemplate) -> list[list]:
    """The pre-filled rows of sheet 进展填报, in HEADER order (input columns empty)."""
    return [[a.task_id, a.text, a.deadline, ROLE_ZH[a.role], t.period, t.unit] + [None] * 5
            for a in t.assignments]


def _progress_sheet(ws, t: UnitTemplate, rows: list[list]) -> None:
    ws.title = PROGRESS_SHEET
    append_text_safe(ws, HEADER)
    for row in rows:
        append_text_safe(ws, row)
    last = max(ws.max_row, 2)
    for col, name in enumerate(HEADER, start=1):
        letter = ws.cell(1, col).column_letter
        ws.column_dimensions[letter].width = _WIDTHS.get(name, 12)
        ws.cell(1, col).font = Font(bold=True)
        for r in range(2, last + 1):
            cell = ws.cell(r, col)
            if name in PREFILLED:
                cell.fill = _LOCKED_FILL
                cell.alignment = Alignment(wrap_text=name == "任务内容", vertical="top")
            else:
                cell.protection = Protection(locked=False)
    col_of = {name: ws.cell(1, i).column_letter for i, name in enumerate(HEADER, start=1)}
    rng = lambda name: f"{col_of[name]}2:{col_of[name]}{last}"  # noqa: E731
    status = DataValidation(type="list", formula1='"' + ",".join(STATUS_CODES) + '"', allow_blank=True,
                            showErrorMessage=True, errorTitle="进展状态", error="请从下拉列表中选择")
    percent = DataValidation(type="whole", operator="between", formula1="0", formula2="100", allow_blank=True,
                             showErrorMessage=True, errorTitle="完成进度", error="请填写 0–100 的整数")
    done_on = DataValidation(type="date", operator="greaterThan", formula1="36526", allow_blank=True,
                             showErrorMessage=True, errorTitle="完成日期", error="请填写日期 YYYY-MM-DD")
    for dv, name in ((status, "进展状态"), (percent, "完成进度(%)"), (done_on, "完成日期")):
        dv.add(rng(name))
        ws.add_data_validation(dv)
    ws.freeze_panes = "A2"
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
