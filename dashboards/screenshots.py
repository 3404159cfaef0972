"""`make screenshots`: every page of the dashboard, in Chinese and English, on a desktop and a 390-px phone,
as PNG files in one folder (docs/screenshots/ by default), so anyone can look at the whole product in a
minute. Reads the published snapshot of PLANKPI_DATA through a local server, in headless Chromium.

Signs in with accounts of its own (screenshot_leader, screenshot_auditor, screenshot_admin), created or
given a fresh password here and audited like any account change; no real account is touched.
"""
from __future__ import annotations

import argparse
import socket
import threading
import time
from pathlib import Path

SIZES = {"desktop": (1440, 900), "phone": (390, 844)}
ACCOUNTS = {"leader": ("screenshot_leader", "leader"), "auditor": ("screenshot_auditor", "auditor"),
            "admin": ("screenshot_admin", "admin")}
# (file stem, account, path): every page a role has, and a task's detail
PAGES = [("overview", "leader", "/"), ("tasks", "leader", "/tasks"), ("task_detail", "leader", "/tasks?task={task}"),
         ("tasks_overdue", "leader", "/tasks?status=overdue"), ("targets", "leader", "/targets"),
         ("units", "leader", "/units"), ("review", "leader", "/review"), ("quality", "auditor", "/quality"), ("audit", "auditor", "/audit"),
         ("accounts", "admin", "/accounts")]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(port: int) -> None:
    import logging
    from werkzeug.serving import make_server
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per screenshot, not per request
    from dashboards.app import create_app
    server = make_server("127.0.0.1", port, create_app().server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()


def _driver(width: int, height: int):
    from selenium import webdriver
    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--hide-scrollbars",
                f"--window-size={width},{height}", "--lang=zh-CN"):
        options.add_argument(arg)
    if width < 576:  # a phone: its width, so Bootstrap's breakpoints apply as on one
        options.add_experimental_option("mobileEmulation", {"deviceMetrics": {"width": width, "height": height,
                                                                              "pixelRatio": 1}})
    return webdriver.Chrome(options=options)


def _login(driver, base: str, username: str, password: str) -> None:
    from selenium.webdriver.common.by import By
    driver.get(base + "/login")
    driver.find_element(By.ID, "username").send_keys(username)
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.ID, "login-submit").click()
    time.sleep(1.0)


def _settle(driver, seconds: float = 2.5) -> None:
    """Wait until Dash has rendered the page and the grids have their first block."""
    deadline = time.time() + 20
    while time.time() < deadline:
        loading = driver.execute_script(
            "return document.querySelectorAll('._dash-loading, ._dash-loading-callback').length"
            " + (document.getElementById('_pages_content') ? 0 : 1)")
        if not loading:
            break
        time.sleep(0.2)
    time.sleep(seconds)


def shoot(out: Path, langs=("zh", "en"), sizes=tuple(SIZES)) -> list[Path]:
    from pipelines.accounts import store_for
    from pipelines.config import data_paths
    from dashboards import data
    import duckdb
    from pipelines.warehouse.publish import current_snapshot
    snap = current_snapshot(data_paths().serving)
    if snap is None:
        raise SystemExit("尚无已发布的数据快照，请先运行 make run / no published snapshot: run the pipeline first")
    with duckdb.connect(str(snap.path), read_only=True) as con:
        found = con.execute("select task_id from marts.mart_overdue_tasks order by days_overdue desc, task_id limit 1"
                            ).fetchone() or con.execute("select task_id from marts.mart_task_status limit 1").fetchone()
    task = found[0] if found else ""
    store = store_for(data_paths().root)
    passwords = {role: store.ensure(username, role, None, None, actor="make screenshots")
                 for role, (username, role) in ACCOUNTS.items()}
    port = _free_port()
    _serve(port)
    base = f"http://127.0.0.1:{port}"
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for size in sizes:
        width, height = SIZES[size]
        for role, (username, _) in ACCOUNTS.items():
            driver = _driver(width, height)
            try:
                _login(driver, base, username, passwords[role])
                for stem, who, path in PAGES:
                    if who != role:
                        continue
                    for lang in langs:
                        url = base + path.format(task=task)
                        if lang == "en":
                            url += ("&" if "?" in url else "?") + "lang=en"
                        driver.get(url)
                        _settle(driver)
                        full = driver.execute_script("return document.documentElement.scrollHeight")
                        # the whole page, not the first screen: the viewport made as tall as the page
                        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
                            "width": width, "height": min(max(height, full), 12000), "deviceScaleFactor": 1,
                            "mobile": width < 576})
                        time.sleep(0.8)
                        target = out / f"{stem}_{lang}_{size}.png"
                        driver.save_screenshot(str(target))
                        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
                        written.append(target)
                        print(f"{target}", flush=True)
            finally:
                driver.quit()
    data.clear_cache()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description="每个页面的截图 / screenshots of every page")
    parser.add_argument("--out", default="docs/screenshots")
    parser.add_argument("--lang", choices=("zh", "en"), action="append")
    parser.add_argument("--size", choices=tuple(SIZES), action="append")
    args = parser.parse_args()
    written = shoot(Path(args.out), tuple(args.lang or ("zh", "en")), tuple(args.size or SIZES))
    print(f"截图 / screenshots: {len(written)} -> {args.out}")


if __name__ == "__main__":
    main()
