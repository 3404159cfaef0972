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
# Optional columns: read when the header has them (templates of tasks with output targets print them).
PROGRESS_OPTIONAL = {"累计完成量": "output_done"}  # the task's output so far, in 计划量's unit
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

# How each column's cells are read (pipelines.submissions.cells): Excel, WPS and LibreOffice write
# dates, percents and numbers in several shapes; each becomes the contract's text here, once.
CELL_KINDS = {
    "task_id": "code", "task_text": "text", "deadline": "text", "period": "month", "reporting_unit": "code",
    "status": "word", "percent": "percent", "completed_on": "date", "narrative": "text", "evidence": "text",
    "output_done": "number",
    "kpi": "code", "region": "code", "value": "number", "measure_unit": "code", "source": "text",
    "period_kind": "word", "valid_days": "number", "good_days": "number",
}
# The cells a clerk fills in: a row with all of them empty is 未填 (not reported this period), not an error.
PROGRESS_INPUTS = ["status", "percent", "completed_on", "narrative", "evidence", "output_done"]
OBSERVATION_INPUTS = ["value"]

# One size limit everywhere (template text, upload box, server check, ingest).
MAX_FILE_BYTES = 5 * 1024 * 1024
# Before anything parses an .xlsx: at most this many bytes unpacked, and rows per sheet (a unit's
# template has at most a few hundred rows; a 100,000-row file is refused after its first 5,000).
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_SHEET_ROWS = 5_000
SAMPLE_MARK = "示例数据"
