"""The monthly 通报 of the sample's last period, read back as an office reads it: the .docx with
python-docx, the PDF's text with pdfplumber, every figure held against the marts of the snapshot."""
import json
import re
import resource
import shutil
import time

import duckdb
import pdfplumber
import pytest
from docx import Document
from docx.oxml.ns import qn

from openpyxl import load_workbook

from pipelines.bulletin import Period, file_stem
from pipelines.bulletin.render import PAGE_ROWS, TEMPLATE
from pipelines.steps import write_bulletins
from pipelines.warehouse.publish import current_snapshot
from tests.conftest import AS_OF
from tests.pipeline.test_kpi_marts import _dbt

pytestmark = pytest.mark.pipeline
SAMPLE = "示例数据"


def _snapshot(world):
    return duckdb.connect(str(current_snapshot(world.paths.serving).path), read_only=True)


def _text(doc) -> str:
    """Every paragraph and table cell of the body, in order (what a reader of the .docx sees)."""
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        parts += ["\t".join(c.text for c in row.cells) for row in t.rows]
    return "\n".join(parts)


def _table_after(doc, heading: str) -> list[list[str]]:
    """The rows (header dropped) of the first table after the paragraph ``heading``."""
    body = doc.element.body
    seen = False
    for el in body.iterchildren():
        if el.tag == qn("w:p") and "".join(t.text or "" for t in el.iter(qn("w:t"))).strip() == heading:
            seen = True
        elif seen and el.tag == qn("w:tbl"):
            rows = el.findall(qn("w:tr"))
            return [["".join(t.text or "" for t in c.iter(qn("w:t"))) for c in r.findall(qn("w:tc"))] for r in rows][1:]
    raise AssertionError(f"no table after {heading}")


def _cpu() -> float:
    """CPU seconds of this process and its finished children (LibreOffice): what one bulletin costs,
    whatever else the machine is running."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _flat(s: str) -> str:
    return re.sub(r"\s+", "", s)


@pytest.fixture(scope="module")
def last_period(world) -> str:
    with _snapshot(world) as con:  # the sample's last reporting period, as the snapshot holds it
        return con.execute("select max(period) from staging.stg_progress_reports where is_sample").fetchone()[0]


@pytest.fixture(scope="module")
def built(world, last_period, tmp_path_factory):
    out = tmp_path_factory.mktemp("bulletin")
    started, cpu = time.perf_counter(), _cpu()
    written = write_bulletins(world.paths, last_period, out=out)
    seconds, cpu_seconds = time.perf_counter() - started, _cpu() - cpu
    print(f"\nbulletin {last_period} of the seeds: {seconds:.1f} s, {cpu_seconds:.1f} s of CPU (LibreOffice included)")
    return written[0], cpu_seconds


def test_headline_red_list_and_targets_equal_the_marts(world, last_period, built):
    w, _ = built
    assert w.scope == "山西省" and w.docx.name == f"通报_山西省_{Period.parse(last_period).label}.docx"
    doc = Document(w.docx)
    text = _text(doc)
    with _snapshot(world) as con:
        # the bulletin prints the province's row of mart_scope_headline, the dashboard's figures for its leader
        cur = con.execute("select * from marts.mart_scope_headline where scope = '山西省'")
        h = dict(zip([d[0] for d in cur.description], cur.fetchone()))
        assert h["tasks_total"] == con.execute("select tasks_total from marts.mart_headline").fetchone()[0]
        printed, presumed = con.execute("""select count(*) filter (where due_basis in ('printed', 'annex')),
                                                  count(*) filter (where due_basis = 'plan_year')
                                           from marts.mart_overdue_tasks""").fetchone()
        expected, on_time = con.execute("select sum(units_expected), sum(units_on_time) from marts.mart_reporting_compliance "
                                        "where period = ?", [last_period]).fetchone()
        cards = con.execute("select * from marts.mart_unit_scorecard").df()
        risky = con.execute("""select a.region, a.kpi_name_zh, a.status, a.binding_stretch_label, f.forecast_status,
                                      coalesce(f.required_text, '—')
                               from marts.mart_target_attainment a left join marts.mart_target_forecast f using (target_id)
                               where a.status in ('at_risk', 'missed') and a.is_binding order by all""").fetchall()
        overdue = con.execute("select source, start_line, title from marts.mart_overdue_tasks").fetchall()
        completed = con.execute("""select source, start_line from marts.mart_task_status where is_completed
                                   and strftime(completed_on, '%Y-%m') = ?""", [last_period]).fetchall()
    assert f"共有任务{h['tasks_total']}项" in text and f"已完成{h['tasks_completed']}项" in text
    assert f"任务完成率{h['completion_rate'] * 100:.1f}%" in text
    assert f"到期任务完成率{h['due_completion_rate'] * 100:.1f}%" in text
    assert f"按期完成率{h['on_time_rate'] * 100:.1f}%" in text
    assert f"逾期未完成任务{h['tasks_overdue']}项" in text and printed + presumed == h["tasks_overdue"] > 0
    # the split printed is the headline mart's (tasks_overdue_printed / _assumed), and adds up to the overdue list
    assert (h["tasks_overdue_printed"], h["tasks_overdue_assumed"]) == (printed, presumed)
    assert f"明确规定的{h['tasks_overdue_printed']}项，按计划年度年底推定的{h['tasks_overdue_assumed']}项" in text
    assert f"应报单位{expected}个，按时报送{on_time}个（按时报送率{on_time / expected * 100:.1f}%）" in text
    assert f"全年累计报送率{h['reporting_rate'] * 100:.1f}%" in text
    assert f"未达成{h['targets_missed']}个" in text and f"存在风险{h['targets_at_risk']}个" in text
    assert "mart_scope_headline" in text  # the headline names its source

    # red list: the most overdue lead tasks first, ties by the lower completion rate (the rule printed)
    red = cards[cards.lead_overdue > 0].sort_values(["lead_overdue", "lead_completion_rate", "region", "unit"],
                                                    ascending=[False, True, True, True]).head(5)
    rows = _table_after(doc, "（一）需督办单位")
    assert [(r[1], r[2], int(r[4])) for r in rows] == list(zip(red.region, red.unit, red.lead_overdue.astype(int)))
    assert "按牵头任务逾期项数从多到少排列" in text
    honour = _table_after(doc, "（二）表扬单位")
    assert honour and all(r[4] == "0" for r in honour)

    # binding targets at risk or missed (is_binding), their stretch level beside, each with the mart's forecast
    targets = _table_after(doc, "二、约束性目标风险")
    assert sorted((r[0], r[1].split("（")[0], r[5], r[2], r[6].split("（")[0], r[7]) for r in targets) == sorted(
        (region, kpi, {"at_risk": "存在风险", "missed": "未达成"}[s], label, fs or "—", required)
        for region, kpi, s, label, fs, required in risky)
    # the sample's last period has none (its years are final and met); the mid-year test below has them
    assert len(targets) == h["targets_at_risk"] + h["targets_missed"]

    # every named task carries its plan file and line: the annex lists every overdue task with it
    annex = _table_after(doc, "附件：逾期任务清单")
    assert len(annex) == len(overdue) <= PAGE_ROWS["annex"]
    sheet = load_workbook(w.docx.with_suffix(".xlsx"), read_only=True)["逾期任务"]
    assert sorted(r[-1].split("（")[0] for r in sheet.iter_rows(min_row=2, values_only=True)) == sorted(
        f"{source} 第{line}行" for source, line, _ in overdue)  # the workbook: every overdue task, its line
    for source, line, title in overdue:
        assert f"{source} 第{line}行" in text, (source, line, title)
    for source, line in completed:
        assert f"{source} 第{line}行" in text
    # late or missing reports of the period, a late one with its submission file and row
    gaps = _table_after(doc, "五、报送情况")
    assert gaps and all(r[2] in ("迟报", "未报") for r in gaps)
    assert all(re.search(r"\.xlsx 第\d+行$", r[5]) for r in gaps if r[2] == "迟报")
    # open 督办 (issue 26): every open one of mart_escalations, with the rule's reason, and the count printed
    with _snapshot(world) as con:
        open_esc = con.execute("""select region, task_title, reason from marts.mart_escalations where is_open
                                  order by opened_on, region, task_id""").fetchall()
    escalations = _table_after(doc, "七、督办事项")
    assert open_esc and [(r[0], r[1], r[4]) for r in escalations] == open_esc[:PAGE_ROWS["escalations"]]
    assert f"在办督办事项{len(open_esc)}项" in text


def test_pdf_says_the_same_and_every_page_is_marked_sample(world, built):
    w, _ = built
    with pdfplumber.open(w.pdf) as pdf:
        pages = [page.extract_text() or "" for page in pdf.pages]
    assert len(pages) >= 3
    assert [i for i, p in enumerate(pages, 1) if SAMPLE not in p] == []
    flat = _flat("".join(pages))
    with _snapshot(world) as con:
        total, overdue = con.execute("select tasks_total, tasks_overdue from marts.mart_headline").fetchone()
        first_unit = con.execute("""select unit from marts.mart_unit_scorecard where lead_overdue > 0
                                    order by lead_overdue desc, lead_completion_rate nulls first, region, unit
                                    limit 1""").fetchone()[0]
    assert f"共有任务{total}项" in flat and f"逾期未完成任务{overdue}项" in flat
    assert _flat(first_unit) in flat and "红榜与黑榜" in flat  # Chinese came through as text, not boxes


def test_an_office_template_is_used_without_code_changes(world, last_period, tmp_path):
    """The office renames a heading, sets its body font to 楷体 and deletes the 示例数据 tag from the header
    in Word: the bulletin follows the template and still carries the mark."""
    office = tmp_path / "我办通报模板.docx"
    shutil.copy(TEMPLATE, office)
    doc = Document(office)
    heading = next(p for p in doc.paragraphs if p.text == "一、总体情况")
    heading.runs[0].text = "一、全市工作总体进展"
    doc.styles["Normal"].element.get_or_add_rPr().find(qn("w:rFonts")).set(qn("w:eastAsia"), "楷体")
    for p in doc.sections[0].header.paragraphs:
        for r in p.runs:
            r.text = ""
    doc.save(office)
    w = write_bulletins(world.paths, last_period, out=tmp_path / "out", template=office)[0]
    made = Document(w.docx)
    texts = [p.text for p in made.paragraphs]
    assert "一、全市工作总体进展" in texts and "一、总体情况" not in texts
    assert made.styles["Normal"].element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "楷体"
    assert SAMPLE in "".join(p.text for p in made.sections[0].header.paragraphs)
    with pdfplumber.open(w.pdf) as pdf:
        assert all(SAMPLE in (page.extract_text() or "") for page in pdf.pages)


def test_the_monthly_asset_wrote_the_province_and_every_city(world):
    """plankpi run (all_assets_job, as of AS_OF) wrote the bulletins of the month before the as-of date."""
    period = Period.parse(AS_OF[:7]).previous()
    folder = world.paths.outbox / "bulletins"
    with _snapshot(world) as con:
        cities = {r for (r,) in con.execute("""select scope from marts.mart_scope_headline h
            join staging.stg_regions r on r.region = h.scope where r.level = 'city' and h.tasks_total > 0""").fetchall()}
    assert cities >= {"阳泉市", "晋城市"}
    for scope in cities | {"山西省"}:
        for ext in ("docx", "pdf", "json"):
            assert (folder / f"{file_stem(scope, period)}.{ext}").is_file(), (scope, ext)
    city = Document(folder / f"{file_stem('晋城市', period)}.docx")
    annex = _text(city)
    assert "阳泉市" not in "".join(r[1] for r in _table_after(city, "附件：逾期任务清单"))
    assert "晋城市生态环境保护行动计划" in annex


def test_a_period_not_over_is_refused_with_a_reason(world, tmp_path):
    from pipelines.bulletin import BulletinError
    with pytest.raises(BulletinError, match="早于报告期"):
        write_bulletins(world.paths, Period.parse(AS_OF[:7]).next().key, out=tmp_path)
    with pytest.raises(BulletinError, match="YYYY-MM"):
        write_bulletins(world.paths, "2023-13", out=tmp_path)
    assert not any(tmp_path.iterdir())


def test_one_bulletin_costs_less_than_ten_seconds(built):
    _, cpu_seconds = built
    assert cpu_seconds < 10  # measured ≈ 4.5 s of CPU (≈ 2.6 s of it LibreOffice); elapsed ≈ CPU on an idle machine


def test_what_changed_compares_with_last_months_bulletin(world, last_period, tmp_path):
    """With last month's bulletin beside it, "what changed" is measured against the numbers it printed:
    from one snapshot both months list the same overdue tasks, so none is new."""
    from pipelines.bulletin.render import write_bulletins as write
    snap = current_snapshot(world.paths.serving).path
    period = Period.parse(last_period)
    write(snap, period.previous(), None, tmp_path, pdf=False)
    w = write(snap, period, None, tmp_path, pdf=False)[0]
    text = _text(Document(w.docx))
    assert f"与上月（{period.previous().key}）通报所载数字" in text and "新增逾期任务0项" in text
    alone = write(snap, period, None, tmp_path / "alone", pdf=False)[0]
    assert "未找到上月" in _text(Document(alone.docx))


MID_YEAR = "2023-06-30"  # the sample's 2023 targets are running then: a binding one is at risk with a forecast


def test_a_binding_target_at_risk_carries_the_marts_forecast(world, tmp_path):
    """The marts rebuilt as of mid-2023 (as test_kpi_marts does): every binding target at risk prints
    mart_target_forecast's status, projected year-end value and required rest-of-year text, word for word,
    and its stretch level beside it (binding_stretch_label); a stretch target gets no row of its own."""
    from pipelines.bulletin.render import write_bulletins as write
    shutil.copytree(world.paths.warehouse, tmp_path / "warehouse")
    _dbt(tmp_path, "run", "--vars", json.dumps({"as_of": MID_YEAR}), "--target-path", str(tmp_path / "target"))
    build = tmp_path / "warehouse" / "build.duckdb"
    w = write(build, Period.parse(MID_YEAR[:7]), None, tmp_path / "out", pdf=False)[0]
    with duckdb.connect(str(build), read_only=True) as con:
        marts = con.execute("""
            select a.region, a.binding_stretch_label, coalesce(f.forecast_status, '—'), f.projected_value,
                   coalesce(f.required_text, '—'), a.is_binding
            from marts.mart_target_attainment a left join marts.mart_target_forecast f using (target_id)
            where a.status in ('at_risk', 'missed')""").fetchall()
    rows = _table_after(Document(w.docx), "二、约束性目标风险")
    assert sorted((r[0], r[2], r[6].split("（")[0], r[7]) for r in rows) == sorted(
        (region, label, status, required) for region, label, status, _, required, binding in marts if binding)
    with_forecast = [m for m in marts if m[5] and m[3] is not None]
    assert with_forecast and any(not m[5] for m in marts)  # the case is there: a forecast to print, a stretch to leave out
    for region, label, status, projected, required, _ in with_forecast:
        assert required.startswith("剩余月份") and [f"{status}（预计年末 {float(projected):g}" in r[6] for r in rows
                                                   if (r[0], r[2], r[7]) == (region, label, required)] == [True]
