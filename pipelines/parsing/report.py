"""What the parser recovered from each document, for a person checking it (``plankpi parse --report``)."""
from __future__ import annotations

from collections import Counter

from ..reference import UnitAliases


def plan_report(plan: dict, aliases: UnitAliases, region: str | None) -> dict:
    rows = [r for t in plan["annex_tables"] for r in t["rows"]]
    ledger = [r for t in plan["annex_tables"] if t["kind"] == "task_ledger" for r in t["rows"]]
    units = {u["unit_printed"] for t in plan["tasks"] for u in t["units"]}
    units |= {u for r in rows for u in r["units"]}
    return {
        "title": plan["title"],
        "tasks": len(plan["tasks"]),
        "targets": len(plan["targets"]),
        "targets_by_kind": dict(Counter(g.get("kind", "outcome") for g in plan["targets"])),
        "targets_by_kpi": dict(Counter(g["kpi"] for g in plan["targets"])),
        "annex_tables": len(plan["annex_tables"]),
        "annex_rows": len(rows),
        "ledger_rows_linked": sum(1 for r in ledger if r["task_id"]),
        "ledger_rows_unlinked": sum(1 for r in ledger if not r["task_id"]),
        "deadlines_by_kind": dict(Counter(d["kind"] for t in plan["tasks"] for d in t["deadlines"])),
        "tasks_without_deadline": sum(1 for t in plan["tasks"] if not t["deadlines"]),
        "tasks_without_unit": sum(1 for t in plan["tasks"] if not t["units"]),
        "units_not_in_alias_table": sorted(u for u in units if not aliases.known(u, region)),
    }


def document_report(doc: dict, aliases: UnitAliases) -> dict:
    return {
        "source": doc["source"],
        "region": doc["region"],
        "plans": [plan_report(p, aliases, doc["region"]) for p in doc["plans"]],
        "unparsed": [(u["start_line"], u["end_line"], u["reason"]) for u in doc["unparsed"]],
    }


def _counts(counter: dict) -> str:
    """'pm25_concentration 2，other 3', most first ('other' is a KPI code like the rest: counted)."""
    return "，".join(f"{k} {v}" for k, v in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))) or "—"


def format_report(report: dict) -> str:
    lines = [f"== {report['source']} ({report['region']})"]
    for p in report["plans"]:
        kinds = "，".join(f"{k} {v}" for k, v in sorted(p["deadlines_by_kind"].items())) or "—"
        lines += [
            f"  《{p['title']}》",
            f"    任务 tasks {p['tasks']} · 目标 targets {p['targets']} · 附表 annex tables {p['annex_tables']}"
            f" · 附表行 annex rows {p['annex_rows']}（台账已关联 linked {p['ledger_rows_linked']}，"
            f"未关联 unlinked {p['ledger_rows_unlinked']}）",
            f"    目标 targets by kind: {_counts(p['targets_by_kind'])}；by KPI: {_counts(p['targets_by_kpi'])}",
            f"    时限 deadlines: {kinds}；无时限任务 tasks without deadline {p['tasks_without_deadline']}；"
            f"无责任单位 without unit {p['tasks_without_unit']}",
            f"    别名表外单位 units not in alias table ({len(p['units_not_in_alias_table'])}): "
            + ("、".join(p["units_not_in_alias_table"]) or "—"),
        ]
    lines.append(f"  未识别 unparsed spans: {len(report['unparsed'])}")
    lines += [f"    行 lines {a}–{b}: {reason}" for a, b, reason in report["unparsed"]]
    return "\n".join(lines)
