"""The supervision store (issue 26): evidence checked by content and stored once by SHA-256, review and 督办
events append-only, one sequence over the three tables, every call in the accounts audit log."""
from __future__ import annotations

import hashlib
import io
import shutil
import sqlite3
import subprocess
from datetime import datetime, timezone

import pytest

from pipelines.accounts import store_for as accounts_for
from pipelines.supervision import MAX_EVIDENCE_BYTES, EvidenceRefused, store_for


@pytest.fixture
def store(tmp_path):
    return store_for(tmp_path)


@pytest.fixture(scope="module")
def office_pdf(tmp_path_factory):
    """A PDF as a unit's clerk makes one: a Word-style document converted by LibreOffice headless."""
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice (soffice) is not installed")
    d = tmp_path_factory.mktemp("pdf")
    src = d / "整改完成情况说明.txt"
    src.write_text("关于燃煤锅炉淘汰任务完成情况的说明\n已于2024年5月20日完成全部3台锅炉拆除，附现场照片。\n", encoding="utf-8")
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(d), str(src)],
                   check=True, capture_output=True, timeout=180,
                   env={"HOME": str(d), "PATH": "/usr/bin:/bin"})
    return (d / "整改完成情况说明.pdf").read_bytes()


def _image(fmt: str) -> bytes:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(2, 1.5))
    ax.plot([1, 2, 3], [3, 1, 2])
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt)
    plt.close(fig)
    return buf.getvalue()


def _attach(store, data, name, task="T1", unit="市住建局", uploader="unit1"):
    return store.add_evidence(data, name, task_id=task, period="2024-05", unit=unit, region="阳泉市",
                              uploader=uploader)


def test_real_pdf_jpeg_png_are_accepted_and_stored_once_by_sha256(store, tmp_path, office_pdf):
    assert office_pdf.startswith(b"%PDF-")
    rec = _attach(store, office_pdf, "C:\\材料\\整改完成情况说明.pdf")
    sha = hashlib.sha256(office_pdf).hexdigest()
    assert rec.sha256 == sha and rec.media_type == "application/pdf" and rec.size_bytes == len(office_pdf)
    assert rec.filename == "整改完成情况说明.pdf"  # the clerk's path is not kept
    path = tmp_path / "evidence" / sha[:2] / sha
    assert store.evidence_path(sha) == path and path.read_bytes() == office_pdf
    # the same bytes attached to another task: a second record, still one file
    again = _attach(store, office_pdf, "说明.pdf", task="T2")
    assert again.seq > rec.seq and again.sha256 == sha
    assert [p for p in (tmp_path / "evidence").rglob("*") if p.is_file()] == [path]
    assert {r.task_id for r in store.evidence_record(sha)} == {"T1", "T2"}
    # the same attachment twice is the first record, not a new row
    assert _attach(store, office_pdf, "整改完成情况说明.pdf") == rec
    assert len(store.frame("evidence")) == 2
    for fmt, name, media in (("jpeg", "现场照片.JPG", "image/jpeg"), ("png", "现场照片.png", "image/png")):
        img = _image(fmt)
        assert _attach(store, img, name).media_type == media
    assert [r.filename for r in store.evidence_for(["T1"])] == ["整改完成情况说明.pdf", "现场照片.JPG", "现场照片.png"]
    assert store.evidence_for([]) == []


def test_office_files_are_accepted_by_their_parts(store, tmp_path):
    import docx  # python-docx is a dependency of the bulletin
    from openpyxl import Workbook
    d = docx.Document()
    d.add_paragraph("验收意见：同意销号。")
    buf = io.BytesIO()
    d.save(buf)
    assert _attach(store, buf.getvalue(), "验收意见.docx").media_type.endswith("wordprocessingml.document")
    wb = Workbook()
    wb.active["A1"] = "台账"
    buf = io.BytesIO()
    wb.save(buf)
    assert _attach(store, buf.getvalue(), "台账.xlsx").media_type.endswith("spreadsheetml.sheet")
    with pytest.raises(EvidenceRefused) as e:  # a workbook renamed .docx
        _attach(store, buf.getvalue(), "台账.docx")
    assert "XLSX" in e.value.message_zh and "XLSX" in e.value.message_en


def test_an_exe_renamed_pdf_and_other_bad_files_are_refused_with_reasons(store, tmp_path):
    exe = b"MZ\x90\x00\x03\x00\x00\x00" + bytes(200)  # a Windows executable's header
    with pytest.raises(EvidenceRefused) as e:
        _attach(store, exe, "验收报告.pdf")
    assert "文件内容与扩展名 .pdf 不符" in e.value.message_zh and "does not match the extension .pdf" in e.value.message_en
    with pytest.raises(EvidenceRefused) as e:
        _attach(store, exe, "setup.exe")
    assert "不接收 .exe" in e.value.message_zh
    with pytest.raises(EvidenceRefused):  # a zip that is no Office document
        import zipfile
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("a.txt", "x")
        _attach(store, buf.getvalue(), "材料.docx")
    with pytest.raises(EvidenceRefused) as e:
        _attach(store, b"%PDF-1.7\n" + bytes(MAX_EVIDENCE_BYTES), "大文件.pdf")
    assert "20 MB" in e.value.message_zh
    with pytest.raises(EvidenceRefused):
        _attach(store, b"", "空.pdf")
    # nothing refused was stored or recorded
    assert store.frame("evidence").empty and not (tmp_path / "evidence").exists()


def test_decisions_and_escalations_are_events_in_one_sequence_and_audited(store, tmp_path):
    assert store.max_seq() == 0
    s1 = store.decide("T1", "市住建局", "2024-05", "abc:进展:3", "return", " 缺少验收材料 ", "sup1")
    with pytest.raises(ValueError, match="退回须写明理由"):
        store.decide("T1", "市住建局", "2024-05", "abc:进展:3", "return", "  ", "sup1")
    with pytest.raises(ValueError):
        store.decide("T1", "市住建局", "2024-05", "abc:进展:3", "reject", "x", "sup1")
    s2 = store.escalate("T9", "issue", "逾期 95 天", "sup1")
    s3 = store.decide("T1", "市住建局", "2024-05", "abc:进展:3", "approve", None, "sup1",
                      at=datetime(2024, 6, 3, 9, 0, tzinfo=timezone.utc))
    s4 = store.escalate("T9", "close", "", "sup1")
    assert [s1, s2, s3, s4] == [1, 2, 3, 4] and store.max_seq() == 4
    ev = store.frame("review_events")
    assert list(ev["decision"]) == ["return", "approve"] and ev["reason"].iloc[0] == "缺少验收材料"
    assert ev["at"].iloc[1] == "2024-06-03T09:00:00+00:00" and ev["at"].iloc[0].endswith("+00:00")
    esc = store.frame("escalation_events")
    assert list(esc["action"]) == ["issue", "close"] and esc["note"].isna().iloc[1]
    log = accounts_for(tmp_path).audit_log()
    assert [r["action"] for r in reversed(log)] == ["review_return", "escalation_issue", "review_approve",
                                                   "escalation_close"]
    assert "缺少验收材料" in log[-1]["detail"]


def test_every_table_is_append_only(store, office_pdf):
    _attach(store, office_pdf, "a.pdf")
    store.decide("T1", "u", "2024-05", "k", "approve", None, "sup1")
    store.escalate("T1", "issue", "n", "sup1")
    with sqlite3.connect(store.path) as con:
        for table, col in (("evidence", "filename"), ("review_events", "decision"), ("escalation_events", "note")):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                con.execute(f"update {table} set {col} = 'x'")
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                con.execute(f"delete from {table}")
    assert store.max_seq() == 3


def test_evidence_path_refuses_what_is_not_a_checksum(store):
    with pytest.raises(ValueError):
        store.evidence_path("../../accounts/accounts.sqlite")
