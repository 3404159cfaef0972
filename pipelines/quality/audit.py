"""The latest validation run, summarised for an auditor or a script (`plankpi audit`)."""
from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

_LATEST = """
select run_id, max(validated_at) as last_at from raw.validation_results
group by run_id order by last_at desc limit 1
"""


@dataclass
class SuiteSummary:
    suite: str
    asset: str
    expectations: int
    failed_critical: int
    failed_warning: int


@dataclass
class AuditSummary:
    run_id: str
    validated_at: str
    suites: list[SuiteSummary] = field(default_factory=list)
    # (suite, severity, expectation, column, observed, unexpected rows, sample)
    failures: list[tuple] = field(default_factory=list)

    @property
    def blocked(self) -> bool:
        return any(s.failed_critical for s in self.suites)


def latest_audit(con: duckdb.DuckDBPyConnection) -> AuditSummary | None:
    found = con.execute(_LATEST).fetchone()
    if found is None:
        return None
    run_id, at = found
    summary = AuditSummary(run_id, str(at)[:19])
    for row in con.execute("""
            select suite, any_value(asset), count(*),
                   count(*) filter (where not success and severity = 'critical'),
                   count(*) filter (where not success and severity <> 'critical')
            from raw.validation_results where run_id = ? group by suite order by suite""", [run_id]).fetchall():
        summary.suites.append(SuiteSummary(*row))
    summary.failures = con.execute("""
            select suite, severity, expectation, column_name, observed_value, unexpected_count, sample_unexpected
            from raw.validation_results where run_id = ? and not success
            order by severity = 'critical' desc, suite""", [run_id]).fetchall()
    return summary


def render(summary: AuditSummary) -> str:
    lines = [f"校验运行 / validation run {summary.run_id}  ({summary.validated_at})", ""]
    width = max(len(s.suite) for s in summary.suites)
    for s in summary.suites:
        state = ("阻断 / BLOCKING" if s.failed_critical else "警告 / warning" if s.failed_warning else "通过 / ok")
        lines.append(f"  {s.suite:<{width}}  {s.asset:<28} {s.expectations:>3} 项 / expectations  "
                     f"{s.failed_critical} 阻断 / blocking  {s.failed_warning} 警告 / warnings  {state}")
    for suite, severity, expectation, column, observed, unexpected, sample in summary.failures:
        lines.append(f"  - [{severity}] {suite}: {expectation}({column or ''}) observed={observed} "
                     f"unexpected_rows={unexpected} sample={(sample or '')[:200]}")
    lines.append("")
    lines.append("结论 / verdict: " + ("存在阻断性问题，快照未发布 / blocking failures: not published"
                                      if summary.blocked else "可发布 / publishable"))
    return "\n".join(lines)
