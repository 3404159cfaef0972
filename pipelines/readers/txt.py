"""Plain-text plan files (UTF-8, UTF-8 with BOM, or GBK) -> original lines, 1-based."""
from __future__ import annotations

from pathlib import Path

from .source import SourceDocument, UnreadablePlanError

ENCODINGS = ("utf-8-sig", "gb18030")


def decode(raw: bytes, name: str = "") -> str:
    if b"\x00" in raw[:4096]:
        raise UnreadablePlanError(f"{name}：不是文本文件，也不是 Word 或 PDF 文档 / "
                                  "neither text nor a Word or PDF document")
    for enc in ENCODINGS:
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    raise UnreadablePlanError(
        f"{name}：无法识别文件编码（支持 UTF-8、GBK）/ cannot decode as UTF-8 or GBK")


def read_txt(path: Path) -> SourceDocument:
    lines = decode(Path(path).read_bytes(), Path(path).name).splitlines()
    return SourceDocument("txt", lines, [None] * len(lines))
