"""The dashboard under the production server: gunicorn workers serve every page of the default data."""
import os
import urllib.request

import pytest

from dashboards.loadtest import gunicorn_server, load_account_password, signed_in

pytestmark = pytest.mark.pipeline


def test_gunicorn_serves_every_page(world, tmp_path):
    env = {**os.environ, "PLANKPI_DATA": str(world.paths.root)}
    log_path = tmp_path / "gunicorn.log"
    password = load_account_password(world.paths.root)
    with open(log_path, "wb") as log, gunicorn_server(2, env, log) as (base, server):
        with urllib.request.urlopen(base + "/tasks", timeout=10) as anonymous:  # sent to the login page
            assert anonymous.url.endswith("/login") and "登录" in anonymous.read().decode()
        client = signed_in(base, "loadtest", password)
        for path in ("/", "/tasks", "/targets", "/units", "/quality", "/_dash-layout", "/quality-docs/"):
            with client.open(base + path, timeout=10) as response:
                assert response.status == 200 and not response.url.endswith("/login"), path
        assert server.poll() is None
    assert b"Booting worker" in log_path.read_bytes()
