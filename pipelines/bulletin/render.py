"""The bulletin as Word (docxtpl over the office's template) and PDF (LibreOffice headless from that
same .docx, so the two never disagree), plus the numbers it printed as JSON (next month compares with
them; an auditor reads them).
"""
from __future__ import annotations

import fcntl
import io
import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import asdict, dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt, RGBColor
from docxtpl import DocxTemplate, InlineImage
from openpyxl import Workbook

from ..config import REPO_ROOT
from ..submissions.contract import SAMPLE_MARK
from . import charts
from .numbers import (HONOUR_LIST_RULE, RED_LIST_RULE, BulletinError, Numbers, Period, changes_since, default_scope,
                      file_stem, gather)

TEMPLATE = REPO_ROOT / "bulletins" / "templates" / "月度通报.docx"
SAMPLE_NOTICE = "本通报所用数据包含系统生成的示例数据，仅供演示和测试，不得作为正式统计数据引用。"
STATUS_ZH = {"at_risk": "存在风险", "missed": "未达成", "met": "已达成", "on_track": "进度正常", "no_data": "暂无数据",
             None: "—"}
REPORT_ZH = {"late": "迟报", "missing": "未报"}
BASIS_ZH = {"printed": "明确", "annex": "明确（附件）", "plan_year": "推定"}  # mart_overdue_tasks.due_basis
SOFFICE_TIMEOUT = 300
# The rows a bulletin prints of its long lists; the workbook beside it (.xlsx) holds every row. A Word
# table costs LibreOffice ≈ 12 ms of CPU a row: a 50-document province's 1,147 overdue tasks were 74 pages
# and 16 s, a 2,000-document one's would be ≈ 46,000 rows.
PAGE_ROWS = {"annex": 300, "overdue_by_unit": 50, "gaps": 100, "changes.tasks": 100, "escalations": 100}
ORIGIN_ZH = {"rule": "按规则", "manual": "督查室"}  # mart_escalations.origin


@dataclass
class Written:
    scope: str
    docx: Path
    pdf: Path | None
    numbers: Path


def template_path(data_root: Path | None = None) -> Path:
    """The office's own template when the data folder holds one (bulletins/月度通报.docx), else the
    repository's: a deployment restyles its bulletin without touching the code or the repository."""
    own = data_root / "bulletins" / TEMPLATE.name if data_root else None
    return own if own is not None and own.is_file() else TEMPLATE


def _pct(x) -> str:
    return "—" if x is None else f"{float(x) * 100:.1f}%"


def _num(x) -> str:
    if x is None:
        return "—"
    x = float(x)
    return f"{x:.0f}" if x == int(x) else f"{x:.2f}".rstrip("0").rstrip(".")


def _day(x) -> str:
    return "—" if x is None else str(x)[:10]  # a date, or a timestamp at midnight: the day only


def _where(source, line, location=None) -> str:
    return f"{source} 第{line}行" + (f"（{location}）" if location else "") if source else "—"


def _report_where(file_name, row) -> str:
    return f"{file_name} 第{row}行" if file_name else "—"


def _forecast(r: dict) -> str:
    """mart_target_forecast's status and projected year-end value, "需努力（预计年末 36.2 µg/m³）"; "—" for a KPI
    without a forecast."""
    if r["forecast_status"] is None:
        return "—"
    return f"{r['forecast_status']}（预计年末 {_num(r['projected_value'])} {r['forecast_unit'] or ''}".rstrip() + "）"


def _freshness(n: Numbers) -> str:
    if not n.latest_received:
        return "尚无填报"
    days = (n.as_of - datetime.fromisoformat(n.latest_received).date()).days
    return f"距统计截止日{days}天" if days > 0 else "统计截止日当天"


def context(n: Numbers, tpl: DocxTemplate, images: dict[str, Path | None], issuer: str, doc_no: str) -> dict:
    """The template's values, worded: rates as percentages, codes in Chinese, sources as file and line."""
    h = dict(n.headline)
    for k in ("completion_rate", "due_completion_rate", "on_time_rate", "reporting_rate"):
        h[k] = _pct(h[k])
    rp = {**n.reporting_period, "on_time_rate": _pct(n.reporting_period["on_time_rate"]),
          "due_date": _day(n.reporting_period["due_date"])}
    ranked = lambda rows: [{**r, "rank": i, "lead_completion_rate": _pct(r["lead_completion_rate"]),  # noqa: E731
                            "reporting_rate": _pct(r["reporting_rate"])} for i, r in enumerate(rows, 1)]
    ch = n.changes
    changes = {
        "how": ch["how"],
        "completed": ch["completed"], "newly_overdue": ch["newly_overdue"],
        # one table: completed (on its completion date), then newly overdue (on its due date)
        "tasks": [{**r, "change": change, "day": _day(r[day]), "where": _where(r["source"], r["start_line"])}
                  for change, day, rows in (("完成", "completed_on", ch["completed"]),
                                            ("新增逾期", "due_date", ch["newly_overdue"])) for r in rows],
        "targets_changed": [{**r, "text": (f"由{STATUS_ZH.get(r['before'], r['before'])}变为{STATUS_ZH.get(r['now'], r['now'])}"
                                           if "before" in r else
                                           f"考核值{_num(r['before_value'])}→{_num(r['now_value'])}（目标{r['direction']}"
                                           f"{_num(r['target_threshold'])}），本月{'转为达标' if r['meets_now'] else '转为未达标'}"
                                           f"（{_report_where(r['file_name'], r['row_number'])}）")}
                            for r in ch["targets_changed"]],
    }
    image = lambda key: InlineImage(tpl, str(images[key]), width=Mm(150)) if images.get(key) else ""  # noqa: E731
    return {
        "issuer": issuer, "doc_no": doc_no, "scope": n.scope, "period_label": n.period.label,
        "as_of": n.as_of.isoformat(), "published_at": n.published_at or "—", "snapshot": n.snapshot,
        "latest_received": n.latest_received or "—", "freshness": _freshness(n),
        "sample": n.includes_sample, "sample_mark": SAMPLE_MARK, "sample_notice": SAMPLE_NOTICE,
        "h": h, "rp": rp,
        "sources": {"headline": f"marts.mart_scope_headline（scope = {n.scope}，统计截止日 {n.as_of}；逾期明确/推定："
                                f"tasks_overdue_printed、tasks_overdue_assumed）；{n.period.key}月报：marts.mart_reporting_compliance"},
        "targets": [{**r, "target": r["binding_stretch_label"], "actual": _num(r["actual"]), "gap": _num(r["gap"]),
                     "status": STATUS_ZH[r["status"]], "forecast": _forecast(r), "required_text": r["required_text"] or "—",
                     "where": _where(r["source"], r["line"])} for r in n.targets_at_risk],
        "red_list": ranked(n.red_list), "honour_list": ranked(n.honour_list),
        "red_rule": RED_LIST_RULE, "honour_rule": HONOUR_LIST_RULE,
        "overdue_by_unit": n.overdue_by_unit,
        "gaps": [{**r, "status": REPORT_ZH[r["report_status"]], "reported_on": r["reported_on"] or "—",
                  "days_late": r["days_late"] if r["days_late"] is not None else "—",
                  "where": _report_where(r["file_name"], r["row_number"])} for r in n.reporting_gaps],
        "changes": changes,
        "annex": [{**r, "seq": i, "due_basis": BASIS_ZH[r["due_basis"]],
                   "where": _where(r["source"], r["start_line"], r["location"])}
                  for i, r in enumerate(n.overdue_tasks, 1)],
        "escalations": [{**r, "origin": ORIGIN_ZH[r["origin"]], "opened_on": _day(r["opened_on"]),
                         "lead_units": r["lead_units"] or "—", "last_note": r["last_note"] or "—"}
                        for r in n.open_escalations],
        "chart_completion": image("completion"), "chart_pm25": image("pm25"),
        "workbook": f"{file_stem(n.scope, n.period)}.xlsx",
    }


def capped(ctx: dict) -> dict:
    """The long lists cut to what a bulletin prints (PAGE_ROWS), each with its full count (``<name>_total``):
    the printed text says how many are left out and that the workbook beside it lists them all."""
    ctx = {**ctx, "changes": dict(ctx["changes"])}
    for path, limit in PAGE_ROWS.items():
        holder, key = (ctx["changes"], "tasks") if path == "changes.tasks" else (ctx, path)
        holder[f"{key}_total"] = len(holder[key])
        holder[key] = holder[key][:limit]
    return ctx


def write_workbook(ctx: dict, path: Path) -> Path:
    """Every row of the lists the bulletin cuts (PAGE_ROWS), with the same sources, as one .xlsx."""
    wb = Workbook(write_only=True)
    for title, rows, columns in workbook_sheets(ctx):
        ws = wb.create_sheet(title)
        ws.append([c for c, _ in columns])
        for r in rows:
            ws.append([_cell(r.get(k)) for _, k in columns])
    tmp = path.with_name(f".{path.name}.tmp")
    wb.save(tmp)
    os.replace(tmp, path)
    return path


def _cell(x):
    return x if x is None or isinstance(x, (int, float, str)) else str(x)[:10] if isinstance(x, (date, datetime)) else str(x)


def workbook_sheets(ctx: dict) -> list[tuple[str, list[dict], list[tuple[str, str]]]]:
    """The workbook's sheets: title, rows, (header, key) per column."""
    return [
        ("逾期任务", ctx["annex"], [("序号", "seq"), ("地区", "region"), ("编号", "no"), ("任务", "title"),
                                   ("牵头单位", "lead_unit"), ("截止日期", "due_date"), ("截止依据", "due_basis"),
                                   ("逾期天数", "days_overdue"), ("出处", "where")]),
        ("逾期单位", ctx["overdue_by_unit"], [("地区", "region"), ("牵头单位", "lead_unit"), ("逾期任务", "tasks"),
                                          ("明确", "printed"), ("推定", "plan_year"), ("最长逾期天数", "max_days"),
                                          ("平均逾期天数", "mean_days")]),
        ("迟报未报", ctx["gaps"], [("地区", "region"), ("单位", "unit"), ("情况", "status"), ("接收日期", "reported_on"),
                                 ("迟报天数", "days_late"), ("填报文件及行", "where")]),
        ("督办事项", ctx["escalations"], [("地区", "region"), ("任务", "task_title"), ("牵头单位", "lead_units"),
                                       ("督办来源", "origin"), ("督办事由", "reason"), ("督办日期", "opened_on"),
                                       ("最新说明", "last_note")]),
        ("本月变化", ctx["changes"]["tasks"], [("变化", "change"), ("地区", "region"), ("编号", "no"), ("任务", "title"),
                                            ("牵头单位", "lead_unit"), ("日期", "day"), ("出处", "where")]),
    ]


def ensure_sample_mark(docx_bytes: bytes, sample: bool) -> bytes:
    """A bulletin of sample data carries 示例数据 in the header of every section, whatever the template
    says: an office's template that lost the tag still gets the mark (the bulletin refuses to omit it)."""
    if not sample:
        return docx_bytes
    doc = Document(io.BytesIO(docx_bytes))
    changed = False
    for i, section in enumerate(doc.sections):
        if i and section.header.is_linked_to_previous:
            continue
        if SAMPLE_MARK in "".join(p.text for p in section.header.paragraphs):
            continue
        p = section.header.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(SAMPLE_MARK)
        run.bold, run.font.size, run.font.color.rgb = True, Pt(12), RGBColor(0xC0, 0, 0)
        changed = True
    if not changed:
        return docx_bytes
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def render_docx(n: Numbers, template: Path, out: Path, workdir: Path, issuer: str, doc_no: str) -> Path:
    tpl = DocxTemplate(str(template))
    stem = file_stem(n.scope, n.period)
    images = {"completion": charts.completion_by_region(n.completion_by_region, workdir / f"{stem}_completion.png"),
              "pm25": charts.pm25_path(n.pm25_paths, n.period.year, workdir / f"{stem}_pm25.png")}
    ctx = context(n, tpl, images, issuer, doc_no)
    write_workbook(ctx, out / ctx["workbook"])
    tpl.render(capped(ctx), autoescape=True)
    buf = io.BytesIO()
    tpl.save(buf)
    path = out / f"{stem}.docx"
    tmp = out / f".{stem}.docx.tmp"
    tmp.write_bytes(ensure_sample_mark(buf.getvalue(), n.includes_sample))
    os.replace(tmp, path)
    return path


def soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        raise BulletinError("未找到 LibreOffice（apt install libreoffice-writer-nogui）/ LibreOffice not found: "
                            "install Debian's libreoffice-writer-nogui")
    return exe


def _profile() -> Path:
    """LibreOffice's user profile for the conversions of this account: kept between runs (making a new
    one is ≈ 1 s of CPU per start), used by one conversion at a time (see to_pdf's lock)."""
    return Path(tempfile.gettempdir()) / f"plankpi-libreoffice-{os.getuid()}"


def to_pdf(docx_files: list[Path], out: Path) -> list[Path]:
    """Every .docx to PDF in one LibreOffice start (its start-up is most of the cost). One conversion at
    a time per profile: a second LibreOffice on a profile in use would hand its files to the first."""
    if not docx_files:
        return []
    profile = _profile()
    profile.mkdir(exist_ok=True)
    with open(profile.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        proc = subprocess.run([soffice(), "--headless", "--norestore", "--nologo",
                               f"-env:UserInstallation={profile.as_uri()}", "--convert-to", "pdf",
                               "--outdir", str(out), *map(str, docx_files)],
                              capture_output=True, text=True, timeout=SOFFICE_TIMEOUT)
    pdfs = [out / f"{d.stem}.pdf" for d in docx_files]
    missing = [p.name for p in pdfs if not p.exists()]
    if proc.returncode or missing:
        raise BulletinError(f"LibreOffice 未能生成 PDF：{missing or proc.returncode} / PDF conversion failed: "
                            f"{proc.stderr.strip()[-500:]}")
    return pdfs


def _json_default(x):
    if isinstance(x, (date, datetime)):
        return x.isoformat()
    if isinstance(x, Decimal):
        return float(x)
    raise TypeError(type(x))


def _printed(n: Numbers) -> dict:
    """The numbers as the .json keeps them: everything but the overdue rows, which are in the workbook
    and by id here (a province has tens of thousands)."""
    kept = {**asdict(n), "period": n.period.key}
    kept["overdue_task_ids"] = [t["task_id"] for t in kept.pop("overdue_tasks")]
    return kept


def _previous_numbers(out: Path, scope: str, period: Period) -> dict | None:
    path = out / f"{file_stem(scope, period.previous())}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def write_bulletins(snapshot: Path, period: Period, scopes: list[str] | None, out: Path, *,
                    published_at: str = "", template: Path | None = None, issuer: str = "生态环境保护督查通报",
                    doc_no: str = "", pdf: bool = True) -> list[Written]:
    """The bulletin of each scope (None: the province) for ``period`` from the snapshot file, into ``out``."""
    template = template or TEMPLATE
    if not template.is_file():
        raise BulletinError(f"找不到通报模板 {template} / bulletin template not found")
    out.mkdir(parents=True, exist_ok=True)
    doc_no = doc_no or f"〔{period.year}〕第　　号"
    written: list[tuple[str, Path, Path]] = []
    with duckdb.connect(str(snapshot), read_only=True) as con, \
            tempfile.TemporaryDirectory(prefix="plankpi-bulletin-") as work:
        for scope in scopes or [default_scope(con)]:
            n = gather(con, period, scope, published_at, snapshot.name)
            previous = _previous_numbers(out, scope, period)
            if previous is not None:
                n.changes = {**n.changes, **changes_since(previous, n)}
            docx_path = render_docx(n, template, out, Path(work), issuer, doc_no)
            numbers = out / f"{file_stem(scope, period)}.json"
            numbers.write_text(json.dumps(_printed(n), ensure_ascii=False, default=_json_default, indent=1),
                               encoding="utf-8")
            written.append((scope, docx_path, numbers))
    pdfs = to_pdf([d for _, d, _ in written], out) if pdf else [None] * len(written)
    return [Written(s, d, p, j) for (s, d, j), p in zip(written, pdfs)]
