"""Re-join lines that PDF extraction hard-wrapped, keeping the map back to original lines.

A *block* is one logical paragraph: a heading, a task, a sentence of a notice. Its text is
normalised; ``start_line``/``end_line`` are 1-based lines of the input file as given.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Iterable

from .normalize import normalize

# A paragraph that ends with one of these is complete; anything else continues on the next line.
# Closing brackets are not here: PDF lines often break right after （晋政办发〔2022〕.
SENTENCE_END = tuple("。；！？：")
# A page footer such as "- 12 -" left in the middle of a paragraph by extraction.
_PAGE_NUMBER = re.compile(r"^[-—–]\s*\d{1,3}\s*[-—–]$")


@dataclass
class Block:
    text: str
    start_line: int
    end_line: int
    # (offset in text, original line number) for every line joined into the block
    segments: list[tuple[int, int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.segments:
            self.segments = [(0, self.start_line)]

    def extend(self, text: str, line_no: int) -> None:
        self.segments.append((len(self.text), line_no))
        self.text += text
        self.end_line = line_no

    def line_at(self, offset: int) -> int:
        """Original line holding character ``offset`` of the normalised text."""
        line = self.start_line
        for start, no in self.segments:
            if start > offset:
                break
            line = no
        return line

    def split(self, offset: int) -> tuple["Block", "Block"]:
        """Two blocks, before and from ``offset``, each with its own map back to the lines."""
        head = [(o, no) for o, no in self.segments if o < offset]
        tail = [(o - offset, no) for o, no in self.segments if o >= offset]
        if not tail or tail[0][0] > 0:
            tail.insert(0, (0, self.line_at(offset)))
        first = Block(self.text[:offset], self.start_line, head[-1][1] if head else self.start_line, head)
        second = Block(self.text[offset:], tail[0][1], self.end_line, tail)
        return first, second

    def merge(self, other: "Block") -> None:
        """Append a following block (a task continued after a page break)."""
        base = len(self.text)
        self.segments.extend((base + off, no) for off, no in other.segments)
        self.text += other.text
        self.end_line = other.end_line


def join_wrapped_lines(lines: Iterable[str], starts_block: Callable[[str], bool],
                       is_heading: Callable[[str], bool]) -> list[Block]:
    """Blocks of normalised text.

    ``starts_block(text)`` says a line opens a new block whatever came before (a task number,
    a chapter heading); ``is_heading(text)`` says a finished block is a heading, so the next
    line opens a new block even though the heading has no final punctuation.
    """
    blocks: list[Block] = []
    for no, raw in enumerate(lines, start=1):
        # A tab means a table row flattened to text: never joined with its neighbours.
        text = "\t".join(normalize(cell) for cell in raw.split("\t")) if "\t" in raw else normalize(raw)
        if not text.strip("\t") or _PAGE_NUMBER.match(text):
            continue
        last = blocks[-1] if blocks else None
        continues = (
            last is not None
            and "\t" not in text and "\t" not in last.text
            and not starts_block(text)
            and not last.text.endswith(SENTENCE_END)
            and not is_heading(last.text)
        )
        if continues:
            last.extend(text, no)
        else:
            blocks.append(Block(text, no, no))
    return blocks
