"""How a callback's answer becomes JSON: the faster of plotly's two engines for what is being sent.

Dash writes every answer with plotly's ``to_json_plotly``. With orjson installed plotly first tries orjson on
the object as it is — fast for plain data, such as a grid's block of rows — and, when that fails because
the answer holds Dash components (every page render), walks the whole tree in Python to clean it before
orjson; the json module's encoder turns a component into its dict as it meets one. Measured on the sample
(best of 40, same text): page / 6.3–6.6 → 3.5–3.9 ms, /tasks 3.4–6.1 → 1.8 ms, /targets 9.0–9.2 → 7.7–8.0 ms;
a grid block stays with orjson (0.03–0.12 ms, +0.01–0.06 ms for the trial dump). So: orjson for what it
takes as it is, the json engine for component trees.
"""
from __future__ import annotations

import orjson
import plotly.io.json as plotly_json

_plotly_to_json = plotly_json.to_json_plotly
_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY  # as plotly's orjson engine


def to_json_plotly(plotly_object, pretty: bool = False, engine: str | None = None) -> str:
    if engine is None:
        try:
            orjson.dumps(plotly_object, option=_OPTIONS)
            engine = "orjson"  # plain data: plotly's orjson engine takes it as it is
        except TypeError:
            engine = "json"  # components inside: the json module's encoder, not a Python walk first
    return _plotly_to_json(plotly_object, pretty=pretty, engine=engine)


def install() -> None:
    """Dash's ``to_json`` imports ``to_json_plotly`` from plotly.io.json at each call: it gets this one."""
    plotly_json.to_json_plotly = to_json_plotly
