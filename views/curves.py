"""Response-curve plots in the input's real units, with a value marked (Why and Tune).

The curve is evaluated by `agents.curves.evaluate`, the brain's own maths, over the
bookends; a marked value outside them is drawn at the clamped end, as the brain treats it.
"""

from __future__ import annotations

import math

import numpy as np

from agents.curves import evaluate

CURVE_POINTS = 201


def curve_parameters(curve) -> str:
    """`midpoint=0.4, steepness=-8` — a curve's parameters without its type."""
    fields = curve.model_dump(exclude={"type", "invert"})
    text = ", ".join(f"{name}={value}" for name, value in fields.items())
    return text + (", inverted" if curve.invert else "")


def curve_points(curve, low: float, high: float) -> tuple[np.ndarray, np.ndarray]:
    """(input values in real units, scores) across the bookends."""
    values = np.linspace(low, high, CURVE_POINTS)
    return values, evaluate(curve, (values - low) / (high - low))


def curve_figure(
    curve,
    low: float,
    high: float,
    *,
    title: str,
    marked: float | None = None,
    original=None,
    height: int = 240,
) -> dict:
    """The curve (and optionally the original it was edited from, dashed) with a marked value."""
    values, scores = curve_points(curve, low, high)
    data = []
    if original is not None:
        _, before = curve_points(original, low, high)
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": "original",
                "x": values,
                "y": before,
                "line": {"dash": "dash", "color": "#9aa5b1"},
            }
        )
    data.append(
        {
            "type": "scatter",
            "mode": "lines",
            "name": "curve",
            "x": values,
            "y": scores,
            "line": {"color": "#4aa3ff", "width": 3},
        }
    )
    if marked is not None and math.isfinite(marked):
        shown = min(max(marked, min(low, high)), max(low, high))
        score = float(evaluate(curve, (marked - low) / (high - low)))
        note = "" if shown == marked else f" (clamped from {marked:.4g})"
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": "now",
                "x": [shown],
                "y": [score],
                "marker": {"size": 12, "color": "#ff5c5c"},
                "hovertemplate": f"input {shown:.4g}{note}<br>score {score:.3f}<extra></extra>",
            }
        )
    layout = {
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 34, "b": 10},
        "title": {"text": title, "font": {"size": 13}},
        "xaxis": {"title": {"text": "input (real units)"}},
        "yaxis": {"title": {"text": "score"}, "range": [-0.03, 1.03]},
        "showlegend": original is not None,
        "legend": {"orientation": "h", "y": -0.3},
    }
    return {"data": data, "layout": layout}
