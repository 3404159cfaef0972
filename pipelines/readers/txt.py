"""Plain-text plan files (UTF-8, UTF-8 with BOM, or GBK) -> original lines, 1-based."""
from __future__ import annotations

import hashlib
from pathlib import Path

ENCODINGS = ("utf-8-sig", "gb18030")


class UnreadablePlanError(ValueError):
    """The file is not a text plan in a known encoding."""


def decode(raw: bytes, name: str = "") -> str:
    for enc in ENCODINGS:
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    raise UnreadablePlanError(
        f"无法识别文件编码（支持 UTF-8、GBK）/ cannot decode {name} as UTF-8 or GBK")


def read_lines(path: Path) -> list[str]:
    """Original lines of the file, without line endings; index 0 is line 1."""
    path = Path(path)
    if path.suffix.lower() not in (".txt", ".md"):
        raise UnreadablePlanError(
            f"暂不支持的计划文件格式 {path.suffix} / unsupported plan file type {path.suffix}: {path.name}")
    return decode(path.read_bytes(), path.name).splitlines()


def file_checksum(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
