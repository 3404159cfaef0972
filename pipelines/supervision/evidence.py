"""Evidence files (佐证材料): which files are accepted, decided by their content, never by the name alone.

A file is accepted when its first bytes say what it is (PDF ``%PDF-``, PNG, JPEG; .docx/.xlsx as a zip
holding ``[Content_Types].xml`` and a ``word/`` or ``xl/`` part) and its extension agrees, and it is at
most MAX_EVIDENCE_BYTES. Anything else is refused with a reason in Chinese and English.
"""
from __future__ import annotations

from pathlib import PurePath

from pipelines.filekind import kind_of

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024  # 20 MB: a scanned multi-page PDF fits, a video does not

# what the content must be (pipelines.filekind.kind_of), and the media type it is served with, by the
# extension a clerk gives
SUFFIXES = {
    ".pdf": ("pdf", "application/pdf"),
    ".png": ("png", "image/png"),
    ".jpg": ("jpeg", "image/jpeg"),
    ".jpeg": ("jpeg", "image/jpeg"),
    ".docx": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ".xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
ACCEPTED_ZH = "PDF、JPG/PNG 图片、Word（.docx）或 Excel（.xlsx）"
ACCEPTED_EN = "PDF, JPG/PNG images, Word (.docx) or Excel (.xlsx)"


class EvidenceRefused(ValueError):
    """An evidence file that is not accepted; ``message_zh`` / ``message_en`` say why."""

    def __init__(self, message_zh: str, message_en: str):
        super().__init__(f"{message_zh} / {message_en}")
        self.message_zh = message_zh
        self.message_en = message_en


def too_large() -> EvidenceRefused:
    """The refusal of a file over MAX_EVIDENCE_BYTES (also before decoding an upload: dashboards/supervision)."""
    mb = MAX_EVIDENCE_BYTES // (1024 * 1024)
    return EvidenceRefused(f"文件超过 {mb} MB，请压缩或拆分后上传", f"the file is larger than {mb} MB: compress or split it")


def check_evidence(data: bytes, filename: str) -> str:
    """The file's media type when it is accepted; raises EvidenceRefused otherwise."""
    suffix = PurePath(filename or "").suffix.lower()
    if suffix not in SUFFIXES:
        raise EvidenceRefused(
            f"不接收 {suffix or '无扩展名'} 文件，佐证材料请上传 {ACCEPTED_ZH}",
            f"{suffix or 'files without an extension'} not accepted: upload {ACCEPTED_EN}")
    if not data:
        raise EvidenceRefused("文件为空", "the file is empty")
    if len(data) > MAX_EVIDENCE_BYTES:
        raise too_large()
    expected, media_type = SUFFIXES[suffix]
    kind = kind_of(data)
    if kind != expected:
        kind = kind if kind in {k for k, _ in SUFFIXES.values()} else None  # named only when it is one we take
        found_zh = f"实际为 {kind.upper()} 文件" if kind else "不是可接收的文件类型"
        found_en = f"it is a {kind.upper()} file" if kind else "it is not a type we accept"
        raise EvidenceRefused(f"文件内容与扩展名 {suffix} 不符（{found_zh}），请以正确格式另存后上传",
                              f"the content does not match the extension {suffix} ({found_en}); "
                              "save it in the right format and upload again")
    return media_type
