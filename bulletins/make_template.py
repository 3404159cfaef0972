"""Writes bulletins/templates/月度通报.docx once: the starting point of the house style.

The .docx in the repository is the source from then on — an office edits it in Word (red header, 文号,
fonts, headings, wording); this script is kept to show how the first version was made and is not run
by the pipeline. The Jinja tags (docxtpl) name the values of pipelines/bulletin/render.py's context.

    .venv/bin/python bulletins/make_template.py   # overwrites the template: only to start afresh
"""
from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

OUT = Path(__file__).resolve().parent / "templates" / "月度通报.docx"
RED = RGBColor(0xC0, 0x00, 0x00)
BODY_FONT, HEADING_FONT, TITLE_FONT = "仿宋", "黑体", "宋体"


def set_font(target, east_asia: str, size: float | None = None, bold: bool | None = None, color=None) -> None:
    """A style's or run's font: the East Asian face (what Chinese text uses) and a Latin face beside it."""
    font = target.font
    font.name = "Times New Roman"
    rpr = target.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), east_asia)
    if size:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    if color is not None:
        font.color.rgb = color


def para(doc_or_cell, text: str = "", style: str | None = None, align=None, **font) -> object:
    p = doc_or_cell.add_paragraph(style=style)
    if text:
        run = p.add_run(text)
        if font:
            set_font(run, **font)
    if align is not None:
        p.alignment = align
    return p


def red_rule(paragraph) -> None:
    """The red line under the 红头."""
    ppr = paragraph._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("val", "single"), ("sz", "18"), ("space", "4"), ("color", "C00000")):
        bottom.set(qn(f"w:{k}"), v)
    border.append(bottom)
    ppr.append(border)


def page_number(paragraph) -> None:
    run = paragraph.add_run("— ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    inner = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    inner.append(text)
    field.append(inner)
    paragraph._p.append(field)
    paragraph.add_run(" —")
    del run


def table(doc, header: list[str], cells: list[str], loop: str, widths: list[float], cut: str = "") -> None:
    """A table: the header row, then one row per item of ``loop`` (docxtpl's {%tr %} rows); with ``cut``
    (what a row counts), a line under it when the renderer printed only the first rows."""
    t = doc.add_table(rows=4, cols=len(header))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    for i, w in enumerate(widths):  # the grid is what LibreOffice lays out by; the cells' widths are Word's
        t.columns[i].width = Mm(w)
    for i, h in enumerate(header):
        t.rows[0].cells[i].text = h
        t.rows[2].cells[i].text = cells[i]
    t.rows[1].cells[0].text = "{%tr for r in " + loop + " %}"
    t.rows[3].cells[0].text = "{%tr endfor %}"
    for row in t.rows:
        for i, cell in enumerate(row.cells):
            cell.width = Mm(widths[i])
            for p in cell.paragraphs:
                p.style = "通报表格"
    for cell in t.rows[0].cells:
        for run in cell.paragraphs[0].runs:
            set_font(run, HEADING_FONT, bold=True)
    if cut:
        more(doc, loop, f"{loop}_total", cut)


def more(doc, rows: str, total: str, what: str) -> None:
    """Under a table the renderer may cut: how many it holds of how many, and where the rest are."""
    para(doc, "{%p if " + total + " > " + rows + "|length %}")
    para(doc, "表中列出前{{ " + rows + "|length }}" + what + "，共{{ " + total + " }}" + what
              + "，完整名单（含出处）见附件表格 {{ workbook }}。", style="来源注")
    para(doc, "{%p endif %}")


def figure(doc, tag: str, caption: str) -> None:
    """A chart (an image the renderer passes as ``tag``) and its caption, left out when there is none."""
    para(doc, "{%p if " + tag + " %}")
    para(doc, "{{ " + tag + " }}", align=WD_ALIGN_PARAGRAPH.CENTER)
    para(doc, caption, style="来源注", align=WD_ALIGN_PARAGRAPH.CENTER)
    para(doc, "{%p endif %}")


# the red list and the honour list: the same columns
UNIT_RANKING = (["名次", "地区", "单位", "牵头任务", "逾期", "完成率", "报送率"],
                ["{{ r.rank }}", "{{ r.region }}", "{{ r.unit }}", "{{ r.lead_tasks }}", "{{ r.lead_overdue }}",
                 "{{ r.lead_completion_rate }}", "{{ r.reporting_rate }}"])
UNIT_RANKING_WIDTHS = [12, 20, 46, 18, 14, 22, 22]


def main() -> None:
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Mm(297), Mm(210)
    # GB/T 9704 (党政机关公文格式): top 37 mm, bottom 35 mm, left 28 mm, right 26 mm
    section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = Mm(37), Mm(35), Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(15)

    styles = doc.styles
    set_font(styles["Normal"], BODY_FONT, 14)
    styles["Normal"].paragraph_format.line_spacing = 1.3
    for name, size in (("Heading 1", 16), ("Heading 2", 14)):
        s = styles[name]
        set_font(s, HEADING_FONT, size, bold=False, color=RGBColor(0, 0, 0))
        s.paragraph_format.space_before, s.paragraph_format.space_after = Pt(10), Pt(4)
    small = styles.add_style("通报表格", 1)
    small.base_style = styles["Normal"]
    set_font(small, BODY_FONT, 9)
    small.paragraph_format.line_spacing = 1.0
    note = styles.add_style("来源注", 1)
    note.base_style = styles["Normal"]
    set_font(note, BODY_FONT, 9, color=RGBColor(0x59, 0x59, 0x59))

    header = section.header
    mark = header.paragraphs[0]
    mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = mark.add_run("{% if sample %}{{ sample_mark }}{% endif %}")
    set_font(run, HEADING_FONT, 12, bold=True, color=RED)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    page_number(footer)

    # 红头: the issuing office's name in red, the 文号, a red line
    para(doc, "{{ issuer }}", align=WD_ALIGN_PARAGRAPH.CENTER, east_asia=TITLE_FONT, size=30, bold=True, color=RED)
    rule = para(doc, "{{ doc_no }}", align=WD_ALIGN_PARAGRAPH.CENTER, east_asia=BODY_FONT, size=14)
    red_rule(rule)
    para(doc, "{{ scope }}生态环境保护行动计划{{ period_label }}落实情况通报", align=WD_ALIGN_PARAGRAPH.CENTER,
         east_asia=TITLE_FONT, size=20, bold=True)
    para(doc, "{%p if sample %}")
    para(doc, "【{{ sample_mark }}】{{ sample_notice }}", east_asia=HEADING_FONT, size=12, bold=True, color=RED)
    para(doc, "{%p endif %}")
    para(doc, "报告期：{{ period_label }}；统计截止日：{{ as_of }}；快照发布时间：{{ published_at }}；"
              "最近一份填报接收于 {{ latest_received }}（{{ freshness }}）。")

    doc.add_paragraph("一、总体情况", style="Heading 1")
    para(doc, "截至{{ as_of }}，{{ scope }}各项行动计划共有任务{{ h.tasks_total }}项，其中有截止日期的{{ h.tasks_with_due_date }}项，"
              "已完成{{ h.tasks_completed }}项，任务完成率{{ h.completion_rate }}；已到期任务{{ h.tasks_due }}项，"
              "到期任务完成率{{ h.due_completion_rate }}，按期完成率{{ h.on_time_rate }}。逾期未完成任务{{ h.tasks_overdue }}项，"
              "其中截止日期为文件明确规定的{{ h.tasks_overdue_printed }}项，按计划年度年底推定的{{ h.tasks_overdue_assumed }}项。"
              "长期坚持类任务{{ h.tasks_ongoing }}项，不计入完成率。")
    para(doc, "{% if rp.units_expected %}{{ rp.period }}月报应报单位{{ rp.units_expected }}个，按时报送{{ rp.units_on_time }}个（按时报送率"
              "{{ rp.on_time_rate }}），迟报{{ rp.units_late }}个，未报{{ rp.units_missing }}个{% else %}{{ rp.period }}无应报月报的单位"
              "（各计划的报送期不含本月）{% endif %}；全年累计报送率{{ h.reporting_rate }}。"
              "约束性目标{{ h.targets_total }}个：已达成{{ h.targets_met }}个，进度正常{{ h.targets_on_track }}个，"
              "存在风险{{ h.targets_at_risk }}个，未达成{{ h.targets_missed }}个，暂无数据{{ h.targets_no_data }}个"
              "（存在风险或未达成的{{ targets|length }}个见第二部分；“力争”目标不单列，附于其约束性目标旁）。")
    para(doc, "来源：{{ sources.headline }}", style="来源注")
    figure(doc, "chart_completion", "图1  各地区任务完成率（来源：marts.mart_completion，dimension = region）")

    doc.add_paragraph("二、约束性目标风险", style="Heading 1")
    para(doc, "存在风险或未达成的约束性目标{{ targets|length }}个（来源：marts.mart_target_attainment，is_binding；"
              "目标栏并列其“力争”目标及状态：binding_stretch_label；年末预测与剩余月份要求：marts.mart_target_forecast，"
              "仅按日均值或优良天数比例计年值的指标，其余为“—”；目标原文见所列计划文件及行号）。")
    table(doc, ["地区", "指标", "目标（力争）", "当前值", "差距", "状态", "年末预测", "剩余月份要求", "原文出处"],
          ["{{ r.region }}", "{{ r.kpi_name_zh }}（{{ r.year }}年）", "{{ r.target }}", "{{ r.actual }}",
           "{{ r.gap }}", "{{ r.status }}", "{{ r.forecast }}", "{{ r.required_text }}", "{{ r.where }}"],
          "targets", [14, 20, 24, 12, 11, 13, 17, 23, 24])
    figure(doc, "chart_pm25", "图2  PM2.5累计均值与目标（来源：marts.mart_kpi_trends，ytd_mean、"
                              "target_threshold 虚线、stretch_threshold 点线）")

    doc.add_paragraph("三、红榜与黑榜", style="Heading 1")
    doc.add_paragraph("（一）需督办单位", style="Heading 2")
    para(doc, "排名规则：{{ red_rule }}", style="来源注")
    table(doc, *UNIT_RANKING, "red_list", UNIT_RANKING_WIDTHS)
    doc.add_paragraph("（二）表扬单位", style="Heading 2")
    para(doc, "排名规则：{{ honour_rule }}", style="来源注")
    table(doc, *UNIT_RANKING, "honour_list", UNIT_RANKING_WIDTHS)

    doc.add_paragraph("四、逾期任务（按牵头单位）", style="Heading 1")
    para(doc, "来源：marts.mart_overdue_tasks，按地区与牵头单位汇总；逐项任务及其计划原文出处见附件。", style="来源注")
    table(doc, ["地区", "牵头单位", "逾期任务", "其中明确/推定", "最长逾期天数", "平均逾期天数"],
          ["{{ r.region }}", "{{ r.lead_unit }}", "{{ r.tasks }}", "{{ r.printed }}/{{ r.plan_year }}",
           "{{ r.max_days }}", "{{ r.mean_days }}"], "overdue_by_unit", [20, 50, 18, 24, 22, 22], cut="个单位")

    doc.add_paragraph("五、报送情况", style="Heading 1")
    para(doc, "{{ rp.period }}月报（报送截止日{{ rp.due_date }}）迟报、未报单位如下（来源：marts.mart_reporting_units；"
              "迟报单位列出其首份填报文件及行号）。")
    table(doc, ["地区", "单位", "情况", "接收日期", "迟报天数", "填报文件及行"],
          ["{{ r.region }}", "{{ r.unit }}", "{{ r.status }}", "{{ r.reported_on }}", "{{ r.days_late }}",
           "{{ r.where }}"], "gaps", [18, 40, 14, 22, 16, 46], cut="个单位")

    doc.add_paragraph("六、本月变化", style="Heading 1")
    para(doc, "比较方法：{{ changes.how }}", style="来源注")
    para(doc, "本月完成任务{{ changes.completed|length }}项，新增逾期任务{{ changes.newly_overdue|length }}项，"
              "目标状态发生变化{{ changes.targets_changed|length }}个。")
    table(doc, ["变化", "地区", "任务", "牵头单位", "日期", "出处"],
          ["{{ r.change }}", "{{ r.region }}", "{{ r.no }} {{ r.title }}", "{{ r.lead_unit }}", "{{ r.day }}",
           "{{ r.where }}"], "changes.tasks", [16, 16, 56, 28, 20, 22], cut="项")
    para(doc, "{%p for r in changes.targets_changed %}")
    para(doc, "目标变化：{{ r.region }} {{ r.kpi_name_zh }}：{{ r.text }}")
    para(doc, "{%p endfor %}")

    doc.add_paragraph("七、督办事项", style="Heading 1")
    para(doc, "截至{{ as_of }}，在办督办事项{{ escalations_total }}项（来源：marts.mart_escalations；“按规则”为逾期天数或"
              "连续滞后期数达到 data/reference/escalation_rules.csv 所定条件，“督查室”为人工督办）。")
    table(doc, ["地区", "任务", "牵头单位", "督办来源", "督办事由", "督办日期"],
          ["{{ r.region }}", "{{ r.task_title }}", "{{ r.lead_units }}", "{{ r.origin }}", "{{ r.reason }}",
           "{{ r.opened_on }}"], "escalations", [16, 50, 40, 16, 26, 22], cut="项")

    annex = doc.add_section(WD_SECTION.NEW_PAGE)  # landscape: the annex is a wide table
    annex.orientation = WD_ORIENT.LANDSCAPE
    annex.page_width, annex.page_height = Mm(297), Mm(210)
    annex.top_margin = annex.bottom_margin = Mm(25)
    annex.left_margin = annex.right_margin = Mm(20)
    annex.header.is_linked_to_previous = True
    doc.add_paragraph("附件：逾期任务清单", style="Heading 1")
    para(doc, "共{{ annex_total }}项，按逾期天数排列{% if annex_total > annex|length %}，此处列逾期最久的{{ annex|length }}项，"
              "全部见附件表格 {{ workbook }}{% endif %}。来源：marts.mart_overdue_tasks；“出处”为计划文件及行号（原文所在），"
              "“截止依据”中“明确”为文件写明的期限，“推定”为按计划年度年底推定。", style="来源注")
    table(doc, ["序号", "地区", "任务", "牵头单位", "截止日期", "截止依据", "逾期天数", "出处"],
          ["{{ r.seq }}", "{{ r.region }}", "{{ r.no }} {{ r.title }}", "{{ r.lead_unit }}", "{{ r.due_date }}",
           "{{ r.due_basis }}", "{{ r.days_overdue }}", "{{ r.where }}"], "annex", [12, 18, 84, 36, 24, 14, 14, 55])
    para(doc, "本通报由 PlanKPI 依据已发布快照 {{ snapshot }} 自动生成，与仪表板数字同源。", style="来源注")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    doc.save(OUT)
    print(OUT)


if __name__ == "__main__":
    main()
