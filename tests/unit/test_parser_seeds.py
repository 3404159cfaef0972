"""The parser on every seed document: counts, structure and specific tasks checked by hand."""
import json
import subprocess
import sys

import pytest

from pipelines.parsing import parse_document

# (file, region, issue date, doc number, plans, tasks per plan) read off the documents
SEEDS = [
    ("000_114a78fadf8f0ccd.txt", "阳泉市", "2023-06-26", None, ["water", "air", "soil", "groundwater"], [19, 22, 14, 16]),
    ("001_6d8037a82e9ce14b.txt", "晋城市", "2022-05-18", "晋市政办〔2022〕11号", ["air", "water", "soil"], [30, 27, 20]),
    ("002_d00cd320e7e0c579.txt", "芮城县", "2023-07-28", None, ["water", "air", "soil", "groundwater"], [12, 24, 14, 15]),
    ("003_1a3a67b7a1f5494e.txt", "新绛县", "2023-08-18", "新政办发〔2023〕14号", ["water", "air", "soil", "groundwater"], [14, 29, 15, 15]),
    ("004_2958428670c87bc9.txt", "阳城县", "2021-05-24", "阳政办发〔2021〕41号", ["air", "water", "soil"], [27, 25, 16]),
]


def _due(task):
    return [(d["text"], d["due_date"], d["kind"]) for d in task["deadlines"]]


@pytest.fixture(scope="module")
def docs(seed_dir):
    return {name: parse_document(seed_dir / name) for name, *_ in SEEDS}


@pytest.mark.parametrize("name,region,issued,number,domains,tasks", SEEDS)
def test_document_structure(docs, name, region, issued, number, domains, tasks):
    d = docs[name]
    assert d["region"] == region
    assert d["issue_date"] == issued
    assert d["doc_number"] == number
    assert [p["domain"] for p in d["plans"]] == domains
    assert [len(p["tasks"]) for p in d["plans"]] == tasks
    for p in d["plans"]:
        assert len({t["task_id"] for t in p["tasks"]}) == len(p["tasks"])


def test_water_plan_of_yangquan_matches_the_contract(docs):
    plan = docs["000_114a78fadf8f0ccd.txt"]["plans"][0]
    assert plan["title"] == "阳泉市水环境质量再提升2023年行动计划"
    assert (plan["year"], plan["title_printed"], plan["start_line"]) == (2023, True, 16)
    first, eighteenth = plan["tasks"][0], plan["tasks"][17]
    assert first["section"] == "（一）强化水资源管控"
    assert first["title"] == "保障重点河流生态流量"
    assert (first["start_line"], first["end_line"]) == (34, 34)
    assert first["lead"] == ["市水利局", "市生态环境局", "市城管局", "各县区人民政府", "高新区管委会"]
    assert first["support"] == ["市财政局"]
    assert first["deadlines"] == []
    assert eighteenth["section"] == "四、专项行动"
    assert eighteenth["title"] == "开展雨污分流改造专项行动"
    assert (eighteenth["start_line"], eighteenth["end_line"]) == (82, 84)  # wrapped over a page break
    assert eighteenth["lead"] == ["市城管局"] and eighteenth["support"] == ["市住建局", "市生态环境局"]
    assert _due(eighteenth) == [("2023年底前", "2023-12-31", "date")]
    target = plan["targets"][0]
    assert {k: target[k] for k in ("indicator", "kpi", "comparator", "value", "unit", "year", "stretch", "line")} == {
        "indicator": "地表水国考断面达到或优于Ⅲ类比例", "kpi": "surface_water_class_iii_ratio",
        "comparator": ">=", "value": 80, "unit": "%", "year": 2023, "stretch": False, "line": 28}


def test_targets_pm25_and_reclaimed_water(docs):
    air = docs["000_114a78fadf8f0ccd.txt"]["plans"][1]
    pm25 = [t for t in air["targets"] if t["kpi"] == "pm25_concentration"]
    assert [(t["comparator"], t["value"], t["unit"], t["stretch"], t["line"]) for t in pm25] == [
        ("<=", 35, "µg/m³", True, 124)]
    water = docs["000_114a78fadf8f0ccd.txt"]["plans"][0]
    reclaimed = [t for t in water["targets"] if t["kpi"] == "reclaimed_water_utilization_rate"]
    assert [(t["comparator"], t["value"], t["line"]) for t in reclaimed] == [(">=", 25, 36)]
    # 新绛县: PM2.5 43 µg/m³ in the 主要目标 of a plan whose heading was lost
    xj_air = docs["003_1a3a67b7a1f5494e.txt"]["plans"][1]
    assert [(t["value"], t["line"]) for t in xj_air["targets"] if t["kpi"] == "pm25_concentration"] == [(43, 306)]


def test_lost_headings_recovered_from_the_notice(docs):
    d = docs["003_1a3a67b7a1f5494e.txt"]
    assert [(p["title"], p["title_printed"], p["start_line"]) for p in d["plans"]] == [
        ("新绛县水环境质量再提升2023年行动计划", False, 18),
        ("新绛县空气质量再提升2023年行动计划", False, 288),
        ("新绛县土壤污染防治2023年行动计划", False, 1023),
        ("新绛县地下水污染防治2023年行动计划", False, 1390),
    ]
    first = d["plans"][0]["tasks"][0]
    assert first["title"] == "保障汾河、浍河新绛段河流生态流量"
    assert (first["start_line"], first["end_line"]) == (54, 65)
    assert first["lead"] == ["市生态环境局新绛分局", "县水利局"]
    assert first["support"] == ["县财政局", "沿河各镇"]


def test_bracketed_responsibility_forms(docs):
    jc = docs["001_6d8037a82e9ce14b.txt"]["plans"][0]["tasks"]
    assert jc[0]["lead"][-2:] == ["各县（市、区）人民政府", "开发区管委会"]  # 、 inside brackets kept
    assert _due(jc[2])[0] == ("2022年8月底前", "2022-08-31", "date")
    yc = docs["004_2958428670c87bc9.txt"]["plans"][0]["tasks"][0]
    assert yc["section"] == "（一）围绕环境容量，加大结构调整减排"  # half-width (一) normalised
    assert yc["lead"][0] == "市生态环境局阳城分局" and len(yc["lead"]) == 7


def test_unparsed_parts_are_reported_not_dropped(docs):
    yc = docs["004_2958428670c87bc9.txt"]
    # 阳城's ledger prints four category cells on rows of their own, without a number
    assert [(u["start_line"], u["end_line"]) for u in yc["unparsed"]] == [(191, 191), (213, 213), (214, 214), (215, 215)]
    assert all("annex row without a number" in u["reason"] for u in yc["unparsed"])


def test_cli_prints_the_contract_json(seed_dir):
    out = subprocess.run([sys.executable, "-m", "pipelines.cli", "parse", "--json",
                          str(seed_dir / "000_114a78fadf8f0ccd.txt")], capture_output=True, check=True)
    doc = json.loads(out.stdout.decode("utf-8"))
    assert "阳泉市" in out.stdout.decode("utf-8")  # not ASCII-escaped
    for key in ("source", "issuer", "region", "issue_date", "doc_number", "plans", "unparsed"):
        assert key in doc
    task = doc["plans"][0]["tasks"][0]
    for key in ("task_id", "no", "section", "title", "text", "start_line", "end_line", "lead", "support",
                "implement", "deadlines"):
        assert key in task
    assert doc["issuer"] == "阳泉市人民政府办公室"
    assert doc["plans"][0]["plan_id"] == parse_document(seed_dir / "000_114a78fadf8f0ccd.txt")["plans"][0]["plan_id"]
