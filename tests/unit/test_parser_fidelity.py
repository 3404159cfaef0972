"""Parser fidelity on the seeds, read by hand: specific tasks, every 目标 section's targets, every
annex table's rows; and on documents written here in other layouts, encodings and script."""
import subprocess
import sys

import opencc
import pytest

from pipelines.config import REPO_ROOT
from pipelines.parsing import parse_document
from pipelines.parsing.document import NotAPlanError, parse_lines

SEEDS = ("000_114a78fadf8f0ccd.txt", "001_6d8037a82e9ce14b.txt", "002_d00cd320e7e0c579.txt",
         "003_1a3a67b7a1f5494e.txt", "004_2958428670c87bc9.txt")


@pytest.fixture(scope="module")
def docs(seed_dir):
    return {name[:3]: parse_document(seed_dir / name) for name in SEEDS}


def _task(docs, seed, plan, no, section_start=""):
    return next(t for t in docs[seed]["plans"][plan]["tasks"]
                if t["no"] == no and t["section"].startswith(section_start))


def _due(task):
    return [(d["text"], d["due_date"], d["kind"], d["source"]) for d in task["deadlines"]]


def _targets(plan, goals_only=True):
    """Targets of the plan's 目标 sections (goals_only) or all, tasks' quantities included."""
    return [(t["kpi"], t["comparator"], t["value"], t["unit"], t["year"], t["stretch"], t["line"])
            for t in plan["targets"] if not (goals_only and t.get("task_id"))]


def _table(docs, seed, plan, k):
    return docs[seed]["plans"][plan]["annex_tables"][k]


def _row(table, no):
    return next(r for r in table["rows"] if r["no"] == no)


# --- tasks: title, units by role, deadlines -----------------------------------------------------

def test_yangquan_tasks(docs):
    t = _task(docs, "000", 3, 2, "（一）")  # groundwater plan, numbers restart in every section
    assert t["title"] == "完成闭坑煤矿矿坑水污染状况调查评估"
    assert (t["lead"], t["support"]) == (["市生态环境局"], ["市规划和自然资源局", "市能源局"])
    assert _due(t) == [("2023年10月底前", "2023-10-31", "date", "text")]
    rail = _task(docs, "000", 1, 11)  # …市交通局、石家庄铁路工务段按职责分工分别负责，…落实
    assert rail["lead"][-2:] == ["市交通局", "石家庄铁路工务段"] and rail["implement"] == ["各县区人民政府", "高新区管委会"]
    air = _task(docs, "000", 1, 2)
    assert air["lead"] == ["市工信局", "市发展改革委", "市生态环境局"]
    assert air["implement"] == ["各县区人民政府", "高新区管委会"]
    # 汛期 is written four times in the task: one seasonal deadline
    assert [d["text"] for d in _task(docs, "000", 0, 19)["deadlines"]] == ["汛期", "每年"]


def test_standing_units_are_propagated_not_printed(docs):
    # task 1 of 阳泉's water plan: "以下各项任务和专项行动均需各县区人民政府、高新区管委会负责，不再列出"
    second = _task(docs, "000", 0, 2)
    assert second["lead"] == ["市城管局"]  # as printed
    propagated = [(u["role"], u["unit_printed"]) for u in second["units"] if u.get("propagated")]
    assert propagated == [("lead", "各县区人民政府"), ("lead", "高新区管委会")]
    # 芮城 air task 1: "以下均需风陵渡经济开发区负责落实，不再列出" -> implement on every later task
    later = docs["002"]["plans"][1]["tasks"][5]
    assert ("implement", "风陵渡经济开发区") in [(u["role"], u["unit_printed"]) for u in later["units"]]


def test_collective_units_expand_to_the_region_members(docs):
    units = _task(docs, "000", 1, 2)["units"]
    counties = next(u for u in units if u["unit_printed"] == "各县区人民政府")
    assert counties["members"] == ["城区人民政府", "矿区人民政府", "郊区人民政府", "平定县人民政府", "盂县人民政府"]
    towns = next(u for u in _task(docs, "002", 1, 2)["units"] if u["unit_printed"] == "各乡镇人民政府")
    assert len(towns["members"]) == 10 and "风陵渡镇人民政府" in towns["members"]


def test_two_roles_in_one_clause_and_a_second_bracket(docs):
    water9 = _task(docs, "002", 0, 9)  # （市生态环境局芮城分局牵头、县住建局配合）
    assert (water9["lead"], water9["support"]) == (["市生态环境局芮城分局"], ["县住建局"])
    air16 = _task(docs, "002", 1, 16)  # …成果。（县住建局牵头）严控餐饮油烟污染…（县市场监管局牵头）
    assert air16["lead"] == ["县住建局", "县市场监管局"]
    typo = _task(docs, "004", 1, 2, "（一）")  # 〔责责任单位：…] with a doubled 责 and a mismatched bracket
    assert typo["lead"] == ["县住建局", "县工信局", "县水务局", "县农业农村局"]


def test_unnumbered_task_and_enumeration_inside_a_task(docs):
    soil = docs["000"]["plans"][2]["tasks"]
    unnumbered = next(t for t in soil if t["no"] is None)
    assert unnumbered["section"] == "（四）强化资金项目管理" and unnumbered["start_line"] == 262
    assert unnumbered["lead"] == ["市生态环境局", "市农业农村局"]
    seven = _task(docs, "003", 1, 7)  # 1.山西高义… 2.宇丰… 3.信义源… stay inside task 7
    assert (seven["start_line"], seven["end_line"]) == (384, 428)
    assert "新绛县信义源铁合金有限公司" in seven["text"] and seven["lead"] == ["市生态环境局新绛分局"]


def test_heading_line_is_the_title(docs):
    assert _task(docs, "001", 2, 2)["title"] == "整治涉重金属矿区历史遗留固体废物"


def test_ledger_deadlines_reach_the_body_task(docs):
    t = _task(docs, "001", 1, 2)  # 深化"一断面一方案"问题整改: no date in the text, 2022年12月底 in the ledger
    assert _due(t) == [("2022年12月底", "2022-12-31", "date", "annex")]
    assert t["deadlines"][0]["line"] == 409


# --- targets of every 目标 section ---------------------------------------------------------------

def test_targets_of_every_goal_section(docs):
    assert _targets(docs["000"]["plans"][0])[:2] == [
        ("surface_water_class_iii_ratio", ">=", 80, "%", 2023, False, 28),
        ("surface_water_class_iii_ratio", ">=", 100, "%", 2023, True, 28)]
    assert _targets(docs["000"]["plans"][1]) == [
        ("pm25_concentration", "<=", 35, "µg/m³", 2023, True, 124),
        ("air_quality_index_rank", "rank", 20, "位", 2023, True, 124)]
    assert docs["000"]["plans"][1]["targets"][0]["scope"] == "市区"
    assert docs["000"]["plans"][1]["targets"][1]["scope"] == "全国168个重点城市"
    assert _targets(docs["000"]["plans"][2]) == [
        ("contaminated_farmland_safe_use_rate", ">=", 100, "%", 2023, True, 220),
        ("contaminated_land_safe_use_rate", ">=", 100, "%", 2023, True, 220)]
    assert _targets(docs["001"]["plans"][0]) == [("so2_concentration", "<=", 10, "µg/m³", 2022, True, 28)]
    # in reading order, each on the line its number is printed on (30% wraps onto line 308)
    assert _targets(docs["003"]["plans"][1]) == [
        ("air_quality_index_rank", "rank", 5, "位", 2023, True, 304),
        ("pm25_concentration", "<=", 43, "µg/m³", 2023, True, 306),
        ("so2_concentration", "decrease_by", 30, "%", 2023, True, 308)]
    assert _targets(docs["004"]["plans"][2]) == [
        ("contaminated_farmland_safe_use_rate", ">=", 90, "%", 2021, False, 345),
        ("contaminated_land_safe_use_rate", ">=", 90, "%", 2021, False, 345)]
    # 目标 sections that only say 完成省定目标 (晋城 water 239, 阳城 water 223) have no number to record


def test_rankings_and_relative_changes_carry_what_judging_them_needs():
    """退出后20位 of 168 cities, 前10位, 同比下降30% (from the year before), 较2020年下降10%."""
    from pipelines.parsing.targets import find_targets
    from pipelines.reference import kpi_catalogue
    from pipelines.text.blocks import Block
    catalogue = kpi_catalogue(REPO_ROOT / "data" / "reference")

    def one(text, kpi):
        found = [g for g in find_targets(Block(text, 1, 1), catalogue, 2023) if g["kpi"] == kpi]
        return {k: found[0][k] for k in ("comparator", "value", "base_year", "rank_of", "rank_side")}

    assert one("环境空气质量综合指数在全国168个重点城市中排名前移，力争退出后20位。", "air_quality_index_rank") == {
        "comparator": "rank", "value": 20, "base_year": None, "rank_of": 168, "rank_side": "bottom"}
    assert one("环境空气质量综合指数在全省119个区县排名进入前10位。", "air_quality_index_rank") == {
        "comparator": "rank", "value": 10, "base_year": None, "rank_of": 119, "rank_side": "top"}
    assert one("二氧化硫力争同比下降30%以上。", "so2_concentration") == {
        "comparator": "decrease_by", "value": 30, "base_year": 2022, "rank_of": None, "rank_side": None}
    assert one("二氧化硫浓度较2020年下降10%。", "so2_concentration")["base_year"] == 2020


def test_numeric_targets_inside_tasks(docs):
    jc_water = _targets(docs["001"]["plans"][1], goals_only=False)
    assert ("total_water_use", "<=", 4.623, "亿立方米", 2022, False, 301) in jc_water
    assert ("irrigation_water_use_coefficient", ">=", 0.588, "", 2022, False, 303) in jc_water
    assert ("reclaimed_water_utilization_rate", ">=", 23, "%", 2022, False, 305) in jc_water


# --- annex tables: every table's row count and specific rows -------------------------------------

def test_annex_table_inventory(docs):
    inventory = [(seed, i, t["kind"], t["layout"], len(t["rows"]))
                 for seed, d in docs.items() for i, p in enumerate(d["plans"]) for t in p["annex_tables"]]
    assert inventory == [
        ("001", 0, "task_ledger", "tab_rows", 55),
        ("001", 1, "water_section_targets", "tab_rows", 22),
        ("001", 1, "key_projects", "tab_rows", 26),
        ("001", 1, "task_ledger", "tab_rows", 41),
        ("002", 1, "task_ledger", "cell_lines", 14),
        ("003", 1, "task_ledger", "scattered", 19),
        ("004", 0, "task_ledger", "tab_rows", 41),
        ("004", 1, "water_section_targets", "tab_rows", 3),
        ("004", 1, "key_projects", "tab_rows", 3),
    ]


def test_jincheng_air_ledger(docs):
    table = _table(docs, "001", 0, 0)
    assert table["title"] == "晋城市2022年大气污染防治重点工作任务台账"
    assert [r["no"] for r in table["rows"]] == list(range(1, 56))  # headers repeated after page breaks dropped
    first = _row(table, 1)
    assert first["category"] == "一、强化工业企业深度治理和精准管控"
    assert first["units"] == ["市发展改革委", "市工信局", "市审批服务管理局", "市能源局", "市生态环境局"]
    assert first["due"]["kind"] == "ongoing" and first["task_id"] == docs["001"]["plans"][0]["tasks"][0]["task_id"]
    assert _row(table, 9)["category"] == "一、强化工业企业深度治理和精准管控"  # carried down
    assert _row(table, 10)["category"] == "二、强化机动车污染防治管控"
    row54 = _row(table, 54)
    assert (row54["deadline"], row54["due"]["kind"], row54["units"]) == ("秋冬季", "seasonal", ["市工信局", "市生态环境局"])
    assert sum(1 for r in table["rows"] if r["task_id"]) == 45


def test_jincheng_water_annexes(docs):
    sections, projects, ledger = (_table(docs, "001", 1, k) for k in range(3))
    assert _row(sections, 10)["cells"] == {"序号": "10", "县（市、区）": "城区", "断面名称": "洞头",
                                          "目标水质": "Ⅴ类", "备注": "市考"}
    assert [r["no"] for r in projects["rows"]] == list(range(1, 27))
    assert _row(projects, 3)["due"] == {"text": "2022年开工", "due_date": "2022-12-31", "kind": "date"}
    merged = _row(projects, 13)  # 厂区雨水收集排放系统工程: one merged cell over rows 12–17
    assert (merged["text"], merged["units"], merged["carried"]) == (
        "厂区雨水收集排放系统工程", ["天源山西化工有限公司"], ["text"])
    assert merged["due"]["due_date"] == "2022-06-30"
    assert _row(ledger, 33)["due"]["due_date"] == "2022-12-31" and "4.623亿立方米" in _row(ledger, 33)["text"]
    assert _row(ledger, 17)["category"] == "三、加快补齐生活污水处理短板"


def test_ruicheng_cells_one_per_line(docs):
    table = _table(docs, "002", 1, 0)
    assert [r["no"] for r in table["rows"]] == list(range(1, 15))
    first = _row(table, 1)
    assert (first["category"], first["title"], first["deadline"], first["units"]) == (
        "产业结构调整", "遏制“两高”项目盲目发展", "2023年12月底前", ["县发改局"])
    assert _row(table, 4)["units"] == ["市生态环境局芮城分局", "县工科局"]  # printed glued together
    assert _row(table, 13)["text"] == "降尘量不高于7吨/月·平方公里。"
    assert _row(table, 11)["category"] == "运输结构调整"


def test_xinjiang_scattered_cells(docs):
    table = _table(docs, "003", 1, 0)
    assert [r["no"] for r in table["rows"]] == list(range(1, 20))
    assert [r["no"] for r in table["rows"] if r.get("no_inferred")] == [5, 13]  # numbers lost on page breaks
    assert _row(table, 2)["units"] == ["县工信科技局"]  # 县工信 / 科技局 on two lines
    assert _row(table, 4)["units"] == ["各镇政府", "新绛经济技术开发区管委会"]
    five = _row(table, 5)
    assert (five["category"], five["title"]) == ("重点工业行业综合治理", "超低排放改造和评估监测")
    assert five["deadline"].startswith("2023年10月底前完成焦化企业") and five["text"].startswith("新绛信义源钢铁")
    twelve = _row(table, 12)
    assert (twelve["category"], twelve["title"], twelve["due"]["due_date"], twelve["units"]) == (
        "能源结构调整", "散煤清零", "2023-10-31", ["县能源局"])


def test_yangcheng_ledger(docs):
    table = _table(docs, "004", 0, 0)
    assert [r["no"] for r in table["rows"]] == list(range(1, 22)) + list(range(23, 43))  # 22 is not printed
    assert _row(table, 1)["units"] == ["市生态环境局阳城分局", "县公安局", "县工业和信息化局", "县行政审批服务管理局",
                                       "县市场监督管理局", "县供电支公司", "凤城镇人民政府"]  # separated by spaces
    assert _row(table, 26)["units"] == ["住房和城乡建设管理局"]  # "住房和城乡建设 管理局"
    assert _row(table, 32)["due"] == {"text": "已完成", "due_date": None, "kind": "unknown", "done": True}
    assert _row(table, 32)["category"] == "以PM2.5和O3污染协同治理为重点，实施夏季攻坚行动"
    assert _row(table, 15)["due"]["start_date"] == "2021-05-01"
    assert _row(table, 39)["due"] == {"text": "2021年5-9月", "due_date": "2021-09-30", "kind": "window"}
    sections, projects = _table(docs, "004", 1, 0), _table(docs, "004", 1, 1)
    assert [r["text"] for r in sections["rows"]] == ["润城断面", "九女湖断面", "铁路桥断面"]
    assert _row(projects, 3)["units"] == ["阳城县町店镇人民政府"]


# --- documents written here: other layouts, encodings and script -----------------------------------

OTHER_LAYOUT = """某某市人民政府办公室
关于印发某某市大气污染防治2025年行动计划的通知
各区县人民政府：
现将《某某市大气污染防治2025年行动计划》印发给你们，请认真贯彻落实。
某某市人民政府办公室
2025年2月3日
某某市大气污染防治2025年行动计划
为持续改善空气质量，制定本行动计划。
一、主要目标
2025年，全市PM2.5平均浓度降至30微克/立方米以下，优良天数比例达到80%。
二、重点任务
（一）调整产业结构
1、淘汰落后产能。关停10台燃煤小锅炉，2025年3月底前完成。【责任单位：市发展改革委；市工信局配合】
2、推进集中供热。扩大集中供热范围
覆盖主城区。（市住建局牵头，各区县人民政府负责落实）
（二）治理扬尘污染
1、严控施工扬尘。长期坚持。（市住建局、市城管局按职责分工负责）
三、保障措施
加强组织领导。
附件：重点任务台账
序号\t工作任务\t完成时限\t责任单位
1\t关停10台燃煤小锅炉\t2025年3月底前\t市发展改革委 市工信局
2\t扩大集中供热范围，覆盖主城区\t2025年10月\t市住建局
"""


def _check_other_layout(doc):
    plan = doc["plans"][0]
    assert doc["region"] == "某某市" and doc["issue_date"] == "2025-02-03"
    assert plan["title"] == "某某市大气污染防治2025年行动计划" and plan["year"] == 2025
    assert [(t["section"][:5], t["no"]) for t in plan["tasks"]] == [("（一）调整", 1), ("（一）调整", 2), ("（二）治理", 1)]
    one, two, three = plan["tasks"]
    assert (one["lead"], one["support"]) == (["市发展改革委"], ["市工信局"])
    assert _due(one) == [("2025年3月底前", "2025-03-31", "date", "text")]
    assert (two["lead"], two["implement"]) == (["市住建局"], ["各区县人民政府"])
    assert two["end_line"] == two["start_line"] + 1  # wrapped line re-joined
    assert _due(two) == [("2025年10月", "2025-10-31", "date", "annex")]  # from the ledger
    assert three["lead"] == ["市住建局", "市城管局"] and three["deadlines"][0]["kind"] == "ongoing"
    assert [(t["kpi"], t["comparator"], t["value"]) for t in plan["targets"] if t["kind"] == "outcome"] == [
        ("pm25_concentration", "<=", 30), ("good_air_days_ratio", ">=", 80)]
    # 关停10台燃煤小锅炉: what task 1 delivers
    assert [(t["kind"], t["value"], t["unit"], t["task_id"]) for t in plan["targets"] if t["kind"] == "output"] == [
        ("output", 10, "台", one["task_id"])]
    ledger = plan["annex_tables"][0]
    assert ledger["kind"] == "task_ledger" and [r["units"] for r in ledger["rows"]] == [
        ["市发展改革委", "市工信局"], ["市住建局"]]
    assert [r["task_id"] for r in ledger["rows"]] == [one["task_id"], two["task_id"]]


def test_a_plan_in_another_layout(tmp_path):
    _check_other_layout(parse_lines(OTHER_LAYOUT.splitlines(), "other.txt"))


def test_gbk_and_traditional_script_give_the_same_records(tmp_path):
    gbk = tmp_path / "plan.txt"
    gbk.write_bytes(OTHER_LAYOUT.encode("gbk"))
    traditional = tmp_path / "plan_tw.txt"
    traditional.write_text(opencc.OpenCC("s2t").convert(OTHER_LAYOUT), encoding="utf-8-sig")
    assert "淘汰落後產能" in traditional.read_text(encoding="utf-8-sig")
    a, b = parse_document(gbk), parse_document(traditional)
    _check_other_layout(a)
    _check_other_layout(b)
    strip = lambda d: [(t["title"], t["lead"], t["deadlines"]) for p in d["plans"] for t in p["tasks"]]
    assert strip(a) == strip(b)


def test_a_file_that_is_not_a_plan(tmp_path):
    minutes = tmp_path / "minutes.txt"
    minutes.write_text("会议纪要\n今天开会讨论了食堂菜单。\n参会人员：张三、李四。\n", encoding="utf-8")
    with pytest.raises(NotAPlanError, match="not an action plan"):
        parse_document(minutes)
    out = subprocess.run([sys.executable, "-m", "pipelines.cli", "parse", str(minutes)], capture_output=True)
    assert out.returncode == 2 and "这不是一份行动计划" in out.stderr.decode("utf-8")


def test_report_prints_counts_per_plan(seed_dir):
    out = subprocess.run([sys.executable, "-m", "pipelines.cli", "parse", "--report", str(seed_dir)],
                         capture_output=True, check=True).stdout.decode("utf-8")
    assert out.count("== ") == 5 and out.count("《") == 18
    assert "附表行 annex rows 55（台账已关联 linked 45，未关联 unlinked 10）" in out
    assert "行 lines 191–191" in out  # 阳城's category cell without a row number
