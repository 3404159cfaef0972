"""Responsible units and their roles, from the closing bracket of a task.

Forms seen in real plans:
  （市水利局、市生态环境局按职责牵头，市财政局配合，各县区人民政府负责。以下…不再列出）
  〔责任单位：市生态环境局，各县（市、区）人民政府、开发区管委会〕
  （市发展改革委、市工信局负责，各县区人民政府、高新区管委会落实）
Roles: 牵头·负责·责任单位 -> lead; 配合·参与·协助 -> support; 落实 -> implement.

Other layouts read here:
  labelled lines under a task (牵头单位：… / 配合单位：… / 责任单位：… / 主责单位：… / 协办单位：…),
  and an unlabelled line of units after them (the implementers: 各街道办事处、高新区管委会);
  列第一位者为牵头单位 (declared once): a bracket of bare names is lead + supports;
  prose 由…负责 (由各乡镇负责辖区内巡查): lead.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..text.normalize import normalize

OPEN = "（〔【["
CLOSE = "）〕】]"
_ROLE_WORDS = ("按职责分工落实|牵头落实|牵头督导|牵头负责|牵头抓总|总牵头|牵头|负责落实|具体落实|组织实施|负责|配合落实|"
               "配合|参与|协助|落实")
# Lazy prefix: the whole phrase 按职责分工落实 is tried before 按职责分工 + 落实.
_ROLE_SUFFIX = re.compile(rf"(?:按职责分工|按职责|分别)*?({_ROLE_WORDS})$")
# 县环保局牵头、县住建局配合: two roles in one clause, split after each role word.
_ROLE_BOUNDARY = re.compile(r"(?<=牵头|负责|配合|参与|协助|落实)[、，](?=.)")
# 负责落实 is the implementing role of local governments; 按职责分工落实 names the departments in charge.
_ROLE_OF = {"牵头": "lead", "牵头落实": "lead", "牵头督导": "lead", "牵头负责": "lead", "牵头抓总": "lead",
            "总牵头": "lead", "负责": "lead", "负责落实": "implement", "具体落实": "implement", "组织实施": "implement",
            "配合落实": "support",
            "按职责分工落实": "lead",
            "配合": "support", "参与": "support", "协助": "support", "落实": "implement"}
_RESPONSIBLE_PREFIX = re.compile(r"^(?:责+任单位|牵头单位|责任部门)[：:]?")
_GENERAL_NOTE = re.compile(r"以下|不再列出|均需|下同|首位|第一位")
# 列第一位者为牵头单位 / 排在首位的为牵头部门: the first name of a bare list leads, the others support.
FIRST_IS_LEAD = re.compile(r"(?:列|排|位)(?:在|于)?(?:第一位|首位|第一|最前)(?:者|的)?(?:单位|部门)?(?:为|是)牵头")
_STANDING_NOTE = re.compile(r"^以下(?:各项任务|各项|所有任务)?(?:和专项行动)?(?:均需|均由|均)(.+)$")
_UNIT_HINT = re.compile(r"局|委|政府|办|中心|公司|院|队|管委会|部|厅|站|所|处|镇|乡|分局|小组|单位|开发区|园区|段|社|集团|银行")


@dataclass
class Responsibility:
    lead: list[str] = field(default_factory=list)
    support: list[str] = field(default_factory=list)
    implement: list[str] = field(default_factory=list)
    # 以下均需…负责落实，不再列出: units named once for this and every later task of the plan
    standing: dict[str, list[str]] = field(default_factory=dict)
    spans: list[tuple[int, int]] = field(default_factory=list)  # the responsibility brackets
    not_units: list[str] = field(default_factory=list)  # names in a role clause that do not look like units

    def add(self, role: str, units: list[str]) -> None:
        bucket = getattr(self, role)
        bucket.extend(u for u in units if u not in bucket)

    @property
    def found(self) -> bool:
        return bool(self.lead or self.support or self.implement)


def split_top_level(text: str, seps: str) -> list[str]:
    """Split on separators that are not inside brackets: 各县（市、区）人民政府 stays whole."""
    parts, depth, cur = [], 0, ""
    for ch in text:
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE and depth:
            depth -= 1
        if ch in seps and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    return [p.strip() for p in parts if p.strip()]


def parse_clause(clause: str, default_role: str | None) -> tuple[str | None, list[str]]:
    if (label := _LABEL.match(clause)):  # （责任单位：…；配合单位：…）: the label names the role
        default_role = _LABEL_ROLE[label.group(1)]
        clause = clause[label.end():]
    clause = _RESPONSIBLE_PREFIX.sub("", clause)
    m = _ROLE_SUFFIX.search(clause)
    role = _ROLE_OF[m.group(1)] if m else default_role
    names = clause[:m.start()] if m else clause
    return role, clean_names(split_top_level(names, "、"))


# 市住建局等 -> 市住建局; 各镇人民政府和新绛经济技术开发区管委会 -> two units.
_AND = re.compile(r"(?<=[局府会委队心])(?:和|及|以及)(?=.)")


# 各县、区人民政府 / 各市、县人民政府: one collective whose list of levels the 、 split apart.
_ROUND_BRACKETS = str.maketrans("〔〕", "（）")
_LEVEL_ONLY = re.compile(r"^各?[省市州县区乡镇旗]{1,2}$")
_LEVEL_GOVERNMENT = re.compile(r"^[省市州县区乡镇旗]{1,2}(?:人民)?政府")


def clean_names(names: list[str]) -> list[str]:
    out: list[str] = []
    joined: list[str] = []
    for name in names:
        if joined and _LEVEL_ONLY.match(joined[-1]) and _LEVEL_GOVERNMENT.match(name):
            joined[-1] += "、" + name
        else:
            joined.append(name)
    for name in joined:
        name = name.translate(_ROUND_BRACKETS)  # 各县〔市、区〕人民政府 -> 各县（市、区）人民政府
        for part in _AND.split(name):
            part = re.sub(r"等$", "", part.strip())
            if part and part not in out:
                out.append(part)
    return out


_BRACKET_CHAR = re.compile("[" + re.escape(OPEN + CLOSE) + "]")


def _top_level_brackets(text: str) -> list[tuple[int, int]]:
    """(start, end) of every outermost bracket pair; end is the offset after the closing bracket."""
    spans, depth, start = [], 0, 0
    for m in _BRACKET_CHAR.finditer(text):  # only the brackets, not every character
        i, ch = m.start(), m.group()
        if ch in OPEN:
            if depth == 0:
                start = i
            depth += 1
        elif ch in CLOSE and depth:
            depth -= 1
            if depth == 0:
                spans.append((start, i + 1))
    if depth and text[start] in "（(":
        spans.append((start, len(text)))  # cut off before it closed: the end of an excerpt
    return spans


def _bare_units(clause: str) -> list[str] | None:
    """The names of a clause that is nothing but unit names (市工信局、市发改委（市能源办）), else None."""
    names = clean_names(split_top_level(clause, "、，"))
    return names if names and all(looks_like_unit(n) for n in names) else None


def looks_like_unit(name: str) -> bool:
    """A body's name: ends like one (局, 政府, 管委会 …) or names a collective (各县（市、区）)."""
    return bool(UNIT_END.search(without_inner_brackets(name))) or (name.startswith("各") and len(name) <= 20)


def without_inner_brackets(name: str) -> str:
    """市发改委（市能源办） -> 市发改委: the name's own ending decides whether it is a unit."""
    return re.sub(r"（[^（）]*）$", "", name)


def _read_bracket(inner: str, result: Responsibility, first_is_lead: bool = False) -> bool:
    """Add the units of one bracket; False when the bracket is not a responsibility, e.g. （2023—2025年）."""
    explicit = bool(_RESPONSIBLE_PREFIX.match(inner))
    first = split_top_level(inner, "，。；")[0] if inner.strip() else ""
    first_leads = first_is_lead or bool(FIRST_IS_LEAD.search(inner))
    if not explicit and not _ROLE_SUFFIX.search(first):
        # the whole bracket when it is only names (市住建局、市城管局，各县区人民政府), else its first clause
        bare = (_bare_units(inner) or _bare_units(first)) if first_leads else None
        if not bare:
            return False
        result.add("lead", bare[:1])
        result.add("support", bare[1:])
        return True
    clauses = [part for clause in split_top_level(inner, "，。；") for part in _ROLE_BOUNDARY.split(clause)]
    if explicit and first_leads and not any(_ROLE_SUFFIX.search(c) for c in clauses) \
            and not any(_LABEL.match(c) for c in clauses[1:]):
        # （责任单位：市农业农村局、市生态环境局） under 列第一位者为牵头单位: the first leads
        names = [n for c in clauses for n in parse_clause(c, "lead")[1] if _UNIT_HINT.search(n)]
        result.add("lead", names[:1])
        result.add("support", names[1:])
        return True
    label_role = None  # 配合单位：A、B，C — C is still a 配合单位
    for clause in clauses:
        if (note := _STANDING_NOTE.match(clause)):
            role, units = parse_clause(note.group(1), None)
            if role and units:
                result.standing.setdefault(role, []).extend(units)
                result.add(role, units)
            continue
        if _GENERAL_NOTE.search(clause):
            continue
        if (label := _LABEL.match(clause)):
            label_role = _LABEL_ROLE[label.group(1)]
        role, units = parse_clause(clause, label_role or ("lead" if explicit else None))
        result.not_units.extend(u for u in units if not _UNIT_HINT.search(u))
        units = [u for u in units if _UNIT_HINT.search(u)]
        if role and units:
            result.add(role, units)
    return True


def parse_responsibility(task_text: str, first_is_lead: bool = False,
                         line_starts: tuple[int, ...] = ()) -> Responsibility:
    """Units by role from every responsibility bracket that closes a sentence of the task, from
    labelled unit lines (``line_starts``: offsets where a source line begins) and from 由…负责.

    A task may name units twice: …成果。（县住建局牵头）严控餐饮油烟污染…。（县市场监管局牵头）
    ``first_is_lead``: the document declared 列第一位者为牵头单位.
    """
    result = Responsibility()
    end = len(task_text.rstrip("。；;. "))
    for start, stop in _top_level_brackets(task_text):
        closes_sentence = stop >= end or task_text[start - 1:start] in ("。", "；") or start == 0
        inner = task_text[start + 1:stop - 1] if task_text[stop - 1] in CLOSE else task_text[start + 1:stop]
        if closes_sentence and _read_bracket(inner, result, first_is_lead):
            result.spans.append((start, stop))
    _read_labels(task_text, result, line_starts)
    _read_prose(task_text, result)
    if not result.found:
        for m in _BY_UNIT.finditer(task_text):
            if not any(s <= m.start() < e for s, e in result.spans):
                result.add("lead", [u for u in clean_names(split_top_level(m.group(1), "、"))
                                    if looks_like_unit(u)])
    return result


# 牵头单位：… / 【配合部门】… / 主要责任单位：…; a label's names stop at the next field (完成时限：…).
_LABEL = re.compile(r"[【〔]?(?:主要)?(牵头|主责|责任|配合|协办|协助|参与|实施|落实)(?:单位|部门)(?:（[^）]{0,6}）)?"
                    r"(?:[】〕][：:]?|[：:])")
_LABEL_BRACKET = re.compile(r"^(?:主要)?(?:牵头|主责|责任|配合|协办|协助|参与|实施|落实)(?:单位|部门)$")
_NEXT_FIELD = re.compile(r"(?:完成时限|完成时间|时间节点|时限要求|责任人|责任领导|牵头领导|分管领导)[：:】]")
_LABEL_ROLE = {"牵头": "lead", "主责": "lead", "责任": "lead", "配合": "support", "协办": "support",
               "协助": "support", "参与": "support", "实施": "implement", "落实": "implement"}
# 由各乡镇人民政府负责 / 由县生态环境分局牵头负责: the named bodies lead.
_UNIT_WORD = r"(?:局|委|政府|办|中心|管委会|厅|镇|乡|街道|办事处|公司|分局)"
_BY_UNIT = re.compile(rf"由((?:[^，。；：由]{{1,30}}?{_UNIT_WORD}(?:（[^）]{{1,10}}）)?[、和及]?)+?)(?:牵头)?(?:负责|组织实施|落实)")


def _unmatched_close(text: str) -> int | None:
    """Offset of the first 。 or closing bracket that closes nothing opened in ``text``."""
    depth = 0
    for m in re.finditer(r"[。（〔【(）〕】)]", text):
        ch = m.group()
        if ch in "（〔【(":
            depth += 1
        elif ch == "。" or depth == 0:
            return m.start()
        else:
            depth -= 1
    return None


def _read_prose(text: str, result: Responsibility) -> None:
    """县工信局牵头，县发改局、县生态环境局配合。/ 由市水利局负责，市城管局协助。: clauses outside any
    bracket that are nothing but unit names and a role word."""
    masked = without_brackets(text, result.spans + _top_level_brackets(text))  # blanks, offsets kept
    start = 0
    for m in re.finditer(r"[，。；]|$", masked):
        clause = masked[start:m.start()]
        start = m.end()
        if not clause or " " in clause or not (role := _ROLE_SUFFIX.search(clause)):
            continue
        names = clean_names(split_top_level(re.sub(r"^由", "", clause[:role.start()]), "、"))
        if names and all(looks_like_unit(n) and len(n) <= 20 for n in names):
            result.add(_ROLE_OF[role.group(1)], names)


def _read_labels(text: str, result: Responsibility, line_starts: tuple[int, ...]) -> None:
    """牵头单位：A / 配合单位：B、C / (unlabelled) D、E — each label's names run to the end of its
    line, the next label or the sentence; whole lines of unit names after the last label implement."""
    # A label inside a bracket is the bracket's business (read above, or deliberately not).
    brackets = [(s, e) for s, e in _top_level_brackets(text) if not _LABEL_BRACKET.match(text[s + 1:e - 1])]
    labels = [m for m in _LABEL.finditer(text) if not any(s <= m.start() < e for s, e in brackets)]
    if not labels:
        return
    bounds = sorted(set(line_starts) | {len(text)})
    last_end = 0
    for k, m in enumerate(labels):
        stop = min([b for b in bounds if b > m.end()] + [labels[k + 1].start() if k + 1 < len(labels) else len(text)])
        body = text[m.end():stop]
        if (cut := _unmatched_close(body)) is not None:  # 各乡（镇）人民政府 stays whole
            body, stop = body[:cut], m.end() + cut + 1
        if (field := _NEXT_FIELD.search(body)):
            body, stop = body[:field.start()], m.end() + field.start()
        role, names = _LABEL_ROLE[m.group(1)], clean_names(split_top_level(body.strip("；;，, "), "、，,；;"))
        result.add(role, [n for n in names if _UNIT_HINT.search(n)])
        result.not_units.extend(n for n in names if not _UNIT_HINT.search(n))
        result.spans.append((m.start(), stop))
        last_end = stop
    # Lines after the last label that hold nothing but unit names: the implementers.
    for k, start in enumerate(bounds[:-1]):
        if start < last_end:
            continue
        line = text[start:bounds[k + 1]]
        if start != last_end or not (names := _bare_units(line.strip("。；; "))):
            break
        result.add("implement", names)
        result.spans.append((start, bounds[k + 1]))
        last_end = bounds[k + 1]


def without_brackets(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with the responsibility brackets blanked out, offsets unchanged."""
    chars = list(text)
    for start, stop in spans:
        chars[start:stop] = " " * (stop - start)
    return "".join(chars)


# A unit name ends with one of these; a fragment that does not was broken across lines or cells
# (县工信 / 科技局, 住房和城乡建设 管理局) and is joined to the next.
UNIT_END = re.compile(r"(?:局|委|政府|管委会|管理委员会|办|中心|公司|集团|院|队|所|站|镇|乡|部|厅|处|监狱|单位|分局|街道)$")
# Two names printed without a separator: 市生态环境局芮城分局县工科局.
_GLUED = re.compile(r"(?<=[局府会委司])(?=[市县各])")
_CELL_SEPARATORS = re.compile(r"[、，,；;/\s\u3000]+")


def split_unit_cell(cell: str) -> list[str]:
    """The units of a ledger cell as printed, split on separators, spaces and glued names."""
    parts = [normalize(p) for p in _CELL_SEPARATORS.split(cell.strip()) if p.strip()]
    joined: list[str] = []
    for part in parts:
        if joined and not UNIT_END.search(joined[-1]):
            joined[-1] += part
        else:
            joined.append(part)
    names = [_ROLE_SUFFIX.sub("", u) for name in joined for u in _GLUED.split(name)]
    return clean_names(names)
