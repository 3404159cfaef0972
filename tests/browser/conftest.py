"""Accounts for the browser tests, and logging in through the real login page."""
from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from pipelines.accounts import store_for

# (username, role, region, unit)
TEST_ACCOUNTS = {
    "leader": ("leader", None, None), "jc_leader": ("leader", "晋城市", None), "auditor": ("auditor", None, None), "admin": ("admin", None, None),
    "yq_supervisor": ("supervisor", "阳泉市", None),
    "yq_sthjj": ("unit", "阳泉市", "市生态环境局"), "jc_sthjj": ("unit", "晋城市", "市生态环境局"),
}


def passwords_for(root) -> dict[str, str]:
    """The test accounts in the accounts store of a data folder, with fresh passwords."""
    store = store_for(root)
    return {username: store.ensure(username, role, region, unit, actor="test")
            for username, (role, region, unit) in TEST_ACCOUNTS.items()}


@pytest.fixture
def passwords(world) -> dict[str, str]:
    return passwords_for(world.paths.root)


def start(dash_duo, app) -> None:
    """Start the app without loading "/": every page but the login page redirects until one logs in."""
    dash_duo.start_server(app, navigate=False)
    dash_duo._url = dash_duo.server.url
    dash_duo.driver.set_window_size(1600, 1200)  # the navbar collapses on the default small window


def login(dash_duo, username: str, password: str, landing: str = "#nav-overview") -> None:
    dash_duo.driver.get(f"{dash_duo.server_url}/login")
    dash_duo.wait_for_element("#username", timeout=10).send_keys(username)
    dash_duo.find_element("#password").send_keys(password)
    dash_duo.driver.find_element(By.ID, "login-submit").click()
    if landing:
        dash_duo.wait_for_element(landing, timeout=15)


@pytest.fixture
def app_for(monkeypatch):
    """A dashboard app reading the data folder ``root``."""
    def make(root):
        monkeypatch.setenv("PLANKPI_DATA", str(root))
        from dashboards.app import create_app
        return create_app()
    return make


def login_client(app, username: str, password: str):
    """Flask's test client, signed in through the login form (and sending its CSRF token as a browser does)."""
    from dashboards.callback_requests import signed_in_client
    client = signed_in_client(app.server, username, password)
    assert client.login_response.status_code == 302, client.login_response.get_data(as_text=True)[:300]
    return client
