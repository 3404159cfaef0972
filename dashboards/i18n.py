"""UI labels, Chinese first. Data keeps its codes (status, domain); only the UI shows labels."""

STATUS_ZH = {"met": "已达标", "on_track": "进展正常", "at_risk": "有风险", "missed": "未达标",
             "no_data": "无数据"}
STATUS_COLOR = {"met": "success", "on_track": "info", "at_risk": "warning", "missed": "danger",
                "no_data": "secondary"}
COMPARATOR_ZH = {">=": "≥", "<=": "≤", "=": "="}
_RELATIVE_ZH = {"decrease_by": "下降", "increase_by": "提高"}


def target_label(comparator: str, value: float, unit: str, direction: str, threshold: float | None,
                 kpi_unit: str) -> str:
    """The target as printed, and the level it sets when that is not the printed number."""
    level = "" if threshold is None or threshold != threshold else f"{COMPARATOR_ZH[direction]} {threshold:g}{kpi_unit}"
    if comparator in _RELATIVE_ZH:
        return f"{_RELATIVE_ZH[comparator]} {value:g}{unit}" + (f"（{level}）" if level else "（无基准值）")
    if comparator == "rank":
        return f"排名 {level}" if level else f"排名 {value:g}{unit}"
    return f"{COMPARATOR_ZH.get(comparator, comparator)} {value:g}{unit}"

LABELS = {
    "title": "PlanKPI 环保行动计划执行监测",
    "overview": "总览",
    "sample_banner": "示例数据：本页进展与监测数值为自动生成的示例数据，仅用于演示。",
    "as_of": "统计截至",
    "snapshot": "数据快照",
    "documents": "文件",
    "plans": "行动计划",
    "tasks": "任务总数",
    "completion": "完成率",
    "due_completion": "到期任务完成率",
    "overdue": "逾期任务",
    "targets_met": "目标达标",
    "completion_by_plan": "各计划完成情况",
    "target_attainment": "目标完成情况",
    "most_overdue": "逾期最久的任务",
    "no_snapshot": "尚无已发布的数据快照。请先运行流水线（make run）。",
}
