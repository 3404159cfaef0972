"""The failing rows GX names are the first ones of the suite's frame: a frame from a group by (parsed_tasks) has
no order of its own, so without one the sample changed from run to run on the same tasks."""
import random

import duckdb

from pipelines.quality.checks import SUITES


def test_parsed_tasks_frame_is_in_task_order():
    con = duckdb.connect()
    con.execute("create schema raw")
    con.execute("create table raw.plans (plan_id varchar, domain varchar)")
    con.execute("create table raw.tasks (task_id varchar, plan_id varchar, text varchar)")
    con.execute("create table raw.task_units (task_id varchar, unit varchar, role varchar)")
    con.execute("create table raw.task_deadlines (task_id varchar, due_date date, kind varchar)")
    ids = [f"T{n:05d}" for n in range(5000)]
    random.Random(7).shuffle(ids)
    con.execute("insert into raw.plans values ('P1', 'air')")
    con.execute("insert into raw.tasks select unnest($ids), 'P1', '任务'", {"ids": ids})
    con.execute("insert into raw.task_units select unnest($ids), '市生态环境局', 'lead'", {"ids": ids[::2]})
    target = next(t for t in SUITES if t.suite == "parsed_tasks")
    frame = con.execute(*target.sql()).df()
    assert list(frame["task_id"]) == sorted(ids)
