"""Responsible units and their roles, from the closing bracket of a task.

Forms seen in real plans:
  （市水利局、市生态环境局按职责牵头，市财政局配合，各县区人民政府负责。以下…不再列出）
  〔责任单位：市生态环境局，各县（市、区）人民政府、开发区管委会〕
  （市发展改革委、市工信局负责，各县区人民政府、高新区管委会落实）
Roles: 牵头·负责·责任单位 -> lead; 配合·参与·协助 -> support; 落实 -> implement.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

OPEN = "（〔【["
CLOSE = "）〕】]"
_ROLE_SUFFIX = re.compile(
    r"(?:按职责分工|按职责|分别)?(牵头落实|牵头|负责落实|负责|配合|参与|协助|落实)$")
_ROLE_OF = {"牵头": "lead", "牵头落实": "lead", "负责": "lead", "负责落实": "lead",
            "配合": "support", "参与": "support", "协助": "support", "落实": "implement"}
_RESPONSIBLE_PREFIX = re.compile(r"^(?:责任单位|牵头单位|责任部门)[：:]?")
_GENERAL_NOTE = re.compile(r"以下|不再列出|均需")
_UNIT_HINT = re.compile(r"局|委|政府|办|中心|公司|院|队|管委会|部|厅|站|所|处|镇|乡|分局|小组|单位")


@dataclass
class Responsibility:
    lead: list[str] = field(default_factory=list)
    support: list[str] = field(default_factory=list)
    implement: list[str] = field(default_factory=list)
    start: int = -1  # offset of the bracket in the task text, -1 when none

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


def closing_bracket(text: str) -> tuple[int, str] | None:
    """(offset, inner text) of the balanced bracket that ends the task text, if any."""
    end = len(text.rstrip("。；;. "))
    if end == 0 or text[end - 1] not in CLOSE:
        return None
    depth = 0
    for i in range(end - 1, -1, -1):
        ch = text[i]
        if ch in CLOSE:
            depth += 1
        elif ch in OPEN:
            depth -= 1
            if depth == 0:
                return i, text[i + 1:end - 1]
    return None


def parse_clause(clause: str, default_role: str | None) -> tuple[str | None, list[str]]:
    clause = _RESPONSIBLE_PREFIX.sub("", clause)
    m = _ROLE_SUFFIX.search(clause)
    role = _ROLE_OF[m.group(1)] if m else default_role
    names = clause[:m.start()] if m else clause
    units = [u for u in split_top_level(names, "、") if u]
    return role, units


def parse_responsibility(task_text: str) -> Responsibility:
    found = closing_bracket(task_text)
    result = Responsibility()
    if not found:
        return result
    start, inner = found
    explicit = bool(_RESPONSIBLE_PREFIX.match(inner))
    if not explicit and not (_ROLE_SUFFIX.search(split_top_level(inner, "，。；")[0] or "")):
        return result  # a bracket that is not a responsibility, e.g. （2023—2025年）
    for clause in split_top_level(inner, "，。；"):
        if _GENERAL_NOTE.search(clause):
            continue
        role, units = parse_clause(clause, "lead" if explicit else None)
        units = [u for u in units if _UNIT_HINT.search(u)]
        if role and units:
            result.add(role, units)
    result.start = start if result.found else -1
    return result
