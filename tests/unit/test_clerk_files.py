"""Templates filled the way clerks fill them (issue 22): Excel date cells, serial numbers, numbers and
percents as text or percent-formatted, stray spaces, re-sorted, hidden and blank rows, extra columns,
a second sheet; then the same file re-saved by LibreOffice Calc. Every filled row lands, untouched
rows are 未填, and what is refused is refused with a reason a clerk reads."""
from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import zipfile
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from pipelines.steps import ingest_submissions, load_parsed_plans, load_reference_data, parse_plans
from pipelines.submissions import cells
from pipelines.submissions.read import UnreadableFile, read_submission
from pipelines.submissions.templates import GUIDE_ROWS, HEADER, Assignment, UnitTemplate, build_workbook
from pipelines.warehouse.schema import connect
from tests.conftest import make_world

TODAY = date(2024, 1, 8)
HEAD = GUIDE_ROWS + 1  # the header row of sheet 进展填报


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    root = tmp_path_factory.mktemp("clerk")
    p = make_world(root)
    load_reference_data(p)
    load_parsed_plans(p, parse_plans(p))
    return p


@pytest.fixture()
def paths(loaded, tmp_path):
    """A fresh copy of the loaded warehouse per test (ingest writes into it)."""
    from pipelines.config import DataPaths
    p = DataPaths(tmp_path / "data").ensure()
    shutil.copy2(loaded.build_db, p.build_db)
    return p


def _template(paths, unit="市城管局", n=30) -> UnitTemplate:
    with connect(paths.build_db, read_only=True) as con:
        rows = con.execute("""select t.region, u.task_id, t.text from raw.task_units u join raw.tasks t using (task_id)
                              where u.unit = ? and u.role = 'lead' order by u.task_id limit ?""", [unit, n]).fetchall()
    t = UnitTemplate(rows[0][0], unit, "2023-12", due_date=date(2024, 1, 10))
    t.assignments = [Assignment(task_id, text, "2023-12-31（推定：计划年度末，计划未写明时限）", "lead") for _, task_id, text in rows]
    return t


def _cols(ws) -> dict[str, int]:
    return {c.value: c.column for c in ws[HEAD]}


# --- one normalisation module, one test per shape ------------------------------------------------------

@pytest.mark.parametrize("cell,expected", [
    (datetime(2023, 12, 31), "2023-12-31"),          # an Excel date cell
    (date(2023, 12, 31), "2023-12-31"),
    (45291, "2023-12-31"),                           # the serial number of a date that lost its format
    (45291.0, "2023-12-31"),
    ("2023-12-31", "2023-12-31"),
    ("2023/12/31", "2023-12-31"),
    ("2023/1/5", "2023-01-05"),
    ("2023.12.31", "2023-12-31"),
    ("2023年12月31日", "2023-12-31"),
    ("２０２３年１２月３１日", "2023-12-31"),            # full-width digits (Chinese input method)
    (" 2023-12-31 00:00:00 ", "2023-12-31"),          # a date cell written back as text
    ("下周", "下周"),                                  # stays as found, for the reason
    ("2023-02-30", "2023-02-30"),
])
def test_date_cells(cell, expected):
    assert cells.date_cells(pd.Series([cell], dtype=object)).iloc[0] == expected


@pytest.mark.parametrize("cell,formatted,expected", [
    (40, False, "40"), ("40", False, "40"), ("40%", False, "40"), (" 40 % ", False, "40"), ("４０％", False, "40"),
    (0.4, True, "40"),                               # 40 % typed into a percent-formatted cell: Excel stores 0.4
    (1, True, "100"), (40.0, False, "40"), ("12.5", False, "12.5"), ("四成", False, "四成"),
])
def test_percent_cells(cell, formatted, expected):
    out = cells.percent_cells(pd.Series([cell], dtype=object), pd.Series([formatted]))
    assert out.iloc[0] == expected


@pytest.mark.parametrize("cell,expected", [("1,234", "1234"), (" 12.5 ", "12.5"), ("３５．２", "35.2"), (35.0, "35"),
                                           ("约30", "约30")])
def test_numbers_stored_as_text(cell, expected):
    assert cells.number_cells(pd.Series([cell], dtype=object)).iloc[0] == expected


@pytest.mark.parametrize("cell", ["已完成", " 已完成 ", "已 完成", "已完成\u3000", "\u3000已完成"])
def test_status_words_with_stray_spaces(cell):
    assert cells.word_cells(pd.Series([cell], dtype=object)).iloc[0] == "已完成"


@pytest.mark.parametrize("cell,expected", [(datetime(2023, 12, 1), "2023-12"), ("2023/12", "2023-12"),
                                           ("2023年12月", "2023-12"), ("2023-7", "2023-07"), (2023, "2023"),
                                           ("2023年第四季度", "2023年第四季度")])
def test_periods_excel_turned_into_dates(cell, expected):
    assert cells.month_cells(pd.Series([cell], dtype=object)).iloc[0] == expected


def test_blank_cells_are_missing():
    out = cells.text_cells(pd.Series([None, float("nan"), "", "  ", "\u3000", "x"], dtype=object))
    assert out.isna().tolist() == [True] * 5 + [False]


# --- a template filled as a clerk fills it -------------------------------------------------------------

def _fill_like_a_clerk(path: Path, t: UnitTemplate) -> dict:
    """Fill 7 of 30 rows with what Excel writes, hide one, re-sort two, add a column and a sheet."""
    wb = load_workbook(path)
    ws = wb["进展填报"]
    c = _cols(ws)
    r = HEAD + 1
    ws.cell(r, c["进展状态"]).value = "已完成"                       # a real date cell, as Excel's date picker writes
    ws.cell(r, c["完成日期"]).value = datetime(2023, 11, 20)
    ws.cell(r, c["完成进度(%)"]).value = 100
    ws.cell(r + 1, c["进展状态"]).value = "推进中"                   # 40 % in a cell formatted as a percent
    ws.cell(r + 1, c["完成进度(%)"]).value = 0.4
    ws.cell(r + 1, c["完成进度(%)"]).number_format = "0%"
    ws.cell(r + 2, c["进展状态"]).value = " 已完成\u3000"              # stray spaces, serial number, percent as text
    ws.cell(r + 2, c["完成日期"]).value = 45260
    ws.cell(r + 2, c["完成进度(%)"]).value = "100"
    ws.cell(r + 3, c["进展状态"]).value = "已完成"                    # text date as typed, percent left empty
    ws.cell(r + 3, c["完成日期"]).value = "2023年12月5日"
    ws.cell(r + 4, c["进展状态"]).value = "滞后"                      # "40%" typed as text
    ws.cell(r + 4, c["完成进度(%)"]).value = "40%"
    ws.cell(r + 4, c["累计完成量"]).value = "12"                      # output so far, a number typed as text
    ws.cell(r + 5, c["进展状态"]).value = "未启动"
    ws.cell(r + 5, c["进展情况"]).value = "资金未到位"
    ws.cell(r + 6, c["进展状态"]).value = "推进中"                    # a hidden row still counts
    ws.cell(r + 6, c["完成进度(%)"]).value = "６０"
    ws.row_dimensions[r + 6].hidden = True
    # re-sorted: swap the first two rows' contents
    for col in range(1, len(HEADER) + 1):
        a, b = ws.cell(r, col), ws.cell(r + 1, col)
        a.value, b.value = b.value, a.value
        a.number_format, b.number_format = b.number_format, a.number_format
    ws.cell(HEAD, len(HEADER) + 2).value = "备注（本单位）"             # an extra column to the right
    ws.cell(r, len(HEADER) + 2).value = "内部备注"
    wb.create_sheet("草稿").append(["随便写的", 1, 2])                 # a second sheet
    wb.save(path)
    return {"filled": 7, "blank": len(t.assignments) - 7}


def _ingest(paths, path: Path):
    shutil.copy2(path, paths.inbox / path.name)
    [report] = ingest_submissions(paths, today=TODAY)
    with connect(paths.build_db, read_only=True) as con:
        landed = con.execute("select task_id, status_code, percent, completed_on, row_number from raw.progress_reports "
                             "order by row_number").fetchall()
        quarantined = con.execute("select row_number, reason_zh from raw.quarantine").fetchall()
    return report, landed, quarantined


def test_a_template_filled_in_excel_lands_every_filled_row(paths, tmp_path):
    t = _template(paths)
    path = tmp_path / t.file_name
    build_workbook(t).save(path)
    counts = _fill_like_a_clerk(path, t)
    report, landed, quarantined = _ingest(paths, path)
    assert quarantined == []
    assert (report.rows_landed, report.rows_rejected, report.rows_blank) == (counts["filled"], 0, counts["blank"])
    assert report.summary.startswith(f"入库 7 行，未填 {counts['blank']} 项")
    by_row = {row: (status, percent, done) for _, status, percent, done, row in landed}
    r = HEAD + 1
    assert by_row[r] == ("in_progress", 40.0, None)                    # swapped: the percent-formatted row
    assert by_row[r + 1] == ("done", 100.0, date(2023, 11, 20))        # the date cell
    assert by_row[r + 2] == ("done", 100.0, date(2023, 11, 30))        # serial 45260
    assert by_row[r + 3] == ("done", 100.0, date(2023, 12, 5))         # 2023年12月5日, percent implied
    assert by_row[r + 4] == ("delayed", 40.0, None)
    assert by_row[r + 5] == ("not_started", 0.0, None)
    assert by_row[r + 6] == ("in_progress", 60.0, None)                # hidden row, full-width digits
    with connect(paths.build_db, read_only=True) as con:
        assert con.execute("select row_number, output_done from raw.progress_reports where output_done is not null"
                           ).fetchall() == [(r + 4, 12.0)]


def _soffice_resave(src: Path, out_dir: Path) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (libreoffice-calc-nogui) is not installed: make test installs it")
    out_dir.mkdir()
    profile = out_dir.parent / "lo_profile"
    subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "xlsx",
                    "--outdir", str(out_dir), str(src)], check=True, capture_output=True, timeout=180)
    return out_dir / src.name


def test_a_template_resaved_by_libreoffice_calc_lands_every_filled_row(paths, tmp_path):
    t = _template(paths)
    path = tmp_path / t.file_name
    build_workbook(t).save(path)
    counts = _fill_like_a_clerk(path, t)
    resaved = _soffice_resave(path, tmp_path / "calc")
    with zipfile.ZipFile(resaved) as z:  # really LibreOffice's bytes, not openpyxl's
        assert b"LibreOffice" in z.read("docProps/app.xml")
    report, landed, quarantined = _ingest(paths, resaved)
    assert quarantined == []
    assert (report.rows_landed, report.rows_blank) == (counts["filled"], counts["blank"])
    assert {(s, p, d) for _, s, p, d, _ in landed} >= {("done", 100.0, date(2023, 11, 20)),
                                                        ("in_progress", 40.0, None), ("done", 100.0, date(2023, 11, 30))}


# --- reasons a clerk understands ----------------------------------------------------------------------

def test_reasons_name_the_column_what_was_found_and_what_is_expected(paths, tmp_path):
    t = _template(paths, n=6)
    path = tmp_path / t.file_name
    build_workbook(t).save(path)
    wb = load_workbook(path)
    ws = wb["进展填报"]
    c = _cols(ws)
    r = HEAD + 1
    ws.cell(r, c["进展状态"]).value = "已完成"
    ws.cell(r, c["完成日期"]).value = "下周"
    ws.cell(r + 1, c["进展状态"]).value = "完成了"
    ws.cell(r + 2, c["进展状态"]).value = "推进中"
    ws.cell(r + 2, c["完成进度(%)"]).value = 40
    ws.cell(r + 2, c["填报单位"]).value = "市教育局"
    ws.cell(r + 3, c["任务编号"]).value = ws.cell(r + 4, c["任务编号"]).value  # the same task twice
    for row in (r + 3, r + 4):
        ws.cell(row, c["进展状态"]).value = "推进中"
        ws.cell(row, c["完成进度(%)"]).value = 50
    wb.save(path)
    report, _landed, _q = _ingest(paths, path)
    lines = report.reason_lines()
    assert f'第{r}行 完成日期：读到"下周"，应为日期，如 2024-03-31 / row {r}: completed_on (完成日期): found "下周", ' \
           "expected a date such as 2024-03-31" in lines
    assert any(line.startswith(f'第{r + 1}行 进展状态：读到"完成了"，应为以下之一：已完成/推进中/未启动/滞后') for line in lines)
    assert any(line.startswith(f'第{r + 2}行 填报单位：读到"市教育局"，不是该任务的责任单位；该任务的责任单位是：') and "市城管局" in line
               for line in lines)
    assert any(line.startswith(f"第{r + 4}行 任务编号：与第{r + 3}行重复") for line in lines)
    text = report.format(limit=50)
    assert text.splitlines()[0].endswith(f"入库 1 行，拒收 4 行，未填 1 项 / 1 rows landed, 4 rejected, 1 left blank "
                                         "(not reported this period)")
    assert text.splitlines()[-1].startswith("  未填 1 项")  # blanks in one line, after the real errors


def test_observation_reasons_list_valid_codes_and_the_expected_unit(paths):
    header = "指标代码,地区,报告期,数值,单位,数据来源\n"
    (paths.inbox / "obs.csv").write_text(header + "pm2.5,阳泉市,2023-12,35,µg/m³,站\n"
                                         "pm25_concentration,阳泉市,2023-11,35,mg/m³,站\n"
                                         "pm25_concentration,阳泉市,2023-10,99999,µg/m³,站\n"
                                         "pm25_concentration,阳泉市,2023-09,,µg/m³,站\n", encoding="utf-8")
    [report] = ingest_submissions(paths)
    lines = report.reason_lines()
    assert (report.rows_landed, report.rows_rejected, report.rows_blank) == (0, 3, 1)
    assert any('指标代码：读到"pm2.5"，应为指标目录中的代码之一：' in line and "pm25_concentration" in line for line in lines)
    assert any('单位：读到"mg/m³"，该指标的单位应为“µg/m³”' in line for line in lines)
    assert any('数值：读到"99999"，超出该指标的合理范围 0–300 µg/m³' in line for line in lines)


# --- uploads that cannot hurt the server --------------------------------------------------------------

def _row_bomb(path: Path, rows: int = 100_000) -> None:
    """A small .xlsx whose sheet holds ``rows`` rows (XML compresses ~200x)."""
    sheet = io.StringIO()
    sheet.write('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                'spreadsheetml/2006/main"><sheetData>')
    for _ in range(rows):
        sheet.write('<row><c t="inlineStr"><is><t>T0001</t></is></c><c><v>40</v></c>'  # r= is optional
                    '<c t="inlineStr"><is><t>推进中推进中推进中推进中推进中推进中推进中推进中</t></is></c></row>')
    sheet.write("</sheetData></worksheet>")
    ns = 'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>')
        z.writestr("_rels/.rels", f'<Relationships {ns}><Relationship Id="rId1" Type="http://schemas.openxmlformats.'
                   'org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                   'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
                   '<sheet name="进展填报" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", f'<Relationships {ns}><Relationship Id="rId1" Type="http://schemas.'
                   'openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
                   '</Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", sheet.getvalue())


_MEASURE = """
import sys, time
from pathlib import Path
from pipelines.submissions.read import UnreadableFile, read_submission
start = time.perf_counter()
try:
    read_submission(Path(sys.argv[1]))
    print("accepted")
except UnreadableFile as e:
    print(e.reason_zh)
print(time.perf_counter() - start)
# the process's own peak (VmHWM; ru_maxrss would carry the forking pytest's peak across exec)
print(next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM")) // 1024)
"""


def test_a_row_bomb_is_refused_fast_and_small(tmp_path):
    bomb = tmp_path / "bomb.xlsx"
    _row_bomb(bomb)
    with zipfile.ZipFile(bomb) as z:
        unpacked = sum(i.file_size for i in z.infolist())
    assert bomb.stat().st_size < 400_000 and unpacked > 15 * 1024 * 1024
    out = subprocess.run([sys.executable, "-c", _MEASURE, str(bomb)], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).parents[2]).stdout.splitlines()
    reason, seconds, peak_mb = out[0], float(out[1]), int(out[2])
    print(f"row bomb: {bomb.stat().st_size} bytes, {unpacked} unpacked, refused in {seconds:.3f} s, peak {peak_mb} MB")
    assert "超过 5000 行" in reason
    assert seconds < 2.0 and peak_mb < 300


def test_external_links_and_macros_are_refused(tmp_path):
    path = tmp_path / "linked.xlsx"
    _row_bomb(path, rows=3)
    with zipfile.ZipFile(path, "a") as z:
        z.writestr("xl/externalLinks/externalLink1.xml", "<externalLink/>")
    with pytest.raises(UnreadableFile, match="外部链接"):
        read_submission(path)


def test_ingest_cli_on_a_missing_or_unreadable_path_exits_2_without_a_traceback(tmp_path):
    env = {**os.environ, "PLANKPI_DATA": str(tmp_path / "data")}
    plankpi = Path(sys.executable).parent / "plankpi"
    missing = subprocess.run([str(plankpi), "ingest", str(tmp_path / "missing.xlsx")], capture_output=True,
                             text=True, env=env)
    assert missing.returncode == 2 and "文件不存在" in missing.stderr and "Traceback" not in missing.stderr
    folder = subprocess.run([str(plankpi), "ingest", str(tmp_path)], capture_output=True, text=True, env=env)
    assert folder.returncode == 2 and "不是文件" in folder.stderr and "Traceback" not in folder.stderr


def test_observations_only_from_the_units_indicator_reporters_names(paths):
    """A 市财政局 account cannot report the region's PM2.5 (default reporter: the 生态环境局); 市水务局
    reports water use as indicator_reporters.csv says; files without a sender (the office's own) are
    not checked."""
    from pipelines.submissions.ingest import Sender, write_sender_note
    header = "指标代码,地区,报告期,数值,单位,数据来源\n"
    sent = {"财政局.csv": ("市财政局", "pm25_concentration,阳泉市,2023-12,30,µg/m³,财政\n"),
            "生态环境局.csv": ("市生态环境局", "pm25_concentration,阳泉市,2023-12,31,µg/m³,监测站\n"),
            "水务局.csv": ("市水务局", "total_water_use,阳泉市,2023,3.2,亿立方米,水资源公报\n"),
            "生态环境局_用水.csv": ("市生态环境局", "total_water_use,阳泉市,2023,3.1,亿立方米,估算\n")}
    for name, (unit, row) in sent.items():
        (paths.inbox / name).write_text(header + row, encoding="utf-8")
        write_sender_note(paths.inbox / name, Sender("u_" + name, "阳泉市", unit))
    reports = {r.file_name: r for r in ingest_submissions(paths)}
    assert {n: (r.rows_landed, r.rows_rejected) for n, r in reports.items()} == {
        "财政局.csv": (0, 1), "生态环境局.csv": (1, 0), "水务局.csv": (1, 0), "生态环境局_用水.csv": (0, 1)}
    assert "市财政局 不是阳泉市该指标的数据报送单位（应由 本地区生态环境局 报送）" in reports["财政局.csv"].reasons[0][2]
    assert "应由 市水务局 报送" in reports["生态环境局_用水.csv"].reasons[0][2]


# --- monitoring values as a station's spreadsheet holds them ------------------------------------------

def test_observations_in_excel_with_blank_optional_cells_land_as_the_same_rows_in_csv(paths, tmp_path):
    """A monitoring table kept in a spreadsheet (issue 23's columns): numbers as number cells, 期间类型 /
    有效天数 / 优良天数 left blank where they don't apply, a padded 期间类型, then re-saved by LibreOffice Calc.
    Excel's empty cells are blanks, not values: every row lands exactly as the same rows sent as CSV."""
    from openpyxl import Workbook
    header = ["指标代码", "地区", "报告期", "期间类型", "数值", "单位", "有效天数", "优良天数", "数据来源"]
    rows = [["good_air_days_ratio", "晋城市", "2022-02", "当月", 71.4, "%", 28, 20, "市监测站"],
            ["good_air_days_ratio", "晋城市", "2022-03", " 累计 ", 70.2, "%", 59.0, 41, "市监测站"],
            ["pm25_concentration", "晋城市", "2022-03", None, 45, "µg/m³", 31, None, "市监测站"],
            ["pm25_concentration", "晋城市", "2022-04", None, 38.5, "µg/m³", None, None, "市监测站"],
            ["surface_water_class_iii_ratio", "晋城市", "2022", None, 80, "%", None, None, "市监测站"]]
    wb = Workbook()
    ws = wb.active
    ws.title = "监测数据"
    ws.append(header)
    for r in rows:
        ws.append(r)
    made = tmp_path / "晋城市_监测数据_2022.xlsx"
    wb.save(made)
    resaved = _soffice_resave(made, tmp_path / "calc")
    with zipfile.ZipFile(resaved) as z:
        assert b"LibreOffice" in z.read("docProps/app.xml")

    def landed(path):
        shutil.copy2(path, paths.inbox / path.name)
        [report] = ingest_submissions(paths, today=TODAY)
        with connect(paths.build_db, read_only=True) as con:
            got = con.execute("""select kpi, period, period_kind, value, measure_unit, valid_days, good_days
                                 from raw.observations where file_name like ? order by period, kpi""",
                              [f"%{path.suffix}"]).fetchall()
        return report, got

    report, from_excel = landed(resaved)
    assert (report.rows_landed, report.rows_rejected) == (5, 0), report.reason_lines()
    csv = tmp_path / "晋城市_监测数据_2022_csv.csv"
    pd.DataFrame(rows, columns=header).to_csv(csv, index=False, encoding="utf-8-sig")
    _, from_csv = landed(csv)
    assert from_excel == from_csv
    assert from_excel == [("surface_water_class_iii_ratio", "2022", "年度", 80.0, "%", None, None),
                          ("good_air_days_ratio", "2022-02", "当月", 71.4, "%", 28, 20),
                          ("good_air_days_ratio", "2022-03", "累计", 70.2, "%", 59, 41),
                          ("pm25_concentration", "2022-03", "当月", 45.0, "µg/m³", 31, None),
                          ("pm25_concentration", "2022-04", "当月", 38.5, "µg/m³", None, None)]
