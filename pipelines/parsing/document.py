"""A plan document -> the records of shared/contracts/extraction.md.

Shape of a document: a cover notice, then one or more plans. A plan is a title, a preamble, and
chapters (一、…) holding sections (（一）…) and numbered tasks; 目标 chapters hold the targets;
总体要求 and 保障措施 are skipped on purpose. When a plan's heading was lost in extraction, the
plan starts at its preamble (为…制定本行动计划) and takes its title from the notice's list.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..config import data_paths
from ..readers import SourceDocument, SourceTable, UnreadablePlanError, read_document
from ..reference import kpi_catalogue, region_tree, unit_aliases
from ..text.blocks import Block, join_wrapped_lines
from . import patterns as P
from .annex import link_rows, parse_annex
from .deadlines import find_deadlines, parse_deadline
from .ids import stable_id
from .notice import parse_notice
from .targets import find_targets
from .units import FIRST_IS_LEAD, UNIT_END, parse_responsibility, split_unit_cell, without_brackets


def _valid_date(iso: str | None) -> bool:
    try:
        return bool(iso) and bool(date.fromisoformat(iso))
    except ValueError:
        return False


def _headed_paragraph(rest: str) -> str | None:
    """The heading of a numbered paragraph that carries its text on the same line
    (加强工业污染治理。全面… -> 加强工业污染治理), None when the line is a heading alone."""
    m = re.match(r"^([^。：；]{2,30})[。：]\s*(\S.*)", rest)
    return m.group(1) if m else None


def _unglued(blocks: list[Block]) -> list[Block]:
    """Blocks split where a task or section was glued after another's units bracket."""
    out = []
    for b in blocks:
        pieces = []
        for offset in reversed(P.glued_starts(b.text)):
            b, tail = b.split(offset)
            pieces.append(tail)
        out.append(b)
        out.extend(reversed(pieces))
    return out


def _heading_only(block: Block, offset: int) -> bool:
    """A one-line paragraph of a single short sentence: （一）强化规划指导，制定年度方案。
    ``offset``: where the text starts after the paragraph's number."""
    text = block.text[offset:].rstrip("。：")
    return len(block.segments) == 1 and len(text) <= 60 and not re.search(r"[。；：（]", text)


_TABLE_ROLES = (("序号", "no"), ("牵头", "lead"), ("主责", "lead"), ("配合", "support"), ("协办", "support"),
                ("参与", "support"), ("落实", "implement"), ("时限", "deadline"), ("完成时间", "deadline"),
                ("任务", "text"), ("措施", "text"), ("内容", "text"))


def _task_table_roles(cells: list[str]) -> list[str]:
    """Column meanings of a task table's header, or [] when ``cells`` is not one (it needs a unit
    column and a text column). 责任单位 leads unless a 牵头 column does."""
    roles = [next((r for word, r in _TABLE_ROLES if word in c), "") for c in cells]
    if not any(r == "lead" for r in roles):
        roles = ["lead" if not r and "责任" in c else r for r, c in zip(roles, cells)]
    else:
        roles = ["support" if not r and "责任" in c else r for r, c in zip(roles, cells)]
    units = any(r in ("lead", "support", "implement") for r in roles)
    return roles if units and "text" in roles and all(len(c) <= 12 for c in cells) else []


class NotAPlanError(UnreadablePlanError):
    """The file reads as text but holds no action plan."""


_YEAR_IN_TITLE = re.compile(r"(20\d{2})")
_TITLE_SENTENCE = re.compile(r"^(.{2,60}?)[。；]")


@dataclass
class PlanSpan:
    title: str
    title_printed: bool
    start: int  # index of the first block
    end: int    # index after the last block
    blocks: list[Block] = field(default_factory=list)


def _plan_starts(blocks: list[Block], announced: list[str]) -> list[tuple[int, str, bool, int]]:
    """(first block, title, title printed, first block of the body) of every plan."""
    printed = [_title_start(blocks, i) for i, b in enumerate(blocks) if P.PLAN_TITLE.match(b.text)]
    if printed:
        return printed
    # Headings lost: each plan opens with its preamble; titles come from the notice, in order.
    preambles = [i for i, b in enumerate(blocks) if P.PREAMBLE.match(b.text)]
    if preambles:
        return [(i, announced[k] if k < len(announced) else f"未命名计划{k + 1}", False, i)
                for k, i in enumerate(preambles)]
    # No title and no preamble (an excerpt that starts mid-document): the plan starts at its first
    # chapter, section or numbered task, or at the very beginning when nothing before it looks
    # like a cover notice (the first lines are then the end of a task cut off by the excerpt).
    first = next((i for i, b in enumerate(blocks) if _opens_plan_body(b.text)), None)
    if first is None:
        return []
    if not any(_is_notice_line(b.text) for b in blocks[:first]):
        first = 0
    # A notice announcing several plans, printed one after another without titles or preambles:
    # each plan restarts its chapters at 一、.
    restarts = [i for i, b in enumerate(blocks) if i > first and b.text.startswith("一、") and P.is_heading(b.text)]
    starts = [first] + (restarts[:len(announced) - 1] if len(announced) > 1 else [])
    return [(i, announced[k] if k < len(announced) else f"未命名计划{k + 1}", False, i)
            for k, i in enumerate(starts)]


def _title_start(blocks: list[Block], i: int) -> tuple[int, str, bool, int]:
    """A printed title, with its first line when the title was broken over two
    (佳木斯市2018年度水污染防治 / 重点工作实施方案)."""
    prev = blocks[i - 1].text if i else ""
    if prev and len(prev) <= 40 and not re.search(r"[\t。；：，、]", prev) and re.search(r"\d{4}年|[省市县区旗]", prev) \
            and not UNIT_END.search(prev) and not _is_notice_line(prev) and not P.is_heading(prev) \
            and not P.is_structural(prev):
        return i - 1, prev + blocks[i].text, True, i + 1
    return i, blocks[i].text, True, i + 1


def _opens_plan_body(text: str) -> bool:
    return bool(P.CHAPTER.match(text) or P.SECTION.match(text) or P.BARE_CHAPTER.match(text)
                or P.task_number(text))


def _is_notice_line(text: str) -> bool:
    return bool(P.ISSUER.match(text) or P.DATE.search(text) or P.DOC_NUMBER.search(text)
                or P.NOTICE_TITLE.search(text) or P.ANNOUNCED_TITLE.search(text) or text.endswith("：")
                or "印发给你们" in text)


def split_plans(blocks: list[Block], announced: list[str]) -> tuple[list[Block], list[PlanSpan]]:
    starts = _plan_starts(blocks, announced)
    if not starts:
        return blocks, []
    spans = []
    for k, (i, title, printed, body_start) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(blocks)
        spans.append(PlanSpan(title, printed, i, end, blocks[body_start:end]))
    return blocks[:starts[0][0]], spans


def _task_title(text: str, block: Block, offset: int) -> str:
    """The task's first sentence; or its first line when that line is a heading of its own
    (## 2. 整治涉重金属矿区历史遗留固体废物 / the text follows on the next line)."""
    if len(block.segments) > 1:
        first_line = block.text[offset:block.segments[1][0]]
        if first_line and len(first_line) <= 40 and not first_line.endswith(("。", "；", "，", "、")) \
                and "。" not in first_line:
            return first_line
    m = _TITLE_SENTENCE.match(text)
    return m.group(1) if m else text[:60]


def _distinct(deadlines: list[dict]) -> list[dict]:
    """One record per phrase: 汛期 said four times in a task is one seasonal deadline."""
    seen, out = set(), []
    for d in deadlines:
        key = (d["text"], d["due_date"], d["kind"])
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out


class _PlanParser:
    """Walks one plan's blocks: chapters, sections, tasks, targets; collects what it skips."""

    def __init__(self, source: str, plan_index: int, span: PlanSpan, year: int | None, ref_dir: Path,
                 lines: list[str], region: str | None, tables: list[SourceTable],
                 issued: date | None = None, first_is_lead: bool = False):
        self.source, self.span, self.year, self.lines, self.region = source, span, year, lines, region
        self.tables = tables
        self.issued = issued  # the notice's date: relative deadlines (一年内) count from it
        self.first_is_lead = first_is_lead  # 列第一位者为牵头单位, declared somewhere in the document
        # Ids hang on the file's name without its extension: the same plan as .txt, .docx or .pdf
        # keeps its task ids, so reports already filed against it stay attached.
        self.doc_key = Path(source).stem
        self.catalogue = kpi_catalogue(ref_dir)
        self.aliases = unit_aliases(ref_dir)
        self.regions = region_tree(ref_dir)
        self.plan_id = stable_id("P", self.doc_key, plan_index, span.title)
        self.tasks: list[dict] = []
        self.targets: list[dict] = []
        self.unparsed: list[dict] = []
        self.annex_tables: list[dict] = []
        self.table_roles: list[str] = []  # column meanings of a task table in the body
        self.standing: list[tuple[str, str]] = []  # (role, unit) that 以下…不再列出 adds to later tasks

    def run(self) -> None:
        chapter = section = None
        # Read from a printed title or a preamble, a plan opens with its preamble; an excerpt that
        # starts mid-document opens among its tasks.
        first = self.span.blocks[0].text if self.span.blocks else ""
        chapter_kind = "preamble" if self.span.title_printed or P.PREAMBLE.match(first) else "tasks"
        section_kind: str | None = None  # a 目标 or 指导思想 section inside a chapter of another kind
        current: tuple[dict, Block] | None = None
        style: str | None = None  # numbering of the current section's tasks: arabic, paren, circled
        # Paragraphs without number or units, held until a paragraph names the units of the task
        # they begin (…道路保洁。/ 由县城管局负责…); listed in ``unparsed`` if none does.
        held: list[Block] = []
        sections_are_tasks = False  # the chapter's sections carry their own text: each is a task
        for b in _unglued(self.span.blocks):
            text = b.text
            if held and (P.is_structural(text) or "\t" in text):
                self._release(held)
            if P.CHAPTER.match(text) and P.is_heading(text) or P.BARE_CHAPTER.match(text):
                chapter, section, current, style, section_kind = text, None, None, None, None
                sections_are_tasks = False
                chapter_kind = self._chapter_kind(text)
                continue
            if P.ANNEX.match(text):
                # Everything from here to the end of the plan is annex: read from the raw lines,
                # where tabs and line breaks still show the table's cells, and from the tables of
                # a .docx/.pdf, cell by cell.
                end = self.span.blocks[-1].end_line
                tables = [t for t in self.tables if b.start_line <= t.first_line <= end]
                self.annex_tables, annex_unparsed = parse_annex(
                    self.lines[b.start_line - 1:end], b.start_line, self.year, tables)
                self.unparsed.extend(annex_unparsed)
                break
            if (m := P.CHAPTER.match(text)) and _headed_paragraph(m.group(2)):
                # 一、工作目标。到2025年… / 三、加强工业污染治理。全面…（县生态环境局牵头）
                chapter, section, current, style, section_kind = text, None, None, None, None
                sections_are_tasks = False
                chapter_kind = self._chapter_kind(_headed_paragraph(m.group(2)))
                if chapter_kind == "tasks":
                    current = self._start_task(P.cn_number(m.group(1)), b, "", m.start(2), headed=True)
                elif chapter_kind == "targets":
                    self.targets.extend(find_targets(b, self.catalogue, self.year))
                continue
            has_units = chapter_kind == "targets" and parse_responsibility(text, self.first_is_lead).found
            if (m := P.SECTION.match(text)) and (chapter_kind != "targets" or has_units):
                head = _headed_paragraph(m.group(2)) or m.group(2)
                # （一）…（市生态环境局牵头） in 二、目标任务: a task, whatever its chapter says
                own = "tasks" if has_units else "targets" if P.GOAL_HEADING.match(head) else \
                    "skip" if P.SKIP_SECTION.match(head) else None
                section_kind = own or ("tasks" if chapter_kind in ("preamble", "skip") and
                                       not P.SKIP_CHAPTER.search(chapter or "") else None)
                section, current, style = text, None, None
                kind = section_kind or chapter_kind
                if P.is_heading(text) and not (kind == "tasks" and sections_are_tasks):
                    continue
                if kind == "targets":
                    self.targets.extend(find_targets(b, self.catalogue, self.year))
                elif kind == "tasks":
                    # （一）严格落实网格化监管。持续推进…（责任单位：…）: the section is the task, and so
                    # are the next sections of the chapter (unless numbered tasks follow one).
                    section, sections_are_tasks = None, True
                    current = self._start_task(P.cn_number(m.group(1)), b, chapter, m.start(2), headed=True)
                continue
            kind = section_kind or chapter_kind
            number = P.task_number(text)
            if kind == "preamble" and number:
                kind = chapter_kind = "tasks"  # numbered tasks straight after the preamble
            if kind in ("preamble", "skip") or P.INTERPRETATION.match(text):
                continue
            if kind == "targets" and number and parse_responsibility(text, self.first_is_lead).found:
                # 二、目标任务 holding numbered tasks with their units: from here on, tasks
                kind = chapter_kind = "tasks"
                section_kind = None
            if kind == "targets":
                self.targets.extend(find_targets(b, self.catalogue, self.year))
                continue
            if P.SECTION.match(text) and P.is_heading(text):
                section, current, style = text, None, None
                continue
            if "\t" in text and (row := self._table_row(text, b, section or chapter)) is not None:
                current = None
                if row:
                    style = style or "table"
                continue
            if P.UNIT_LABEL_LINE.match(text):
                if current is not None:
                    current[1].merge(b)  # 牵头单位：… under the task
                else:
                    self._not_understood(b, "任务之外的责任单位行 / a unit line outside any task")
                continue
            if number:
                no, this_style, offset = number
                if current is not None and current[0].get("_headed") and \
                        _heading_only(current[1], current[0]["_offset"]):
                    # the numbered tasks of a section printed as one sentence: （一）强化工业治理。
                    self.tasks.remove(current[0])
                    section, current = current[1].text, None
                if current is not None:
                    task = current[0]
                    if task.get("_headed") or (style and this_style != style) or \
                            (task["no"] is not None and no <= task["no"]):
                        current[1].merge(b)  # an enumeration inside a task (1.… 2.… / （1）… ①…)
                        continue
                style = style or this_style
                current = self._start_task(no, b, section or chapter, offset)
                continue
            if current is not None and not (current[0]["no"] is None and self._owns_units(current[1])
                                            and parse_responsibility(text, self.first_is_lead).found):
                current[1].merge(b)  # a task continued after a page break
                continue
            if parse_responsibility(text, self.first_is_lead).found:  # a task printed without a number
                current = self._start_task(None, held[0] if held else b, section or chapter, 0)
                for part in held[1:] + ([b] if held else []):
                    current[1].merge(part)
                held = []
                continue
            if chapter is None and section is None and (found := find_targets(b, self.catalogue, self.year)):
                self.targets.extend(found)  # an excerpt that opens inside the plan's 目标 section
                continue
            held.append(b)
        self._release(held)
        for task, block in [(t, t.pop("_block")) for t in self.tasks]:
            self._finish_task(task, block)
        link_rows(self.annex_tables, self.tasks)
        self._add_ledger_deadlines()

    def _add_ledger_deadlines(self) -> None:
        """A ledger row's 完成时限 is a deadline of the body task it repeats."""
        by_id = {t["task_id"]: t for t in self.tasks}
        for table in self.annex_tables:
            for row in table["rows"]:
                task = by_id.get(row["task_id"])
                if task is None or not row["due"]:
                    continue
                due = dict(row["due"], source="annex", line=row["start_line"])
                # the same deadline said twice is kept once; 长期坚持 is not the same as 2022年8月份起
                if not any((d["due_date"], d["kind"], d.get("start_date")) ==
                           (due["due_date"], due["kind"], due.get("start_date")) for d in task["deadlines"]):
                    task["deadlines"].append(due)

    @staticmethod
    def _chapter_kind(title: str) -> str:
        if P.SKIP_CHAPTER.search(title):
            return "skip"
        if P.TARGET_CHAPTER.search(title):
            return "targets"
        return "tasks"

    def _not_understood(self, b: Block, reason: str) -> None:
        self.unparsed.append({"start_line": b.start_line, "end_line": b.end_line, "reason": reason})

    def _release(self, held: list[Block]) -> None:
        for b in held:
            self._not_understood(b, "任务章节中无法识别的段落 / paragraph in a task chapter not recognised as a task")
        held.clear()

    def _owns_units(self, block: Block) -> bool:
        """An unnumbered task already closed by its units: a next paragraph with units of its own
        is the next unnumbered task (严格环境准入。…（市发改委牵头） / 加快淘汰落后产能。…（市工信局牵头）)."""
        return parse_responsibility(block.text, self.first_is_lead).found

    def _table_row(self, text: str, b: Block, section: str | None) -> bool | None:
        """A task table in the body (序号 | 重点任务 | 牵头部门 | 配合部门 | 完成时限), one row per line:
        True for a task row, False for the header, None when the line is no part of such a table."""
        cells = [c.strip() for c in text.split("\t")]
        roles = _task_table_roles(cells)
        if roles:
            self.table_roles = roles
            return False
        if not self.table_roles or len(cells) < 2:
            return None
        units: dict[str, list[str]] = {}
        no = due = None
        body = ""
        for role, cell in zip(self.table_roles, cells):
            if role == "no" and cell.isdigit():
                no = int(cell)
            elif role == "text" and cell:
                body = f"{body}{cell}" if not body else f"{body}。{cell}"
            elif role in ("lead", "support", "implement") and cell:
                units.setdefault(role, []).extend(split_unit_cell(cell))
            elif role == "deadline" and cell:
                due = cell
        if not body:
            return None
        task, _ = self._start_task(no, Block(body, b.start_line, b.end_line), section, 0)
        task["_units"], task["_due"] = units, due
        return True

    def _start_task(self, no: int | None, b: Block, section: str | None, offset: int,
                    headed: bool = False) -> tuple[dict, Block]:
        """``offset``: where the text starts after the number; ``headed``: a chapter or section
        paragraph that is itself the task (its numbered lines are an enumeration of it)."""
        block = Block(b.text, b.start_line, b.end_line, list(b.segments))
        task = {"no": no, "section": section or "", "_block": block, "_offset": offset}
        if headed:
            task["_headed"] = True
        self.tasks.append(task)
        return task, block

    def _finish_task(self, task: dict, block: Block) -> None:
        offset = task.pop("_offset")
        task.pop("_headed", None)
        body = block.text[offset:]
        line_starts = tuple(off - offset for off, _ in block.segments if off > offset)
        resp = parse_responsibility(body, self.first_is_lead, line_starts)
        for role, units in task.pop("_units", {}).items():  # the unit columns of a task table
            resp.add(role, units)
        due_cell = task.pop("_due", None)
        core = without_brackets(body, resp.spans)
        if resp.not_units:  # never dropped silently: listed for a person to look at
            self._not_understood(block, "责任分工中无法识别为单位的名称 / names in a responsibility clause that "
                                        "do not look like units: " + "、".join(resp.not_units))
        # Named once in an earlier task (以下均需…负责落实，不再列出): recorded in ``units`` as
        # propagated, while lead/support/implement stay as printed in this task.
        printed = {u for r in ("lead", "support", "implement") for u in getattr(resp, r)}
        propagated = [(role, u) for role, u in self.standing if u not in printed]
        self.standing.extend((role, u) for role, units in resp.standing.items() for u in units
                             if (role, u) not in self.standing)
        task.update({
            "task_id": stable_id("T", self.doc_key, self.plan_id, task["section"], task["no"], body),
            "title": _task_title(body, block, offset),
            "text": body,
            "start_line": block.start_line,
            "end_line": block.end_line,
            "lead": resp.lead,
            "support": resp.support,
            "implement": resp.implement,
            "deadlines": _distinct([dict(d, source="text", line=block.line_at(offset + d.pop("offset")))
                                    for d in find_deadlines(core, self.year, True, self.issued)]
                                   + ([dict(parse_deadline(due_cell, self.year, self.issued), source="text",
                                            line=block.start_line)] if due_cell else [])),
        })
        task["units"] = [self._unit_record(role, u, False)
                         for role in ("lead", "support", "implement") for u in task[role]]
        task["units"] += [self._unit_record(role, u, True) for role, u in propagated]
        self.targets.extend(
            dict(t, task_id=task["task_id"])
            for t in find_targets(block, self.catalogue, self.year, text=core, base=offset))

    def _unit_record(self, role: str, printed: str, propagated: bool) -> dict:
        record = {"role": role, "unit_printed": printed,
                  "unit": self.aliases.canonical(printed, self.region)}
        members = self.regions.members_of(printed, self.region)
        if members:
            record["members"] = members
        if propagated:
            record["propagated"] = True
        return record

    def record(self) -> dict:
        title = self.span.title
        year = self.year
        return {
            "plan_id": self.plan_id,
            "title": title,
            "domain": P.domain_of(title, "".join(b.text for b in self.span.blocks[:40])),
            "year": year,
            "title_printed": self.span.title_printed,
            "start_line": (self.span.blocks[0].start_line - (1 if self.span.title_printed else 0))
            if self.span.blocks else None,
            "end_line": self.span.blocks[-1].end_line if self.span.blocks else None,
            "tasks": self.tasks,
            "targets": self.targets,
            "annex_tables": self.annex_tables,
        }


def parse_lines(lines: list[str], source: str, reference_dir: Path | None = None,
                tables: list[SourceTable] | None = None) -> dict:
    """``tables``: the tables a .docx/.pdf reader found among ``lines`` (none for text)."""
    ref_dir = Path(reference_dir or data_paths().reference)
    blocks = join_wrapped_lines(lines, P.is_structural, P.closes_block)
    notice_blocks, spans = split_plans(blocks, [])
    notice = parse_notice(notice_blocks if spans else blocks)
    if not spans or not any(s.title_printed for s in spans):
        notice_blocks, spans = split_plans(blocks, notice["announced_titles"])
        notice = parse_notice(notice_blocks)
    issued = date.fromisoformat(notice["issue_date"]) if _valid_date(notice["issue_date"]) else None
    doc_year = issued.year if issued else None
    first_is_lead = any(FIRST_IS_LEAD.search(b.text) for b in blocks)
    plans, unparsed = [], []
    for index, span in enumerate(spans):
        m = _YEAR_IN_TITLE.search(span.title)
        parser = _PlanParser(source, index, span, int(m.group(1)) if m else doc_year, ref_dir,
                             lines, notice["region"], tables or [], issued, first_is_lead)
        parser.run()
        plan = parser.record()
        if span.title_printed:
            plan["start_line"] = blocks[span.start].start_line
        plans.append(plan)
        unparsed.extend(parser.unparsed)
    if not any(p["tasks"] or p["targets"] for p in plans):
        raise NotAPlanError(
            f"{source}: 未找到行动计划的标题、章节或任务，这不是一份行动计划 / no plan title, chapter or "
            "numbered task found: this is not an action plan")
    return {
        "source": source,
        "doc_id": stable_id("D", Path(source).stem),
        "issuer": notice["issuer"],
        "region": notice["region"],
        "issue_date": notice["issue_date"],
        "doc_number": notice["doc_number"],
        "announced_titles": notice["announced_titles"],
        "plans": plans,
        "unparsed": unparsed,
    }


def parse_source(source: SourceDocument, name: str, reference_dir: Path | None = None) -> dict:
    """The records of a document a reader has read (any format)."""
    doc = parse_lines(source.lines, name, reference_dir, source.tables)
    doc["format"] = source.format
    return doc


def parse_document(path: Path, reference_dir: Path | None = None) -> dict:
    path = Path(path)
    return parse_source(read_document(path), path.name, reference_dir)
