"""Dash app: `python -m dashboards.app` serves http://127.0.0.1:8050."""
from __future__ import annotations

import atexit
import gc
import os

import dash
import dash_bootstrap_components as dbc
from dash import dcc
from flask import Response

from . import bulletin_links, callbacks, data_docs, downloads, supervision, uploads
from .auth import init_auth, secure_cookies
from .data import NoSnapshot
from .i18n import LABELS


def _security_headers(app: dash.Dash) -> None:
    """Every response: no framing by another site, no MIME sniffing, no full URLs (filters, task ids) in
    the Referer sent elsewhere, and a Content-Security-Policy that lets the page run only this server's
    scripts — Dash's own inline scripts (the renderer's start, its clientside functions) by their hashes,
    which Dash computes (`csp_hashes`), once the app is complete. Styles: Dash and AG Grid set inline
    style attributes, so 'unsafe-inline' for styles only. Charts and fonts load from this server."""
    policy = {}

    @app.server.after_request
    def headers(response):
        if "csp" not in policy:
            scripts = " ".join(["'self'", *app.csp_hashes()])
            policy["csp"] = ("default-src 'self'; "
                             f"script-src {scripts}; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
                             "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
                             "form-action 'self'; frame-ancestors 'none'")
        response.headers.setdefault("Content-Security-Policy", policy["csp"])
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if secure_cookies():  # served over TLS: browsers keep to HTTPS
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response

    @app.server.errorhandler(NoSnapshot)
    def no_snapshot(exc):  # a download, a grid or the template before anything is published: not a 500
        return Response(str(exc), 503, mimetype="text/plain")


def create_app() -> dash.Dash:
    app = dash.Dash(__name__, use_pages=True, pages_folder=os.path.join(os.path.dirname(__file__), "pages"),
                    # Bootstrap 5.3.6 (MIT) is served from dashboards/assets/: government networks
                    # often have no internet, so nothing is loaded from a CDN.
                    assets_folder=os.path.join(os.path.dirname(__file__), "assets"),
                    title=LABELS["title"][0],
                    suppress_callback_exceptions=True)
    # One Location the controls write to; the page then renders from the URL (see components.py).
    app.layout = dbc.Container([dcc.Location(id="url", refresh="callback-nav"), dash.page_container],
                               fluid=True, className="px-3")
    init_auth(app.server)  # before any route: every request but the login page needs a session
    callbacks.register(app)
    supervision.register(app)  # review, 督办 and evidence (issue 26)
    uploads.register_routes(app.server)
    supervision.register_routes(app.server)  # /evidence/<sha256>?task=
    downloads.register_routes(app.server)
    bulletin_links.register_routes(app.server)
    data_docs.register_routes(app.server)  # auditors only, offline
    _security_headers(app)
    # What start-up made (modules, Dash's registries, Plotly's validators: ~110,000 objects) lives as long
    # as the process: frozen, Python's full collections stop walking it — they ran every ~17 page renders
    # and took 37 ms each at a province's scale, 0.3 ms so. Unfrozen at exit, so that shutdown frees it.
    gc.freeze()
    atexit.register(gc.unfreeze)
    return app


def main() -> None:
    host = os.environ.get("PLANKPI_HOST", "127.0.0.1")
    port = int(os.environ.get("PLANKPI_PORT", "8050"))
    print(f"PlanKPI 仪表板 / dashboard: http://{host}:{port}/", flush=True)
    create_app().run(host=host, port=port, debug=False)


if __name__ == "__main__":
    main()
