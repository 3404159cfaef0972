"""Accounts for the browser tests, and logging in through the real login page."""
from __future__ import annotations

import os

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
    # DASH_TEST_PORT: a second test session on the same machine (dash testing's default port is fixed)
    dash_duo.start_server(app, navigate=False, port=int(os.environ.get("DASH_TEST_PORT", "8058")))
    dash_duo._url = dash_duo.server.url
    dash_duo.driver.set_window_size(1600, 1200)  # the navbar collapses on the default small window


def login(dash_duo, username: str, password: str, landing: str = "#nav-overview") -> None:
    dash_duo.driver.get(f"{dash_duo.server_url}/login")
    dash_duo.wait_for_element("#username", timeout=10).send_keys(username)
    dash_duo.find_element("#password").send_keys(password)
    dash_duo.driver.find_element(By.ID, "login-submit").click()
    if landing:
        dash_duo.wait_for_element(landing, timeout=15)


def wait_for_grid_text(dash_duo, grid_id: str, text: str, timeout: int = 40) -> None:
    """Scroll a grid into view, as a reader does, and wait for ``text`` in its rows: a grid far down the page
    may show its pager but no rows until it is in view (CI saw "1 至 20 共 25" and no row after 20 s)."""
    dash_duo.wait_for_element(f"#{grid_id}", timeout=timeout)  # pages draw their grids in a callback
    dash_duo.driver.execute_script(f"document.getElementById('{grid_id}').scrollIntoView()")
    dash_duo.wait_for_element(f"#{grid_id} .ag-row", timeout=timeout)
    dash_duo.wait_for_contains_text(f"#{grid_id}", text, timeout=timeout)


def open_on_phone(dash_duo, path: str, shown: str, timeout: int = 20) -> int:
    """Open ``path`` in a 390-px phone window, wait for ``shown`` and settle; assert no sideways scroll.
    Returns the page's width, for later checks on the same page."""
    import time
    dash_duo.driver.set_window_size(390, 844)
    dash_duo.driver.get(dash_duo.server_url + path)
    dash_duo.wait_for_element(shown, timeout=timeout)
    time.sleep(2)  # let the layout settle (menus fold, grids size) before measuring
    width = dash_duo.driver.execute_script("return document.documentElement.clientWidth")
    assert width <= 420
    assert no_sideways_scroll(dash_duo, width)
    return width


def no_sideways_scroll(dash_duo, width: int) -> bool:
    return dash_duo.driver.execute_script("return document.documentElement.scrollWidth") <= width


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
