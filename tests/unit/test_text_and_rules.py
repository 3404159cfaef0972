"""Normalisation, deadlines and responsibilities on phrases taken from the seeds."""
import pytest

from pipelines.parsing.deadlines import find_deadlines, parse_deadline
from pipelines.parsing.units import parse_responsibility
from pipelines.text.normalize import normalize


@pytest.mark.parametrize("raw,expected", [
    ("阳泉市 **2023** 年水环境", "阳泉市2023年水环境"),
    ("坚持PM<sub>2.5</sub>和O<sub>3</sub>协同控制", "坚持PM2.5和O3协同控制"),
    ("细颗粒物($PM_{2.5}$)浓度", "细颗粒物（PM2.5）浓度"),
    ("阳城县 2021 年空气质量巩固提升 行 动 计 划", "阳城县2021年空气质量巩固提升行动计划"),
    ("# 晋城市空气质量改善 2022 年行动计划", "晋城市空气质量改善2022年行动计划"),
    ("《砖瓦工业大气污染物排放标准》（GB 29620-2013）", "《砖瓦工业大气污染物排放标准》（GB 29620-2013）"),
    ("２０２３年　１２月", "2023年12月"),
    ("環境保護", "环境保护"),
])
def test_normalize(raw, expected):
    assert normalize(raw) == expected


@pytest.mark.parametrize("text,year,expected", [
    ("2023年底前，完成改造", 2023, [("2023年底前", "2023-12-31", "date")]),
    ("5月底前完成排查", 2022, [("5月底前", "2022-05-31", "date")]),
    ("2022年5-9月份", 2022, [("2022年5-9月份", "2022-09-30", "window")]),
    ("长期坚持", 2022, [("长期坚持", None, "ongoing")]),
    ("按季度实施水质监测", 2023, [("按季度", None, "recurring")]),
    ("秋冬季错峰生产", 2022, [("秋冬季", None, "seasonal")]),
    ("2025年6月底前建成投入运行", 2023, [("2025年6月底前", "2025-06-30", "date")]),
])
def test_deadlines(text, year, expected):
    found = [(d["text"], d["due_date"], d["kind"]) for d in find_deadlines(text, year)]
    assert found == expected


def test_deadline_cell_unknown():
    assert parse_deadline("视情况而定", 2023) == {"text": "视情况而定", "due_date": None, "kind": "unknown"}


def test_responsibility_roles():
    r = parse_responsibility("……（市发展改革委、市工信局负责，各县区人民政府、高新区管委会落实）")
    assert r.lead == ["市发展改革委", "市工信局"]
    assert r.implement == ["各县区人民政府", "高新区管委会"]
    r = parse_responsibility("……〔责任单位：市生态环境局，各县（市、区）人民政府、开发区管委会〕")
    assert r.lead == ["市生态环境局", "各县（市、区）人民政府", "开发区管委会"]
    r = parse_responsibility("制定《温河流域水环境质量提升工作方案（2023—2025年）》")
    assert not r.found
