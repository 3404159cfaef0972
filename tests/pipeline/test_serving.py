"""The dashboard under the production server: gunicorn workers serve every page of the default data."""
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.pipeline
GUNICORN = str(Path(sys.executable).parent / "gunicorn")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_gunicorn_serves_every_page(world):
    port = _free_port()
    env = {**os.environ, "PLANKPI_DATA": str(world.paths.root)}
    server = subprocess.Popen([GUNICORN, "--workers", "2", "--bind", f"127.0.0.1:{port}", "dashboards.wsgi:server"],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):  # workers import Dash and the pages first
            try:
                urllib.request.urlopen(base + "/", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        for path in ("/", "/tasks", "/targets", "/units", "/quality", "/_dash-layout", "/quality-docs/"):
            with urllib.request.urlopen(base + path, timeout=10) as response:
                assert response.status == 200, path
        assert server.poll() is None
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert b"Booting worker" in server.stdout.read()
