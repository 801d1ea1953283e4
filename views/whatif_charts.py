"""Figures of a fork: the endings of both branches with the difference's interval, and where
each replicate's branches parted. Plain plotly dicts, like the other pages' figures."""

from __future__ import annotations

from collections.abc import Sequence

from experiments.fork_effects import Effect
from experiments.fork_pairs import PairOutcome

BASELINE = "#4aa3ff"
BRANCH = "#ff9f1c"
DIFFERENCE = "#c0392b"


def shown_effects(effects: Sequence[Effect]) -> list[Effect]:
    """The outcomes that happened in either branch (an outcome at 0% in both says nothing)."""
    return [effect for effect in effects if effect.baseline > 0 or effect.branch > 0]


def _bars(name: str, outcomes: list[str], shares: list[float], colour: str) -> dict:
    return {
        "type": "bar",
        "orientation": "h",
        "name": name,
        "y": outcomes,
        "x": shares,
        "marker": {"color": colour},
    }


def effects_figure(effects: Sequence[Effect]) -> dict:
    """Left: each outcome's share in the baseline and in the branch. Right: the difference
    (branch − baseline) with its 95% paired interval, on the same rows."""
    shown = shown_effects(effects)[::-1]  # plotly draws the first category at the bottom
    outcomes = [effect.outcome for effect in shown]
    differences = [effect.difference for effect in shown]
    data = [
        _bars("baseline share", outcomes, [effect.baseline for effect in shown], BASELINE),
        _bars("branch share", outcomes, [effect.branch for effect in shown], BRANCH),
        {
            "type": "scatter",
            "mode": "markers",
            "name": "difference, 95% interval",
            "y": outcomes,
            "x": differences,
            "xaxis": "x2",
            "marker": {"color": DIFFERENCE, "size": 10},
            "error_x": {
                "type": "data",
                "symmetric": False,
                "array": [effect.ci[1] - effect.difference for effect in shown],
                "arrayminus": [effect.difference - effect.ci[0] for effect in shown],
                "color": DIFFERENCE,
            },
            "hovertemplate": "%{y}: %{x:+.0%}<extra></extra>",
        },
    ]
    layout = {
        "barmode": "group",
        "height": 120 + 38 * max(len(shown), 1),
        "margin": {"l": 10, "r": 10, "t": 30, "b": 10},
        "xaxis": {"domain": [0, 0.48], "range": [0, 1], "tickformat": ".0%", "title": "share"},
        "xaxis2": {
            "domain": [0.55, 1],
            "range": [-1, 1],
            "tickformat": "+.0%",
            "title": "branch − baseline",
            "zeroline": True,
        },
        "yaxis": {"automargin": True},
        "legend": {"orientation": "h", "y": 1.08},
    }
    return {"data": data, "layout": layout}


def divergence_figure(pairs: Sequence[PairOutcome], at: int) -> dict:
    """Each replicate's divergence tick (none: the change never showed), with T marked."""
    parted = [pair for pair in pairs if pair.diverged_at is not None]
    data = [
        {
            "type": "scatter",
            "mode": "markers",
            "name": "branches part",
            "x": [pair.diverged_at for pair in parted],
            "y": [pair.replicate for pair in parted],
            "marker": {"color": DIFFERENCE, "size": 9},
            "hovertemplate": "replicate %{y}: tick %{x}<extra></extra>",
        }
    ]
    layout = {
        "height": 120 + 14 * min(len(pairs), 30),
        "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
        "xaxis": {"title": "tick the branches part"},
        "yaxis": {"title": "replicate", "dtick": 1 if len(pairs) <= 20 else None},
        "shapes": [
            {"type": "line", "x0": at, "x1": at, "yref": "paper", "y0": 0, "y1": 1}
            | {"line": {"color": "#888", "width": 1, "dash": "dot"}}
        ],
        "annotations": [{"x": at, "yref": "paper", "y": 1, "text": f"T={at}", "showarrow": False}],
    }
    return {"data": data, "layout": layout}
