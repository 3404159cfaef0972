"""Which reader a plan file needs, decided by its bytes (the extension is only a hint; what the bytes are is
pipelines/filekind.py's)."""
from __future__ import annotations

from pathlib import Path

from pipelines.filekind import HEAD_BYTES, is_encrypted_ole2, office_kind, signature, zip_parts

from .source import UnreadablePlanError


def _error(zh: str, en: str, path: Path) -> UnreadablePlanError:
    return UnreadablePlanError(f"{path.name}：{zh} / {en}")


def sniff(path: Path) -> str:
    """``txt``, ``docx`` or ``pdf``; any other kind of file raises with what to do about it."""
    path = Path(path)
    with open(path, "rb") as fh:
        kind = signature(fh.read(HEAD_BYTES))
    if kind == "empty":
        raise _error("文件为空", "the file is empty", path)
    if kind == "pdf":
        return "pdf"
    if kind == "ole2":
        if is_encrypted_ole2(path.read_bytes()):
            raise _error("文件设有打开密码，无法读取：请取消密码后另存为 .docx 再放入",
                         "the document is password-protected: remove the password and save it as .docx", path)
        raise _error("旧版 Word/WPS 格式（.doc/.wps）无法直接读取：请在 Word 或 WPS 中“另存为” .docx 后再放入",
                     "legacy .doc/.wps format: open it in Word or WPS and save it as .docx", path)
    if kind == "zip":
        parts = zip_parts(path)
        if parts is None:
            raise _error("文件已损坏（压缩包不完整）：请重新导出或重新下载", "the file is corrupt (broken archive): "
                         "export or download it again", path)
        if office_kind(parts) == "docx":
            return "docx"
        raise _error("压缩包中没有 Word 文档（若为 .odt/.xlsx 等，请另存为 .docx）",
                     "an archive without a Word document (.odt, .xlsx …): save the plan as .docx", path)
    if kind == "rtf":
        raise _error("RTF 格式无法直接读取：请另存为 .docx", "RTF: save the plan as .docx", path)
    return "txt"
