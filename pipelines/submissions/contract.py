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
    "单位": "measure_unit",
    "数据来源": "source",
}
# Optional observation columns (a file without them is read as before: 当月 for YYYY-MM, 年度 for YYYY,
# no day counts). 期间类型 says what the value is: the month's own value (当月), the year to date (累计)
# or the whole year (年度); 有效天数 / 优良天数 are the month's (or the year to date's) valid-day and
# good-day counts of an air-quality indicator (HJ 663-2013: a day counts when it has a valid daily value).
OBSERVATION_OPTIONAL_COLUMNS = {
    "期间类型": "period_kind",
    "有效天数": "valid_days",
    "优良天数": "good_days",
}
PERIOD_KINDS = ("当月", "累计", "年度")
STATUS_CODES = {"已完成": "done", "推进中": "in_progress", "未启动": "not_started", "滞后": "delayed"}

MAX_FILE_BYTES = 20 * 1024 * 1024
SAMPLE_MARK = "示例数据"
