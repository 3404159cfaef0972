"""Login, logout and sessions (Flask-Login) around the Dash app; the accounts live in
pipelines.accounts. Every request but the login page and static files needs a session.

Sessions are server-side (issue 25): the signed cookie carries a random session id, the accounts store its
hash, so a logout, a password reset, a disable or a role change ends it at once, and it ends when idle or
old (pipelines.accounts: IDLE_TIMEOUT, ABSOLUTE_TIMEOUT). Every state-changing request (every POST: the
login form, Dash's callbacks — uploads, account admin — and any later route) must come from this site:
an Origin other than our own is refused, and it must carry the session's CSRF token — the login form's
hidden field, or the X-CSRFToken header Dash's renderer copies from the `_csrf_token` cookie."""
from __future__ import annotations

import hmac
import os
import secrets
from datetime import timedelta
from pathlib import Path

from flask import Flask, redirect, render_template_string, request, session
from flask_login import LoginManager, UserMixin, login_user, logout_user
from werkzeug.middleware.proxy_fix import ProxyFix

from pipelines.accounts import Account, AccountStore, LoginRefused, store_for
from pipelines.config import data_paths
from pipelines.submissions.contract import MAX_FILE_BYTES
from pipelines.supervision.evidence import MAX_EVIDENCE_BYTES

from .access import HOME, account

_PUBLIC = ("/login", "/logout", "/assets/", "/_dash-component-suites/", "/_favicon.ico", "/favicon.ico")
# The largest body a request may carry: an evidence file (20 MB) is the largest upload; a report file keeps
# the submissions contract's own limit (MAX_FILE_BYTES), checked where it is received (uploads.py).
MAX_UPLOAD_BYTES = max(MAX_FILE_BYTES, MAX_EVIDENCE_BYTES)
STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CSRF_COOKIE = "_csrf_token"    # Dash's renderer sends this cookie's value back as the header below
CSRF_HEADER = "X-CSRFToken"
CSRF_FIELD = "csrf_token"      # the login form's hidden field


class User(UserMixin):
    """A signed-in account; its id is the session's id (what Flask-Login keeps in the cookie)."""
    def __init__(self, acc: Account, session_id: str):
        self.account = acc
        self.id = session_id


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
<input type="hidden" name="csrf_token" value="{{ csrf_token }}">
<label class="form-label" for="username">用户名 / User name</label>
<input class="form-control mb-2" id="username" name="username" autocomplete="username" required>
<label class="form-label" for="password">密码 / Password</label>
<input class="form-control mb-3" id="password" name="password" type="password" autocomplete="current-password" required>
<button class="btn btn-success w-100" id="login-submit" type="submit">登录 / Sign in</button>
</form></div></body></html>"""


def csrf_token() -> str:
    """This browser session's CSRF token (made on its first page, renewed at login)."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def _same_origin() -> bool:
    """No Origin header (not a browser's cross-site request) or our own, as the client reached us."""
    origin = request.headers.get("Origin")
    return origin is None or origin == request.host_url.rstrip("/")


def _csrf_refusal():
    """Why a state-changing request is refused, or None: another site's Origin, or no valid token."""
    if request.method not in STATE_CHANGING:
        return None
    if not _same_origin():
        return "跨站请求被拒绝 / cross-site request refused"
    given = request.form.get(CSRF_FIELD) if request.mimetype == "application/x-www-form-urlencoded" else None
    given = given or request.headers.get(CSRF_HEADER, "")
    expected = session.get("csrf")
    if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        return "请求缺少有效的安全令牌，请刷新页面后重试 / missing or invalid CSRF token: reload the page and retry"
    return None


def secure_cookies() -> bool:
    """PLANKPI_SECURE_COOKIES=1 behind TLS (a reverse proxy terminating HTTPS): cookies only over HTTPS."""
    return os.environ.get("PLANKPI_SECURE_COOKIES") == "1"


def init_auth(server: Flask) -> None:
    hops = int(os.environ.get("PLANKPI_PROXY_HOPS", "0") or 0)
    if hops:  # behind a reverse proxy: the client's address (throttling) and origin (CSRF) as it forwards them
        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    server.config.update(SECRET_KEY=_secret_key(), SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
                         SESSION_COOKIE_SECURE=secure_cookies(),
                         PERMANENT_SESSION_LIFETIME=timedelta(hours=8),
                         # an upload arrives base64-encoded in a callback: 4/3 of the file plus the envelope
                         MAX_CONTENT_LENGTH=MAX_UPLOAD_BYTES * 4 // 3 + 64 * 1024)
    manager = LoginManager(server)
    manager.session_protection = "strong"

    @manager.user_loader
    def load(session_id: str):
        acc = store().session_account(session_id)
        return User(acc, session_id) if acc is not None else None

    @server.before_request
    def require_login():
        if not request.path.startswith(_PUBLIC) and account() is None:
            if request.path.startswith("/_dash-update-component"):
                return ("未登录或会话已过期，请重新登录 / not signed in", 401)
            return redirect("/login")
        refused = _csrf_refusal()
        if refused:  # logged, not audited: forged requests must not be able to flood the audit log
            server.logger.warning("refused %s %s from %s: %s", request.method, request.path, request.remote_addr,
                                  refused)
            return refused, 403
        return None

    @server.after_request
    def csrf_cookie(response):
        """The session's token as a cookie Dash's renderer reads (same site only, never sent elsewhere)."""
        token = session.get("csrf")
        if token and request.cookies.get(CSRF_COOKIE) != token:
            response.set_cookie(CSRF_COOKIE, token, samesite="Strict", secure=secure_cookies(), httponly=False)
        return response

    @server.route("/login", methods=["GET", "POST"])
    def login():
        error = None
        if request.method == "POST":
            try:
                client = request.remote_addr or ""
                acc = store().authenticate(request.form.get("username", ""), request.form.get("password", ""),
                                           client=client)
                session.clear()  # a new session: nothing of the signed-out one carries over (its token neither)
                login_user(User(acc, store().start_session(acc.username, client)))
                csrf_token()
                return redirect(HOME[acc.role])
            except LoginRefused as refused:
                error = str(refused)
        return render_template_string(_LOGIN_PAGE, error=error, csrf_token=csrf_token()), (401 if error else 200)

    @server.route("/logout")
    def logout():
        acc = account()
        if acc is not None:
            store().end_session(current_session_id())
            store().audit(acc.username, "logout", acc.username)
        logout_user()
        session.clear()
        return redirect("/login")


def current_session_id() -> str:
    from flask_login import current_user
    return current_user.get_id() or ""
