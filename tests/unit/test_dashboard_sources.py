"""The dashboard reads marts only (issue 23; dbt exposure plankpi_dashboard): no query in dashboards/ names a
staging.* or intermediate.* table, and the only raw.* tables it names are the run's own audit records — what was read,
landed and validated, kept as the run wrote them (validation and dbt results are written after
dbt has run, so no model could hold them)."""
import re
from pathlib import Path

import yaml

from pipelines.config import DBT_PROJECT_DIR, REPO_ROOT

# raw.plan_files and raw.quarantine are read through mart_input_files and mart_quarantine, which hold them
RUN_RECORDS = {"ingested_files", "validation_results", "dbt_results"}
TABLE = re.compile(r"\b(?:from|join)\s+(raw|staging|intermediate|marts)\.(\w+)", re.IGNORECASE)


def tables_named(text: str) -> set[tuple[str, str]]:
    """(schema, table) of every table a SQL text reads (after from / join)."""
    return {(schema.lower(), name) for schema, name in TABLE.findall(text)}


def dashboard_tables() -> set[tuple[str, str]]:
    return set().union(*(tables_named(f.read_text(encoding="utf-8"))
                         for f in (REPO_ROOT / "dashboards").rglob("*.py")))


def test_the_scanner_sees_tables_in_queries():
    sql = '''select * from raw.plan_lines l
             left join staging.stg_targets t on … where x in (select 1 from  marts.mart_plans)'''
    assert tables_named(sql) == {("raw", "plan_lines"), ("staging", "stg_targets"), ("marts", "mart_plans")}
    assert tables_named("if raw.startswith(magic)") == set()


def test_the_dashboard_reads_marts_and_the_run_records_only():
    found = dashboard_tables()
    assert {t for s, t in found if s == "marts"} >= {"mart_task_lines", "mart_task_units", "mart_task_deadlines",
                                                      "mart_task_outputs", "mart_task_annex", "mart_plans"}
    assert {(s, t) for s, t in found if s in ("staging", "intermediate")} == set()
    assert {t for s, t in found if s == "raw"} <= RUN_RECORDS


def test_every_mart_the_dashboard_reads_is_in_its_exposure():
    exposure = yaml.safe_load((DBT_PROJECT_DIR / "models" / "marts" / "_exposures.yml").read_text(encoding="utf-8"))
    declared = {re.search(r"ref\('(\w+)'\)", d).group(1) for d in exposure["exposures"][0]["depends_on"]}
    read = {t for s, t in dashboard_tables() if s == "marts"}
    assert read <= declared, sorted(read - declared)
    for name in RUN_RECORDS:
        assert f"raw.{name}" in exposure["exposures"][0]["description"]
