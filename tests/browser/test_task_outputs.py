"""A task's output quantities (what it delivers, counted) in the task detail, from the published snapshot."""
from __future__ import annotations

import duckdb
import pytest

from dashboards.callback_requests import router_body
from pipelines.warehouse.publish import current_snapshot
from tests.browser.conftest import login_client

pytestmark = pytest.mark.browser


def test_task_detail_lists_its_output_quantities(world, app_for, passwords):
    with duckdb.connect(str(current_snapshot(world.paths.serving).path), read_only=True) as con:
        task_id, indicator = con.execute("""
            select task_id, indicator from raw.targets
            where kind = 'output' and unit = '台' and value = 26 and source like '001_%'""").fetchone()
        outcome_task = con.execute("""select t.task_id from raw.tasks t
            where not exists (select 1 from raw.targets g where g.task_id = t.task_id) limit 1""").fetchone()[0]
    client = login_client(app_for(world.paths.root), "auditor", passwords["auditor"])
    page = client.post("/_dash-update-component", json=router_body(f"/tasks?task={task_id}")).get_data(as_text=True)
    assert "task-outputs" in page and indicator in page and "≥ 26 台" in page
    page = client.post("/_dash-update-component", json=router_body(f"/tasks?task={outcome_task}")).get_data(as_text=True)
    assert "task-outputs" in page and "≥ 26 台" not in page
