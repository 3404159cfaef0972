"""The submissions contract (shared/contracts/submissions.md) as data: headers, sheets, values."""

PROGRESS_SHEET = "进展填报"
OBSERVATION_SHEET = "监测数据"

# Chinese header -> warehouse column, in template order
PROGRESS_COLUMNS = {
    "任务编号": "task_id",
    "任务内容": "task_text",
    "完成时限": "deadline",
    "报告期": "period",
    "填报单位": "reporting_unit",
    "进展状态": "status",
    "完成进度(%)": "percent",
    "完成日期": "completed_on",
    "进展情况": "narrative",
    "佐证材料": "evidence",
}
OBSERVATION_COLUMNS = {
    "指标代码": "kpi",
    "地区": "region",
    "报告期": "period",
    "数值": "value",
    "单位": "unit",
    "数据来源": "source",
}
STATUS_CODES = {"已完成": "done", "推进中": "in_progress", "未启动": "not_started", "滞后": "delayed"}

MAX_FILE_BYTES = 20 * 1024 * 1024
SAMPLE_MARK = "示例数据"
