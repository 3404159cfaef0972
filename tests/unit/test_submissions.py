"""Submissions: every row lands or is quarantined with its column and rule; same file twice changes nothing."""
from datetime import date

import pandas as pd
import pytest

from pipelines.config import DataPaths
from pipelines.steps import ingest_submissions, load_parsed_plans, load_reference_data, parse_plans, write_sample
from pipelines.submissions.read import UnreadableFile, read_submission
from pipelines.warehouse.schema import connect
from tests.conftest import make_world


@pytest.fixture()
def paths(tmp_path) -> DataPaths:
    p = make_world(tmp_path)
    load_reference_data(p)
    load_parsed_plans(p, parse_plans(p))
    return p


def _progress_csv(path, rows, encoding="utf-8-sig"):
    header = "任务编号,任务内容,完成时限,报告期,填报单位,进展状态,完成进度(%),完成日期,进展情况,佐证材料\n"
    path.write_bytes((header + "".join(",".join(map(str, r)) + "\n" for r in rows)).encode(encoding))


def _task(paths, unit="市城管局"):
    with connect(paths.build_db, read_only=True) as con:
        return con.execute("select task_id from raw.task_units where unit = ? and role = 'lead' order by task_id limit 1",
                           [unit]).fetchone()[0]


def test_rows_land_or_are_quarantined_with_rule(paths):
    task = _task(paths)
    _progress_csv(paths.inbox / "城管局_2023-07.csv", [
        [task, "x", "", "2023-07", "市城管局", "推进中", 40, "", "正常推进", ""],
        [task, "x", "", "2023-07", "市城管局", "推进中", 40, "", "重复", ""],            # duplicate in file
        [task, "x", "", "2023-07", "市教育局", "推进中", 40, "", "", ""],               # not responsible
        [task, "x", "", "2023-7", "市城管局", "推进中", 40, "", "", ""],                # period format
        [task, "x", "", "2023-08", "市城管局", "已完成", 100, "2099-01-01", "", ""],    # future date
        ["T404", "x", "", "2023-07", "市城管局", "推进中", 40, "", "", ""],             # unknown task
    ], encoding="gbk")
    [report] = ingest_submissions(paths, today=date(2023, 8, 15))
    assert (report.status, report.rows_landed, report.rows_rejected) == ("partial", 1, 5)
    with connect(paths.build_db, read_only=True) as con:
        rules = con.execute("select row_number, rule from raw.quarantine order by row_number").fetchall()
        landed = con.execute("select task_id, status_code, row_number from raw.progress_reports").fetchall()
    assert rules == [(3, "duplicate_in_file"), (4, "unit_responsible"), (5, "period_format"),
                     (6, "completed_on_not_future"), (7, "task_exists")]
    assert landed == [(task, "in_progress", 2)]
    assert (paths.archive / "城管局_2023-07.csv").exists()
    assert "第3行" in report.format() and "row 3" in report.format()


def test_same_file_twice_changes_nothing(paths):
    task = _task(paths)
    rows = [[task, "x", "", "2023-07", "市城管局", "推进中", 40, "", "", ""]]
    _progress_csv(paths.inbox / "a.csv", rows)
    ingest_submissions(paths)
    _progress_csv(paths.inbox / "a_again.csv", rows)  # same bytes, other name
    [again] = ingest_submissions(paths)
    assert again.status == "duplicate"
    with connect(paths.build_db, read_only=True) as con:
        assert con.execute("select count(*) from raw.progress_reports").fetchone()[0] == 1
    assert (paths.archive / "duplicates" / "a_again.csv").exists()


@pytest.mark.parametrize("name,content,rule_zh", [
    ("notes.txt", b"hello", "不支持的文件类型"),
    ("empty.csv", b"", "文件为空"),
    ("broken.xlsx", b"PK\x03\x04garbage", "Excel文件已损坏"),
    ("header.csv", "a,b\n1,2\n".encode(), "表头不符合"),
])
def test_unreadable_files_are_quarantined_whole(paths, name, content, rule_zh):
    (paths.inbox / name).write_bytes(content)
    [report] = ingest_submissions(paths)
    assert report.status == "rejected" and rule_zh in report.reasons[0][2]
    assert (paths.quarantine / name).exists()
    with connect(paths.build_db, read_only=True) as con:
        assert con.execute("select rule from raw.quarantine").fetchall() == [("file_unreadable",)]


def test_sample_is_deterministic_and_labelled(tmp_path):
    a, b = make_world(tmp_path / "a"), make_world(tmp_path / "b")
    files_a, files_b = write_sample(a), write_sample(b)
    assert [f.name for f in files_a] == [f.name for f in files_b]
    assert all(fa.read_bytes() == fb.read_bytes() for fa, fb in zip(files_a, files_b))
    assert all("示例数据" in f.name for f in files_a)
    sheets = read_submission(next(f for f in files_a if f.suffix == ".xlsx" and "进展填报" in f.name))
    assert sheets[0].kind == "progress" and (sheets[0].frame["evidence"] == "示例数据").all()
    with pytest.raises(UnreadableFile):
        read_submission(next(f for f in files_a if "损坏" in f.name))
