"""Login, logout and sessions (Flask-Login) around the Dash app; the accounts live in
pipelines.accounts. Every request but the login page and static files needs a session."""
from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

from flask import Flask, redirect, render_template_string, request
from flask_login import LoginManager, UserMixin, login_user, logout_user

from pipelines.accounts import Account, AccountStore, LoginRefused, store_for
from pipelines.config import data_paths
from pipelines.submissions.contract import MAX_FILE_BYTES

from .access import HOME, account

_PUBLIC = ("/login", "/logout", "/assets/", "/_dash-component-suites/", "/_favicon.ico", "/favicon.ico")
MAX_UPLOAD_BYTES = MAX_FILE_BYTES  # one size limit everywhere: the submissions contract's


class User(UserMixin):
    def __init__(self, acc: Account):
        self.account = acc
        self.id = acc.username


_stores: dict[Path, AccountStore] = {}


def store() -> AccountStore:
    """The data folder's account store, opened once per process: every request loads its user, and
    checking the schema each time cost more than the lookup (≈ 0.6 of 1 ms)."""
    root = data_paths().root
    if root not in _stores:
        _stores[root] = store_for(root)
    return _stores[root]


def _secret_key() -> str:
    """PLANKPI_SECRET_KEY, or one generated once into the accounts folder (0600) and shared by every
    worker, so sessions survive restarts and work behind several gunicorn workers."""
    if os.environ.get("PLANKPI_SECRET_KEY"):
        return os.environ["PLANKPI_SECRET_KEY"]
    path = data_paths().root / "accounts" / "secret_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():  # workers start together: write aside, then link into place (first one wins)
        tmp = path.with_name(f".secret_key.{os.getpid()}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return Path(path).read_text().strip()


_LOGIN_PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<title>登录 PlanKPI</title><link rel="stylesheet" href="/assets/bootstrap.min.css"></head>
<body class="bg-light"><div class="container" style="max-width:420px;margin-top:10vh">
<h4 class="mb-1">PlanKPI 环保行动计划执行监测</h4><div class="text-muted small mb-3">请登录 / Sign in</div>
{% if error %}<div class="alert alert-danger py-2" id="login-error">{{ error }}</div>{% endif %}
<form method="post" action="/login">
<label class="form-label" for="username">用户名 / User name</label>
<input class="form-control mb-2" id="username" name="username" autocomplete="username" required>
<label class="form-label" for="password">密码 / Password</label>
<input class="form-control mb-3" id="password" name="password" type="password" autocomplete="current-password" required>
<button class="btn btn-success w-100" id="login-submit" type="submit">登录 / Sign in</button>
</form></div></body></html>"""


def init_auth(server: Flask) -> None:
    server.config.update(SECRET_KEY=_secret_key(), SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
                         PERMANENT_SESSION_LIFETIME=timedelta(hours=8),
                         # an upload arrives base64-encoded in a callback: 4/3 of the file plus the envelope
                         MAX_CONTENT_LENGTH=MAX_UPLOAD_BYTES * 4 // 3 + 64 * 1024)
    manager = LoginManager(server)
    manager.session_protection = "strong"

    @manager.user_loader
    def load(username: str):
        acc = store().get(username)
        return User(acc) if acc is not None and not acc.disabled else None

    @server.before_request
    def require_login():
        if request.path.startswith(_PUBLIC) or account() is not None:
            return None
        if request.path.startswith("/_dash-update-component"):
            return ("未登录或会话已过期，请重新登录 / not signed in", 401)
        return redirect("/login")

    @server.route("/login", methods=["GET", "POST"])
    def login():
        error = None
        if request.method == "POST":
            try:
                acc = store().authenticate(request.form.get("username", ""), request.form.get("password", ""),
                                           client=request.remote_addr or "")
                login_user(User(acc))
                return redirect(HOME[acc.role])
            except LoginRefused as refused:
                error = str(refused)
        return render_template_string(_LOGIN_PAGE, error=error), (401 if error else 200)

    @server.route("/logout")
    def logout():
        acc = account()
        if acc is not None:
            store().audit(acc.username, "logout", acc.username)
        logout_user()
        return redirect("/login")
