"""Dash app: `python -m dashboards.app` serves http://127.0.0.1:8050."""
from __future__ import annotations

import os

import dash
import dash_bootstrap_components as dbc
from dash import html

from .i18n import LABELS


def create_app() -> dash.Dash:
    app = dash.Dash(__name__, use_pages=True, pages_folder=os.path.join(os.path.dirname(__file__), "pages"),
                    # Bootstrap 5.3.6 (MIT) is served from dashboards/assets/: government networks
                    # often have no internet, so nothing is loaded from a CDN.
                    assets_folder=os.path.join(os.path.dirname(__file__), "assets"),
                    title=LABELS["title"],
                    suppress_callback_exceptions=True)
    app.layout = dbc.Container([
        dbc.NavbarSimple(brand=LABELS["title"], color="success", dark=True, className="mb-3",
                         children=[dbc.NavLink(page["name"], href=page["relative_path"])
                                   for page in dash.page_registry.values()]),
        dash.page_container,
    ], fluid=True)
    return app


def main() -> None:
    host = os.environ.get("PLANKPI_HOST", "127.0.0.1")
    port = int(os.environ.get("PLANKPI_PORT", "8050"))
    print(f"PlanKPI 仪表板 / dashboard: http://{host}:{port}/", flush=True)
    create_app().run(host=host, port=port, debug=False)


if __name__ == "__main__":
    main()
