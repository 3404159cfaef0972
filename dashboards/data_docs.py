"""The GX Data Docs site of the pipeline's quality folder, read-only under /quality-docs/, for auditors only,
and whole offline: every CDN address in its pages is rewritten to the vendored copy in data_docs_vendor/
(see its README), and the GX logo (an image on S3) to words. No request leaves the server.
"""
from __future__ import annotations

import re
from pathlib import Path

from flask import Response, abort, send_from_directory

from dashboards import access
from pipelines.config import data_paths

VENDOR = Path(__file__).resolve().parent / "data_docs_vendor"
PREFIX = "/quality-docs/_vendor/"
# CDN address (as GX writes it) -> the vendored file
VENDORED = {
    "https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/bootstrap-prefers-dark.css":
        "bootstrap-dark/bootstrap-prefers-dark.css",
    "https://cdn.jsdelivr.net/npm/vega-embed@6": "vega/vega-embed.min.js",
    "https://cdn.jsdelivr.net/npm/vega-lite@5": "vega/vega-lite.min.js",
    "https://cdn.jsdelivr.net/npm/vega@5": "vega/vega.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/bootstrap-datepicker.min.css":
        "datepicker/bootstrap-datepicker.min.css",
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/bootstrap-datepicker.min.js":
        "datepicker/bootstrap-datepicker.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css": "fontawesome/css/all.min.css",
    "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js": "popper/popper.min.js",
    "https://code.jquery.com/jquery-3.7.1.min.js": "jquery.min.js",
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css": "bootstrap/css/bootstrap.min.css",
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js": "bootstrap/js/bootstrap.min.js",
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.css":
        "bootstrap-table/filter-control/bootstrap-table-filter-control.min.css",
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.min.css":
        "bootstrap-table/filter-control/bootstrap-table-filter-control.min.css",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css": "bootstrap-table/bootstrap-table.min.css",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js": "bootstrap-table/bootstrap-table.min.js",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/bootstrap-table-filter-control.min.js":
        "bootstrap-table/filter-control/bootstrap-table-filter-control.min.js",
}
_CDN = re.compile("|".join(re.escape(url) for url in sorted(VENDORED, key=len, reverse=True)))
_LOGO = re.compile(r'<img[^>]*src="https://great-expectations-web-assets[^"]*"[^>]*>')
# anything else that would load from outside (a script, a style, an image): dropped, never fetched
_OTHER = re.compile(r'<(script|link|img)\b[^>]*(?:src|href)="https?://[^"]*"[^>]*>(?:\s*</script>)?')


# GX writes its pages with inline scripts (and vega compiles expressions): this server's files only, but
# inline scripts allowed on these static, auditor-only pages (the dashboard's own policy is stricter).
DOCS_POLICY = ("default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
               "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
               "base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


def offline(html: str) -> str:
    """A Data Docs page with its CDN addresses on this server and nothing left that loads from outside
    (links a reader may follow stay: they load nothing by themselves)."""
    html = _CDN.sub(lambda m: PREFIX + VENDORED[m.group(0)], html)
    html = _LOGO.sub("<strong>Great Expectations</strong>", html)
    return _OTHER.sub("", html)


def register_routes(server) -> None:
    @server.route("/quality-docs/", defaults={"path": "index.html"})
    @server.route("/quality-docs/<path:path>")
    def data_docs(path: str):
        if not access.may_see_page("/quality"):  # the auditors' page: the same readers
            abort(403)
        if path.startswith("_vendor/"):
            return send_from_directory(VENDOR, path.removeprefix("_vendor/"), max_age=86400)
        root = data_paths().quality / "data_docs"
        if not (root / path).is_file():
            abort(404)
        if path.endswith(".html"):
            page = (root / path).resolve()
            if root.resolve() not in page.parents:
                abort(404)
            return Response(offline(page.read_text(encoding="utf-8")), mimetype="text/html",
                            headers={"Cache-Control": "private, no-store", "Content-Security-Policy": DOCS_POLICY})
        return send_from_directory(root, path)
