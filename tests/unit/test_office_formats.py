"""Plans as .docx and .pdf: the same records as the text, tables read from their cells, positions in
the original, and every unreadable file refused with what to do."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from pipelines.parsing import parse_document
from pipelines.parsing.folder import parse_folder
from pipelines.readers import UnreadablePlanError, read_document
from pipelines.synth.office import layout_of, write_docx, write_pdf
from tests.conftest import SEEDS

SEED_FILES = sorted(SEEDS.glob("*.txt"))
# Where a record sits and how it was found, not what it says: these may differ between formats.
# (no_inferred: the text lost some ledger row numbers that the Word table prints.)
POSITION_KEYS = {"start_line", "end_line", "line", "source", "layout", "link_score", "carried", "cells",
                 "format", "no_inferred"}


def _records(x):
    if isinstance(x, dict):
        return {k: _records(v) for k, v in x.items() if k not in POSITION_KEYS}
    if isinstance(x, list):
        return [_records(v) for v in x]
    return x


@pytest.fixture(scope="module")
def office_copies(tmp_path_factory) -> dict[str, dict[str, Path]]:
    out = tmp_path_factory.mktemp("office")
    copies = {}
    for seed in SEED_FILES:
        layout = layout_of(seed)
        copies[seed.stem] = {"txt": seed, "docx": write_docx(layout, out / f"{seed.stem}.docx"),
                             "pdf": write_pdf(layout, out / f"{seed.stem}.pdf")}
    return copies


@pytest.mark.parametrize("seed", [s.stem for s in SEED_FILES])
def test_docx_and_pdf_give_the_records_of_the_text(office_copies, seed):
    docs = {fmt: parse_document(path) for fmt, path in office_copies[seed].items()}
    want = _records(docs["txt"])
    assert sum(len(p["tasks"]) for p in want["plans"]) > 0
    for fmt in ("docx", "pdf"):
        assert docs[fmt]["format"] == fmt
        assert _records(docs[fmt]) == want, f"{fmt} differs from the text"
        # the same ids: reports filed against the text plan stay attached to the Word/PDF plan
        assert [t["task_id"] for p in docs[fmt]["plans"] for t in p["tasks"]] == \
               [t["task_id"] for p in docs["txt"]["plans"] for t in p["tasks"]]
        # the annex tables were read from cells, not from flattened text
        assert all(t["layout"] == "cells" for p in docs[fmt]["plans"] for t in p["annex_tables"])


def test_ledger_rows_of_every_seed_survive_in_every_format(office_copies):
    rows = {fmt: sum(len(t["rows"]) for s in office_copies.values() for p in parse_document(s[fmt])["plans"]
                     for t in p["annex_tables"]) for fmt in ("txt", "docx", "pdf")}
    assert rows["txt"] == rows["docx"] == rows["pdf"] == 224


def test_merged_category_cells_are_carried_down(office_copies):
    """晋城's ledger prints each category once, merged over its rows (in Word, vMerge; in the PDF,
    one cell spanning the rows): every row still gets its category."""
    copies = office_copies["001_6d8037a82e9ce14b"]
    source = read_document(copies["docx"])
    merged = sum(c is None for t in source.tables for r in t.rows for c in r)
    assert merged > 0
    for fmt in ("docx", "pdf"):
        ledger = parse_document(copies[fmt])["plans"][0]["annex_tables"][0]
        assert ledger["kind"] == "task_ledger" and all(r["category"] for r in ledger["rows"])
        assert sum("category" in r.get("carried", []) for r in ledger["rows"]) > 10


def test_a_table_over_several_pdf_pages_is_one_table_without_repeated_headers(office_copies):
    copies = office_copies["001_6d8037a82e9ce14b"]
    pdf = read_document(copies["pdf"])
    headers = [t.rows[0] for t in pdf.tables]
    assert len(pdf.tables) > len(set(map(tuple, headers)))  # the header row printed again on later pages
    for fmt in ("txt", "pdf"):
        tables = parse_document(copies[fmt])["plans"][0]["annex_tables"]
        numbers = [r["no"] for r in tables[0]["rows"]]
        assert numbers == list(range(1, len(numbers) + 1))  # no header row taken for data, none lost
    assert len(parse_document(copies["pdf"])["plans"][0]["annex_tables"]) == len(
        parse_document(copies["txt"])["plans"][0]["annex_tables"])


def test_positions_in_the_original(office_copies):
    copies = office_copies["000_114a78fadf8f0ccd"]
    for fmt, pattern in (("docx", r"^第\d+段$"), ("pdf", r"^第\d+页第\d+行$")):
        source = read_document(copies[fmt])
        task = parse_document(copies[fmt])["plans"][0]["tasks"][0]
        assert source.lines[task["start_line"] - 1].startswith("1.")
        assert pytest.importorskip("re").match(pattern, source.locations[task["start_line"] - 1])
    docx = read_document(office_copies["001_6d8037a82e9ce14b"]["docx"])
    assert docx.locations[docx.tables[0].first_line] == "表1第2行"


def test_the_reader_is_chosen_by_content_not_by_extension(office_copies, tmp_path):
    copies = office_copies["002_d00cd320e7e0c579"]
    disguised = tmp_path / "芮城计划.txt"
    disguised.write_bytes(copies["docx"].read_bytes())
    assert read_document(disguised).format == "docx"
    renamed = tmp_path / "芮城计划.docx"
    renamed.write_bytes(copies["pdf"].read_bytes())
    assert read_document(renamed).format == "pdf"


def _scanned_pdf(path: Path) -> None:
    from PIL import Image
    from reportlab.pdfgen import canvas
    image = path.with_suffix(".png")
    Image.new("L", (600, 800), 230).save(image)
    c = canvas.Canvas(str(path))
    c.drawImage(str(image), 40, 40, 500, 700)
    c.showPage()
    c.save()
    image.unlink()


def _encrypted_pdf(path: Path) -> None:
    from reportlab.pdfgen import canvas
    c = canvas.Canvas(str(path), encrypt="secret")
    c.drawString(100, 700, "plan")
    c.showPage()
    c.save()


def _zip(path: Path, members: dict[str, str]) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, text in members.items():
            z.writestr(name, text)
    path.write_bytes(buf.getvalue())


OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
BAD_FILES = {
    "扫描件.pdf": (_scanned_pdf, "没有文字层", "OCR"),
    "加密.pdf": (_encrypted_pdf, "密码", "password-protected"),
    "损坏.pdf": (lambda p: p.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog"), "已损坏", "corrupt PDF"),
    "旧版.doc": (lambda p: p.write_bytes(OLE2 + bytes(504)), "另存为", "save it as .docx"),
    "旧版.wps": (lambda p: p.write_bytes(OLE2 + bytes(504)), "WPS", "save it as .docx"),
    "加密.docx": (lambda p: p.write_bytes(OLE2 + bytes(64) + "EncryptedPackage".encode("utf-16-le") + bytes(64)),
                "密码", "password-protected"),
    "截断.docx": (lambda p: p.write_bytes(b"PK\x03\x04" + bytes(40)), "已损坏", "corrupt"),
    "内容损坏.docx": (lambda p: _zip(p, {"[Content_Types].xml": "<x/>", "word/document.xml": "<not xml"}),
                   "已损坏", "corrupt Word file"),
    "表格.xlsx": (lambda p: _zip(p, {"xl/workbook.xml": "<workbook/>"}), "没有 Word 文档", "save the plan as .docx"),
    "空文件.txt": (lambda p: p.write_bytes(b""), "文件为空", "empty"),
}


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_each_unreadable_file_gets_its_error_and_is_refused_whole(tmp_path, name):
    make, zh, en = BAD_FILES[name]
    path = tmp_path / name
    make(path)
    with pytest.raises(UnreadablePlanError) as caught:
        parse_document(path)
    message = str(caught.value)
    assert name in message and zh in message and en in message


def test_a_folder_with_bad_files_and_the_same_plan_twice(tmp_path, office_copies):
    plans = tmp_path / "plans"
    plans.mkdir()
    for name, (make, _zh, _en) in BAD_FILES.items():
        make(plans / name)
    seed = office_copies["004_2958428670c87bc9"]
    (plans / seed["txt"].name).write_bytes(seed["txt"].read_bytes())
    (plans / seed["pdf"].name).write_bytes(seed["pdf"].read_bytes())  # the same plan as PDF too
    parsed = parse_folder(plans, SEEDS.parent / "reference")
    assert [d["source"] for d in parsed.docs] == [seed["pdf"].name]  # .pdf sorts before .txt: kept
    rejected = {f["source"]: f["reason"] for f in parsed.files if f["status"] == "rejected"}
    assert set(rejected) == set(BAD_FILES) | {seed["txt"].name}
    assert "同一份计划" in rejected[seed["txt"].name] and "the same plan" in rejected[seed["txt"].name]
    assert [f["source"] for f in parsed.failures] == [f["source"] for f in parsed.files if f["status"] == "rejected"]
