"""Which reader a plan file needs, decided by its bytes (the extension is only a hint)."""
from __future__ import annotations

import zipfile
from pathlib import Path

from .source import UnreadablePlanError

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97–2003, WPS, and password-protected Office files
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")


def _error(zh: str, en: str, path: Path) -> UnreadablePlanError:
    return UnreadablePlanError(f"{path.name}：{zh} / {en}")


def sniff(path: Path) -> str:
    """``txt``, ``docx`` or ``pdf``; any other kind of file raises with what to do about it."""
    path = Path(path)
    with open(path, "rb") as fh:
        head = fh.read(8)
    if not head:
        raise _error("文件为空", "the file is empty", path)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(_OLE2):
        if _ENCRYPTED_PACKAGE in path.read_bytes():
            raise _error("文件设有打开密码，无法读取：请取消密码后另存为 .docx 再放入",
                         "the document is password-protected: remove the password and save it as .docx", path)
        raise _error("旧版 Word/WPS 格式（.doc/.wps）无法直接读取：请在 Word 或 WPS 中“另存为” .docx 后再放入",
                     "legacy .doc/.wps format: open it in Word or WPS and save it as .docx", path)
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as z:
                names = set(z.namelist())
        except zipfile.BadZipFile:
            raise _error("文件已损坏（压缩包不完整）：请重新导出或重新下载", "the file is corrupt (broken archive): "
                         "export or download it again", path) from None
        if "word/document.xml" in names:
            return "docx"
        raise _error("压缩包中没有 Word 文档（若为 .odt/.xlsx 等，请另存为 .docx）",
                     "an archive without a Word document (.odt, .xlsx …): save the plan as .docx", path)
    if head.startswith(b"{\\rtf"):
        raise _error("RTF 格式无法直接读取：请另存为 .docx", "RTF: save the plan as .docx", path)
    return "txt"
