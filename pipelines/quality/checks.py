"""Which suite validates which warehouse table: one place for the SQL that feeds each suite."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SuiteTarget:
    suite: str
    asset: tuple[str, ...]  # the Dagster asset key the check belongs to
    query: str


SUITES = (
    SuiteTarget(
        "parsed_tasks", ("raw", "tasks"),
        """
        select t.task_id, t.plan_id, t.text, p.domain,
               count(u.unit) filter (where u.role = 'lead') as lead_count,
               count(u.unit) as unit_count
        from raw.tasks t
        join raw.plans p using (plan_id)
        left join raw.task_units u using (task_id)
        group by all
        """),
    SuiteTarget("mart_completion", ("marts", "mart_completion"), "select * from marts.mart_completion"),
    SuiteTarget("mart_target_attainment", ("marts", "mart_target_attainment"),
                "select * from marts.mart_target_attainment"),
)
