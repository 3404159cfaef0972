"""pipelines/filekind.py: one answer to "what kind of file is this, by its bytes", for plan files, evidence
and report uploads. Files made by the libraries and programs that make them in the world (python-docx,
openpyxl, matplotlib, LibreOffice when installed), and the ones people send by mistake."""
from __future__ import annotations

import io
import shutil
import subprocess
import zipfile

import pytest

from pipelines.filekind import OLE2, is_encrypted_ole2, kind_of, looks_like_text, signature, zip_parts


def _docx() -> bytes:
    from docx import Document
    doc = Document()
    doc.add_paragraph("关于燃煤锅炉淘汰任务完成情况的说明")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _xlsx() -> bytes:
    from openpyxl import Workbook
    wb = Workbook()
    wb.active.append(["任务", "完成情况"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _image(fmt: str) -> bytes:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(1, 1))
    ax.plot([1, 2], [2, 1])
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt)
    plt.close(fig)
    return buf.getvalue()


def _zip(members: dict[str, str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, text in members.items():
            z.writestr(name, text)
    return buf.getvalue()


def test_office_packages_images_and_pdf_by_content():
    assert kind_of(_docx()) == "docx" and kind_of(_xlsx()) == "xlsx"
    assert kind_of(_image("png")) == "png" and kind_of(_image("jpeg")) == "jpeg"
    assert kind_of(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n") == "pdf"


def test_a_libreoffice_odt_is_a_zip_but_no_office_open_xml_package(tmp_path):
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice (soffice) is not installed")
    src = tmp_path / "说明.txt"
    src.write_text("整改完成情况说明\n", encoding="utf-8")
    subprocess.run(["soffice", "--headless", "--convert-to", "odt", "--outdir", str(tmp_path), str(src)],
                   check=True, capture_output=True, timeout=180, env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    odt = (tmp_path / "说明.odt").read_bytes()
    assert signature(odt[:8]) == "zip" and kind_of(odt) == "zip"
    assert "content.xml" in zip_parts(tmp_path / "说明.odt")


def test_what_people_send_by_mistake():
    assert kind_of(b"") == "empty"
    assert kind_of(b"PK\x03\x04" + bytes(40)) == "zip" and zip_parts(b"PK\x03\x04" + bytes(40)) is None  # broken
    assert kind_of(_zip({"word/document.xml": "<w/>"})) == "zip"  # no [Content_Types].xml: not a Word package
    assert kind_of(_zip({"[Content_Types].xml": "<x/>", "xl/workbook.xml": "<w/>"})) == "xlsx"
    assert kind_of(b"{\\rtf1\\ansi ...}") == "rtf"
    legacy = OLE2 + bytes(600)
    assert kind_of(legacy) == "ole2" and not is_encrypted_ole2(legacy)
    assert is_encrypted_ole2(OLE2 + bytes(100) + "EncryptedPackage".encode("utf-16-le"))
    assert kind_of("任务,完成情况\n".encode("utf-8")) is None and looks_like_text("任务,完成情况\n".encode("gb18030"))
    assert not looks_like_text(b"MZ\x90\x00\x03\x00")  # a program renamed .csv
