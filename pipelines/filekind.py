"""What kind of file this is, by its bytes — never by its name (the extension is what a person claims).

The one place that knows the file signatures PlanKPI meets: plan files (pipelines/readers/sniff.py), evidence
(pipelines/supervision/evidence.py) and the dashboard's report uploads (dashboards/uploads.py) ask here and
decide, each by its own rule, what they accept and how they refuse. Pure: bytes in, a kind out; no I/O
beyond reading a zip's list of parts from the bytes or path given.
"""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word/Excel 97–2003, WPS, and password-protected Office files
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")  # the stream of a password-protected Office file
HEAD_BYTES = 8  # enough for every signature below

# first bytes → kind, in the order they are tried
SIGNATURES = (
    ("pdf", b"%PDF-"),
    ("png", b"\x89PNG\r\n\x1a\n"),
    ("jpeg", b"\xff\xd8\xff"),
    ("ole2", OLE2),
    ("zip", b"PK\x03\x04"),  # .docx, .xlsx, .odt … are zip packages: office_kind says which
    ("rtf", b"{\\rtf"),
)
# an Office Open XML package: the part that makes it a document of that kind (beside [Content_Types].xml)
OFFICE_MAIN_PARTS = (("docx", "word/document.xml"), ("xlsx", "xl/workbook.xml"))


def signature(head: bytes) -> str | None:
    """'pdf', 'png', 'jpeg', 'ole2', 'zip' or 'rtf' by the first bytes; 'empty' for no bytes; None for
    none of these (plain text, or a kind PlanKPI does not know)."""
    if not head:
        return "empty"
    return next((kind for kind, magic in SIGNATURES if head.startswith(magic)), None)


def looks_like_text(head: bytes) -> bool:
    """No NUL byte in the first 4 KB: text (CSV, TXT), not a binary file renamed."""
    return b"\x00" not in head[:4096]


def zip_parts(source: bytes | Path) -> set[str] | None:
    """The part names of a zip package (bytes or a file), or None when it is not a readable zip."""
    try:
        with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source) as z:
            return set(z.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return None


def office_kind(parts: set[str]) -> str | None:
    """'docx' or 'xlsx' for an Office Open XML package of these parts; None for any other zip (.odt, a
    plain archive)."""
    if "[Content_Types].xml" not in parts:
        return None
    return next((kind for kind, main in OFFICE_MAIN_PARTS if main in parts), None)


def is_encrypted_ole2(data: bytes) -> bool:
    """An OLE2 file holding an encrypted Office package: a document with an opening password."""
    return data.startswith(OLE2) and ENCRYPTED_PACKAGE in data


def kind_of(data: bytes) -> str | None:
    """What the bytes are: 'pdf', 'png', 'jpeg', 'docx', 'xlsx' (an Office Open XML package), or the
    signature of anything else ('ole2', 'zip' for another or a broken archive, 'rtf', 'empty'); None when
    no signature matches."""
    kind = signature(data[:HEAD_BYTES])
    if kind == "zip":
        parts = zip_parts(data)
        return (office_kind(parts) if parts is not None else None) or "zip"
    return kind
