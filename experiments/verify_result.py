"""What a verification found: fresh densities inside the box and in its complement, the verdict.

Each side's density is its ok runs' share with the outcome, with a Wilson interval. The
difference inside - complement gets Newcombe's hybrid score interval for two independent
proportions (Newcombe 1998, Statistics in Medicine 17:873, method 10): it stays inside
[-1, 1] and keeps a sensible width at small n and at shares of 0 or 1, where the Wald
interval collapses. The verdict's rule is stated beside it in every output.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments.discover import outcome_hits
from experiments.records import STATUS_OK
from experiments.statistics import wilson_interval

DIFFERENCE_METHOD = "Newcombe (1998) hybrid score interval for independent proportions, method 10"
RULE = (
    "holds when the fresh inside interval overlaps the discovered density's interval and the "
    "lower bound of the difference inside - complement is above 0"
)


def difference_interval(
    first_hits: int, first_runs: int, second_hits: int, second_runs: int, confidence: float = 0.95
) -> tuple[float, float]:
    """Interval of p(first) - p(second) for independent samples (Newcombe's method 10)."""
    if first_runs == 0 or second_runs == 0:
        return math.nan, math.nan
    first, second = first_hits / first_runs, second_hits / second_runs
    low1, high1 = wilson_interval(first_hits, first_runs, confidence)
    low2, high2 = wilson_interval(second_hits, second_runs, confidence)
    difference = first - second
    below = math.hypot(first - low1, high2 - second)
    above = math.hypot(high1 - first, second - low2)
    return max(-1.0, difference - below), min(1.0, difference + above)


def side(hits: np.ndarray) -> dict[str, Any]:
    """Runs, hits, density and its Wilson interval of one side's ok runs."""
    runs, count = len(hits), int(hits.sum())
    low, high = wilson_interval(count, runs)
    return {
        "runs": runs,
        "hits": count,
        "density": count / runs if runs else None,
        "ci": [low, high],
    }


def judge(
    out_dir: str | Path,
    runs: pd.DataFrame,
    outcome: str,
    inside_points: list[int],
    discovered_ci: list[float],
) -> dict[str, Any]:
    """Inside, complement, their difference and whether the box holds, from the fresh runs."""
    ok = runs[runs["status"] == STATUS_OK]
    hits = outcome_hits(ok, outcome, out_dir)
    within = ok["point"].isin(inside_points).to_numpy()
    inside, complement = side(hits[within]), side(hits[~within])
    low, high = difference_interval(
        inside["hits"], inside["runs"], complement["hits"], complement["runs"]
    )
    value = (
        inside["density"] - complement["density"] if inside["runs"] and complement["runs"] else None
    )
    overlaps = inside["runs"] > 0 and (
        inside["ci"][1] >= discovered_ci[0] and inside["ci"][0] <= discovered_ci[1]
    )
    return {
        "inside": inside,
        "complement": complement,
        "difference": {"value": value, "ci": [low, high], "method": DIFFERENCE_METHOD},
        "failed_runs": int((runs["status"] != STATUS_OK).sum()),
        "holds": bool(overlaps and math.isfinite(low) and low > 0),
        "rule": RULE,
    }


def render_text(result: dict[str, Any]) -> str:
    """The box, the discovered and fresh densities with intervals, and the verdict with its rule."""
    discovered, difference = result["discovered"], result["difference"]
    lines = [
        f"Verification of box {result['box']} of {result['outcome']} ({result['method']}) in "
        f"{result['experiment']}: {result['runs']} fresh runs in {result['out']}",
        *(f"  {low:.6g} <= {key} <= {high:.6g}" for key, (low, high) in result["limits"].items()),
        f"Discovered density:  {_share(discovered['density'], discovered['ci'])}",
        f"Inside the box:      {_side_text(result['inside'])}",
        f"In its complement:   {_side_text(result['complement'])}",
        f"Inside - complement: {_points(difference['value'])} points "
        f"(95% CI {_points(difference['ci'][0])} to {_points(difference['ci'][1])})",
        f"Verdict: {'holds' if result['holds'] else 'does not hold'} (the box {RULE}).",
    ]
    if result["failed_runs"]:
        lines.append(f"{result['failed_runs']} fresh runs failed and are left out.")
    return "\n".join(lines) + "\n"


def _side_text(part: dict[str, Any]) -> str:
    return f"{part['hits']} of {part['runs']} runs, {_share(part['density'], part['ci'])}"


def _share(density: float | None, ci: list[float | None]) -> str:
    return f"{_percent(density)} (95% CI {_percent(ci[0])} to {_percent(ci[1])})"


def _percent(value: float | None) -> str:
    return "-" if value is None or not math.isfinite(value) else f"{100 * value:.1f}%"


def _points(value: float | None) -> str:
    return "-" if value is None or not math.isfinite(value) else f"{100 * value:+.1f}"
