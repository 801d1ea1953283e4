"""Figures and tables of a scenario discovery (`experiments.discover.discover`'s JSON).

The peeling trajectory (coverage against density, the chosen and the picked step marked), a
box's limits over each parameter's full range, its table, and a verification's densities.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

TRACK = "#d9d9d9"
BOX = "#4aa3ff"
CHOSEN = "#ff9f1c"
PICKED = "#c0392b"
ANY = "any"


def percent(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"


def step_label(step: dict[str, Any], chosen: int | None) -> str:
    """`step 4: coverage 90.0%, density 75.0% (chosen)`."""
    mark = " (chosen)" if step["step"] == chosen else ""
    return (
        f"step {step['step']}: coverage {percent(step['coverage'])}, "
        f"density {percent(step['density'])}{mark}"
    )


def box_label(number: int, box: dict[str, Any]) -> str:
    low, high = box["density_ci"]
    return (
        f"Box {number}: density {percent(box['density'])} ({percent(low)} to {percent(high)}), "
        f"coverage {percent(box['coverage'])}"
    )


def _marker(step: dict[str, Any], name: str, colour: str, symbol: str) -> dict:
    return {
        "type": "scatter",
        "mode": "markers",
        "name": name,
        "x": [step["coverage"]],
        "y": [step["density"]],
        "marker": {"color": colour, "size": 16, "symbol": symbol, "line": {"width": 2}},
        "hoverinfo": "skip",
    }


def trajectory_figure(result: dict[str, Any], picked: int | None) -> dict:
    """Coverage against density, one point per step (hover: step, mass, restrictions); the
    chosen step a star (only if a box was kept), the picked one a ring. Each point's
    `customdata[0]` is its step number, which a click hands back."""
    steps = result["trajectory"]
    data = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": "peeling trajectory",
            "x": [step["coverage"] for step in steps],
            "y": [step["density"] for step in steps],
            "customdata": [
                [step["step"], step["mass"], ", ".join(step["restricted"]) or "none"]
                for step in steps
            ],
            "marker": {"color": BOX, "size": 8},
            "hovertemplate": "step %{customdata[0]}<br>coverage %{x:.1%}<br>density %{y:.1%}"
            "<br>mass %{customdata[1]:.1%}<br>restricted: %{customdata[2]}<extra></extra>",
        }
    ]
    if result["boxes"]:
        data.append(_marker(steps[result["chosen_step"]], "chosen step", CHOSEN, "star"))
    if picked is not None:
        data.append(_marker(steps[picked], "picked step", PICKED, "circle-open"))
    layout = {
        "height": 380,
        "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
        "xaxis": {"title": {"text": "coverage"}, "tickformat": ".0%", "range": [-0.02, 1.02]},
        "yaxis": {"title": {"text": "density"}, "tickformat": ".0%", "range": [-0.02, 1.05]},
        "legend": {"orientation": "h", "y": 1.1},
    }
    return {"data": data, "layout": layout}


def limits_figure(limits: dict[str, list[float]], ranges: dict[str, list[float]]) -> go.Figure:
    """One row per restricted parameter, on its own scale: the full range as a grey track, the
    box as a coloured span over it."""
    figure = make_subplots(rows=len(limits), cols=1, subplot_titles=list(limits))
    for row, (key, (low, high)) in enumerate(limits.items(), start=1):
        first, last = ranges[key]
        figure.add_trace(
            go.Bar(x=[last - first], base=[first], y=[key], orientation="h", width=0.3,
                   name="full range", marker_color=TRACK, showlegend=row == 1,
                   hovertemplate=f"full range {first:.4g} to {last:.4g}<extra></extra>"),
            row=row, col=1,
        )  # fmt: skip
        figure.add_trace(
            go.Bar(x=[max(high - low, (last - first) / 100)], base=[low], y=[key], width=0.6,
                   orientation="h", name="the box", marker_color=BOX, showlegend=row == 1,
                   hovertemplate=f"box {low:.4g} to {high:.4g}<extra></extra>"),
            row=row, col=1,
        )  # fmt: skip
        figure.update_yaxes(showticklabels=False, row=row, col=1)
        figure.update_xaxes(range=[first, last], row=row, col=1)
    figure.update_layout(
        barmode="overlay",
        height=90 * len(limits) + 70,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        legend={"orientation": "h", "x": 1, "xanchor": "right", "y": 1, "yanchor": "bottom"},
    )
    return figure


def limits_table(
    result: dict[str, Any], limits: dict[str, list[float]], box: dict[str, Any] | None = None
) -> pd.DataFrame:
    """Every swept parameter: the box's limits (`any` when unrestricted), the full range, and
    for a box the quasi-p value and stability of each restriction."""
    rows = []
    for key in result["parameters"]:
        first, last = result["ranges"][key]
        limited = key in limits
        row = {
            "parameter": key,
            "low": limits[key][0] if limited else ANY,
            "high": limits[key][1] if limited else ANY,
            "full range": f"{first:.4g} to {last:.4g}",
        }
        if box is not None:
            row["quasi-p"] = box["quasi_p"].get(key) if limited else None
            row["stability"] = box["stability"].get(key) if limited else None
        rows.append(row)
    return pd.DataFrame(rows).astype({"low": str, "high": str})


def verification_figure(verdict: dict[str, Any]) -> dict:
    """The discovered density, the fresh one inside the box and the one in its complement,
    each with its 95% interval."""
    rows = [
        ("discovered", verdict["discovered"]),
        ("fresh, inside the box", verdict["inside"]),
        ("fresh, complement", verdict["complement"]),
    ]
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "markers",
                "x": [part["density"] for _, part in rows],
                "y": [name for name, _ in rows],
                "marker": {"color": [CHOSEN, BOX, TRACK], "size": 12, "line": {"width": 1}},
                "error_x": {
                    "type": "data",
                    "symmetric": False,
                    "array": [_above(part) for _, part in rows],
                    "arrayminus": [_below(part) for _, part in rows],
                },
                "hovertemplate": "%{y}: %{x:.1%}<extra></extra>",
            }
        ],
        "layout": {
            "height": 220,
            "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
            "xaxis": {"title": {"text": "density (95% interval)"}, "tickformat": ".0%"},
            "yaxis": {"automargin": True, "autorange": "reversed"},
        },
    }


def _above(part: dict[str, Any]) -> float:
    """The interval's reach above the density (0 for a part with no runs: nothing drawn)."""
    return 0.0 if part["density"] is None else part["ci"][1] - part["density"]


def _below(part: dict[str, Any]) -> float:
    return 0.0 if part["density"] is None else part["density"] - part["ci"][0]
