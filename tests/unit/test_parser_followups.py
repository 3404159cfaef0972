"""Parser follow-ups of issue 21 (blind-set causes), on excerpts written for these tests (invented
places and numbers): goals printed on their heading's line, numbers judged not to be targets kept
in ``skipped_quantities``, area-times units (万亩次), counts an investigation found."""
from __future__ import annotations

from pathlib import Path

from pipelines.parsing.document import parse_lines
from pipelines.parsing.quantities import find_quantities
from pipelines.parsing.report import document_report, format_report
from pipelines.reference import unit_aliases


ROOT = Path(__file__).resolve().parents[2]


def _doc(text: str) -> dict:
    return parse_lines(text.strip("\n").split("\n"), "excerpt.txt")


def _targets(doc: dict) -> list[tuple]:
    return sorted((t["line"], t["comparator"], t["value"], t["unit"])
                  for p in doc["plans"] for t in p["targets"])


HEADING_SAME_LINE = """
青溪县2024年夏季臭氧污染防控工作方案
为持续改善全县环境空气质量，结合本县实际，制定本方案。
一、工作目标 2024年，全县细颗粒物（PM2.5）平均浓度控制在33微克/立方米以内，优良天数比例不低于82.5%，重污染天数较2023年减少2天以上。
二、重点任务
1.推进涉气企业深度治理。完成12家铸造企业超低排放改造。（县生态环境局牵头，县工信局配合）
"""


def test_goals_on_the_chapter_heading_line_are_targets():
    doc = _doc(HEADING_SAME_LINE)
    assert _targets(doc) == [(3, "<=", 33, "µg/m³"), (3, ">=", 82.5, "%"), (3, "decrease_by", 2, "天"),
                             (5, ">=", 12, "家")]
    assert doc["unparsed"] == []


SECTION_SAME_LINE = """
柳川市水生态环境保护实施方案
一、总体要求
（一）指导思想。坚持精准治污、科学治污、依法治污。
（二）主要目标：到2025年，全市地表水国控断面水质优良比例达到85%，城市生活污水集中收集率达到72%以上。
二、重点任务
1.整治入河排污口。完成入河排污口整治46个。（市生态环境局负责）
"""

GLUED_NO_SPACE = SECTION_SAME_LINE.replace("（二）主要目标：到2025年", "（二）主要目标到2025年")


def test_goals_on_a_section_heading_line_are_targets_with_or_without_a_stop():
    expected = [(4, ">=", 72, "%"), (4, ">=", 85, "%"), (6, ">=", 46, "个")]
    assert _targets(_doc(SECTION_SAME_LINE)) == expected
    assert _targets(_doc(GLUED_NO_SPACE)) == expected


def test_a_task_heading_followed_by_a_space_is_not_read_as_goals():
    doc = _doc(HEADING_SAME_LINE.replace("一、工作目标 2024年", "一、强化监管 2024年"))
    assert (3, "<=", 33, "µg/m³") not in _targets(doc)


SKIPPED = """
白沙县农业农村污染治理攻坚方案
一、工作目标
到2025年，全县化肥利用率达到43%以上。截至2023年底，全县已建成农村污水处理设施58座。
二、重点任务
1.控制化肥农药使用量。推广测土配方施肥技术面积28万亩次，统防统治覆盖面积1.6万亩次。（县农业农村局牵头）
2.治理农村黑臭水体。全县已排查确认农村黑臭水体17处，2025年底前完成9处黑臭水体治理。对经摸排发现的问题整改率达到100%。（县生态环境局牵头）
"""


def test_numbers_judged_not_targets_are_listed_with_their_reason():
    doc = _doc(SKIPPED)
    skipped = [(s["line"], s["value"], s["unit"], s["reason"]) for s in doc["skipped_quantities"]]
    assert (3, 58, "座", "actual") in skipped  # 截至…已建成: what exists
    assert (6, 17, "处", "actual") in skipped  # 已排查确认…17处: what an investigation found
    assert all(s["plan_id"] == doc["plans"][0]["plan_id"] and s["printed"] for s in doc["skipped_quantities"])
    # every number of the plan is either a target or a skipped quantity: nothing is dropped unseen
    targets = _targets(doc)
    assert len(targets) + len(skipped) == sum(len(find_quantities(line)) for line in SKIPPED.split("\n"))
    report = format_report(document_report(doc, unit_aliases(ROOT / "data" / "reference")))
    assert f"numbers not taken as targets: actual {len(skipped)}" in report


def test_area_times_and_investigation_findings():
    targets = _targets(_doc(SKIPPED))
    assert (5, ">=", 28, "万亩次") in targets and (5, ">=", 1.6, "万亩次") in targets
    assert (6, ">=", 9, "处") in targets  # 完成9处…治理 is the task's output
    assert (6, ">=", 17, "处") not in targets
    assert (6, ">=", 100, "%") in targets  # a goal for what the investigation found


def test_a_finished_investigation_is_a_target_not_a_finding():
    doc = _doc(SKIPPED.replace("全县已排查确认农村黑臭水体17处，", "年底前完成排查确认入河排污口31个，"))
    assert (6, ">=", 31, "个") in _targets(doc)


TASKS = """
一、重点任务
1.推进农村清洁供暖。每年完成清洁供暖改造不少于3600户，到2026年全镇清洁取暖率达到88%以上。（镇住建办负责）
2.补齐污水处理短板。新建乡镇污水处理站2座，日处理规模达到1500吨；扩建城区污水处理厂，日处理能力达到2.5万吨。（县住建局牵头）
"""


def test_a_target_year_after_to_does_not_end_the_indicator():
    # 到2026年…率达到88%: 到 before a year is not the verb, the indicator follows the year
    targets = [t for p in _doc(TASKS)["plans"] for t in p["targets"]]
    rate = next(t for t in targets if t["value"] == 88)
    assert rate["indicator"].endswith("清洁取暖率") and rate["kpi"] == "clean_heating_coverage"
    assert rate["year"] == 2026


def test_a_daily_capacity_printed_in_tons_is_per_day():
    assert [(t[2], t[3]) for t in _targets(_doc(TASKS)) if t[0] == 3] == [(2, "座"), (2.5, "万吨/日"), (1500, "吨/日")]
