"""PDF with a text layer -> SourceDocument: paragraphs rebuilt from the page layout, ruled tables
read cell by cell (pdfplumber).

A printed line that runs to the right margin continues on the next line unless that line is
indented (a new paragraph opens with a two-character indent in 公文); a paragraph may run over a
page break. Page numbers in the top or bottom margin are dropped. Each page's part of a table is a
table of its own, header row and all: the annex reader joins them and drops the repeated header.
Positions: 第P页第L行 for a paragraph (its first printed line), 第P页表T第R行 for a table row.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .source import SourceDocument, UnreadablePlanError

_PAGE_NUMBER = re.compile(r"^[-—–\s]*(?:第\s*)?\d{1,4}\s*(?:页)?(?:\s*/\s*\d+)?[-—–\s]*$")
_MARGIN = 0.07  # share of the page height at top and bottom where page numbers live
_ASCII_WORD = re.compile(r"[A-Za-z0-9]")


@dataclass
class _Line:
    page: int
    no: int          # line number on its page
    text: str
    x0: float
    x1: float
    size: float
    page_width: float = 0.0


def _size(line: dict) -> float:
    return max((c["size"] for c in line["chars"]), default=10.0)


def join_wrapped(parts: list[str], full: list[bool] | None = None) -> str:
    """The printed lines of one paragraph (``full`` None) or of one table cell, as one text.

    Chinese wraps anywhere, so nothing is added between lines, except: in running text a line
    break between two Latin words or numbers stood for a space (GB 29620: office tools wrap Latin at
    spaces); in a narrow cell a number or word is split where the cell ends (202|3年), but a cell
    line that ended short of the edge was ended on purpose, and a space stands for the break (two
    unit names in one cell)."""
    out = ""
    for k, part in enumerate(parts):
        latin = bool(out) and bool(_ASCII_WORD.match(out[-1])) and bool(_ASCII_WORD.match(part[:1]))
        if full is None:
            out += " " if latin else ""
        elif out and not full[k - 1] and not latin:
            out += " "
        out += part
    return out


def _text_lines(page) -> list[dict]:
    return page.extract_text_lines(return_chars=True)


def _cell_text(page, bbox) -> str:
    lines = _text_lines(page.within_bbox(bbox))
    if not lines:
        return ""
    full = [line["x1"] >= bbox[2] - (line["x0"] - bbox[0]) - 2 * _size(line) for line in lines]
    return join_wrapped([line["text"].strip() for line in lines], full).strip()


def _table_rows(page, table) -> list[list[str | None]]:
    return [[None if bbox is None else _cell_text(page, bbox) for bbox in row.cells] for row in table.rows]


def _outside(bboxes):
    def keep(obj) -> bool:
        x = (obj["x0"] + obj["x1"]) / 2
        y = (obj["top"] + obj["bottom"]) / 2
        return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in bboxes)
    return keep


def _page_items(page, page_no: int) -> list[tuple[float, str, object]]:
    """(top, kind, item) of a page in reading order: text lines and tables."""
    tables = page.find_tables()
    items: list[tuple[float, str, object]] = [(t.bbox[1], "table", _table_rows(page, t)) for t in tables]
    text_page = page.filter(_outside([t.bbox for t in tables])) if tables else page
    no = 0
    for line in _text_lines(text_page):
        text = line["text"].strip()
        in_margin = line["top"] < page.height * _MARGIN or line["bottom"] > page.height * (1 - _MARGIN)
        if not text or (in_margin and _PAGE_NUMBER.match(text)):
            continue
        no += 1
        items.append((line["top"], "line",
                      _Line(page_no, no, text, line["x0"], line["x1"], _size(line), page.width)))
    return sorted(items, key=lambda item: item[0])


def _open(path: Path):
    import pdfplumber
    try:
        pdf = pdfplumber.open(str(path))
        _ = pdf.pages  # forces the cross-reference table to be read
        return pdf
    except Exception as exc:  # pdfminer raises many kinds; each means the file cannot be opened
        if "password" in repr(exc).lower() or "encrypt" in repr(exc).lower():
            raise UnreadablePlanError(
                f"{path.name}：PDF 设有打开密码，无法读取：请向发文单位索取未加密的文件 / "
                "the PDF is password-protected: obtain an unprotected copy") from None
        raise UnreadablePlanError(
            f"{path.name}：PDF 文件已损坏，无法打开（{type(exc).__name__}）：请重新下载或重新导出 / "
            "corrupt PDF: download or export it again") from None


def read_pdf(path: Path) -> SourceDocument:
    path = Path(path)
    pdf = _open(path)
    out = SourceDocument("pdf")
    try:
        pages = [_page_items(page, k) for k, page in enumerate(pdf.pages, 1)]
    except Exception as exc:
        raise UnreadablePlanError(
            f"{path.name}：PDF 内容无法读取（{type(exc).__name__}）：请重新导出 / unreadable PDF content: export it again") from None
    finally:
        pdf.close()
    lines = [item for page in pages for _, kind, item in page if kind == "line"]
    if not lines and not any(kind == "table" for page in pages for _, kind, _i in page):
        raise UnreadablePlanError(
            f"{path.name}：PDF 没有文字层（扫描件），无法读取文字：请向发文单位索取电子版，或先做文字识别（OCR）后另存为 .docx / "
            "scanned PDF without a text layer: obtain the digital original, or OCR it and save as .docx")
    # The text frame: its left edge is where the leftmost line starts; margins are taken as
    # symmetric, so a document of short lines only (every line a paragraph) is not read as wrapped.
    left = min(line.x0 for line in lines) if lines else 0.0
    paragraph: list[_Line] = []

    def flush() -> None:
        if paragraph:
            first = paragraph[0]
            out.add_line(join_wrapped([p.text for p in paragraph]), f"第{first.page}页第{first.no}行")
            paragraph.clear()

    for page_no, page in enumerate(pages, 1):
        table_no = 0
        for _, kind, item in page:
            if kind == "table":
                flush()
                table_no += 1
                out.add_table(item, lambda k, p=page_no, t=table_no: f"第{p}页表{t}第{k + 1}行")
                continue
            previous = paragraph[-1] if paragraph else None
            indented = item.x0 > left + item.size
            ran_to_edge = previous is not None and previous.x1 >= previous.page_width - left - 2 * previous.size
            if previous is None or indented or not ran_to_edge:
                flush()
            paragraph.append(item)
    flush()
    return out
