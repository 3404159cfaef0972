"""The dashboard under the production server: gunicorn workers serve every page of the default data."""
import os
import urllib.request

import pytest

from dashboards.loadtest import gunicorn_server

pytestmark = pytest.mark.pipeline


def test_gunicorn_serves_every_page(world, tmp_path):
    env = {**os.environ, "PLANKPI_DATA": str(world.paths.root)}
    log_path = tmp_path / "gunicorn.log"
    with open(log_path, "wb") as log, gunicorn_server(2, env, log) as (base, server):
        for path in ("/", "/tasks", "/targets", "/units", "/quality", "/_dash-layout", "/quality-docs/"):
            with urllib.request.urlopen(base + path, timeout=10) as response:
                assert response.status == 200, path
        assert server.poll() is None
    assert b"Booting worker" in log_path.read_bytes()
