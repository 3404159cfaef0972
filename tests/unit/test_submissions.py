"""Submissions: every row lands or is quarantined with its column and rule; same file twice changes nothing."""
from datetime import date

import pytest

from pipelines.config import DataPaths
from pipelines.steps import ingest_submissions, load_parsed_plans, load_reference_data, parse_plans, write_sample
from pipelines.submissions.contract import MAX_FILE_BYTES
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
        [task, "x", "", "七月", "市城管局", "推进中", 40, "", "", ""],                  # period format
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


def _xlsx_with_macros() -> bytes:
    import io
    import zipfile
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/vbaProject.bin", b"macro")
    return buf.getvalue()


@pytest.mark.parametrize("name,content,reason", [
    ("notes.txt", b"hello", "不支持的文件类型 .txt，请另存为 .xlsx（或 .csv） / unsupported file type .txt; "
                            "save it as .xlsx (or .csv)"),
    ("report.xlsm", b"PK\x03\x04", "不支持的文件类型 .xlsm，请另存为 .xlsx（或 .csv） / unsupported file type .xlsm; "
                                  "save it as .xlsx (or .csv)"),
    ("empty.csv", b"", "文件为空 / file is empty"),
    ("broken.xlsx", b"PK\x03\x04garbage", "Excel文件已损坏，无法读取 / corrupt Excel file: BadZipFile"),
    ("locked.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512,
     "文件已加密或为旧版.xls格式，请另存为未加密的.xlsx / file is encrypted or legacy .xls; "
     "save it as an unprotected .xlsx"),
    ("macros.xlsx", _xlsx_with_macros(), "文件包含宏，不予接收，请另存为 .xlsx / file contains macros; not accepted, save as .xlsx"),
    ("header.csv", "a,b\n1,2\n".encode(), "表头不符合填报模板（缺少必需列：任务编号、任务内容、完成时限、报告期、"
                                           "填报单位、进展状态、完成进度(%)、完成日期、进展情况、佐证材料） / "
                                           "header does not match the template (required columns missing)"),
    ("huge.csv", None, "文件超过大小上限 5 MB / file exceeds the size limit of 5 MB"),
])
def test_unreadable_files_are_quarantined_whole(paths, name, content, reason):
    path = paths.inbox / name
    if content is None:
        with open(path, "wb") as fh:  # sparse: over the limit without writing it
            fh.truncate(MAX_FILE_BYTES + 1)
    else:
        path.write_bytes(content)
    with connect(paths.build_db, read_only=True) as con:
        before = con.execute("select count(*) from raw.tasks").fetchone()[0]
    [report] = ingest_submissions(paths)
    assert report.status == "rejected"
    zh, en = reason.split(" / ")
    assert report.reasons == [(None, "", zh, en)]
    assert (paths.quarantine / name).exists() and not path.exists()
    with connect(paths.build_db, read_only=True) as con:
        assert con.execute("select rule, file_name from raw.quarantine").fetchall() == [("file_unreadable", name)]
        assert con.execute("select count(*) from raw.progress_reports").fetchone()[0] == 0
        assert con.execute("select count(*) from raw.observations").fetchone()[0] == 0
        assert con.execute("select count(*) from raw.tasks").fetchone()[0] == before


def test_an_unreadable_upload_keeps_the_note_of_who_sent_it(paths):
    from pipelines.submissions.ingest import Sender, sender_note, write_sender_note
    path = paths.inbox / "上报.xlsx"
    path.write_bytes(b"PK\x03\x04garbage")
    write_sender_note(path, Sender("yq_sthjj", "阳泉市", "市生态环境局"))
    [report] = ingest_submissions(paths)
    assert report.status == "rejected"
    assert sender_note(paths.quarantine / path.name).exists() and not sender_note(path).exists()
    with connect(paths.build_db, read_only=True) as con:
        assert con.execute("select submitted_by from raw.ingested_files").fetchall() == [("yq_sthjj",)]


def test_utf8_bom_csv_lands(paths):
    task = _task(paths)
    _progress_csv(paths.inbox / "bom.csv", [[task, "x", "", "2023-07", "市城管局", "推进中", 40, "", "进展", ""]],
                  encoding="utf-8-sig")
    assert (paths.inbox / "bom.csv").read_bytes()[:3] == b"\xef\xbb\xbf"
    [report] = ingest_submissions(paths)
    assert (report.status, report.rows_landed) == ("landed", 1)


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


def test_a_crash_inside_a_file_leaves_the_warehouse_as_before(paths, monkeypatch):
    from pipelines.submissions import ingest
    task = _task(paths)
    _progress_csv(paths.inbox / "crash.csv", [[task, "x", "", "2023-07", "市城管局", "推进中", 40, "", "", ""],
                                              [task, "x", "", "2023-7", "市城管局", "推进中", 40, "", "", ""]])
    real_insert = ingest._insert

    def insert_then_fail(con, table, query):
        real_insert(con, table, query)
        if table == "quarantine":  # progress rows are in, the quarantine too: then the disk fails
            raise OSError("disk full")
    monkeypatch.setattr(ingest, "_insert", insert_then_fail)
    with pytest.raises(OSError):
        ingest_submissions(paths)
    with connect(paths.build_db, read_only=True) as con:
        counts = [con.execute(f"select count(*) from raw.{t}").fetchone()[0]
                  for t in ("progress_reports", "quarantine", "ingested_files")]
    assert counts == [0, 0, 0]
    assert (paths.inbox / "crash.csv").exists()  # still waiting: the next run takes it again
    monkeypatch.undo()
    [report] = ingest_submissions(paths)
    assert (report.status, report.rows_landed, report.rows_rejected) == ("partial", 1, 1)


def test_unitless_indicator_lands_with_an_empty_unit(paths):
    header = "指标代码,地区,报告期,数值,单位,数据来源\n"
    (paths.inbox / "coefficient.csv").write_text(
        header + "irrigation_water_use_coefficient,晋城市,2022-12,0.59,,水务局\n"
        "irrigation_water_use_coefficient,晋城市,2022-11,0.58,%,水务局\n", encoding="utf-8")
    [report] = ingest_submissions(paths)
    assert (report.rows_landed, report.rows_rejected) == (1, 1)
    assert report.reasons[0][1:3] == ("measure_unit", '单位：读到"%"，该指标没有计量单位，单位应留空')


def test_observation_kind_and_day_counts_are_checked_and_land(paths):
    """期间类型 / 有效天数 / 优良天数 (issue 23): good rows land with their kind and counts; each bad one is
    refused with its column and a reason, and an old file without the new columns still lands."""
    header = "指标代码,地区,报告期,期间类型,数值,单位,有效天数,优良天数,数据来源\n"
    (paths.inbox / "air.csv").write_text(
        header + "good_air_days_ratio,晋城市,2022-02,当月,71.4,%,28,20,站\n"
        "good_air_days_ratio,晋城市,2022-02,累计,70.2,%,59,41,站\n"
        "pm25_concentration,晋城市,2022,年度,41,µg/m³,351,,站\n"
        "pm25_concentration,晋城市,2022-03,当月,45,µg/m³,32,,站\n"       # more valid days than March has
        "good_air_days_ratio,晋城市,2022-03,当月,60,%,30,31,站\n"        # more good days than valid days
        "good_air_days_ratio,晋城市,2022-04,当月,60,%,,18,站\n"          # good days without valid days
        "pm25_concentration,晋城市,2022-04,年度,45,µg/m³,,,站\n"         # 年度 for a month
        "pm25_concentration,晋城市,2022-05,季度,45,µg/m³,,,站\n", encoding="utf-8")  # unknown kind
    [report] = ingest_submissions(paths)
    assert (report.rows_landed, report.rows_rejected) == (3, 5)
    assert sorted(r[1] for r in report.reasons) == ["good_days", "good_days", "period_kind", "period_kind",
                                                    "valid_days"]
    (paths.inbox / "old.csv").write_text("指标代码,地区,报告期,数值,单位,数据来源\n"
                                         "pm25_concentration,晋城市,2021,44,µg/m³,站\n"
                                         "pm25_concentration,晋城市,2022-06,30,µg/m³,站\n", encoding="utf-8")
    [report] = ingest_submissions(paths)
    assert report.rows_landed == 2
    with connect(paths.build_db, read_only=True) as con:
        rows = con.execute("select period, period_kind, measure_unit, valid_days, good_days from raw.observations "
                           "order by period, period_kind").fetchall()
    assert rows == [("2021", "年度", "µg/m³", None, None), ("2022", "年度", "µg/m³", 351, None),
                    ("2022-02", "当月", "%", 28, 20), ("2022-02", "累计", "%", 59, 41),
                    ("2022-06", "当月", "µg/m³", None, None)]
