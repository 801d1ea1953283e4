"""PRIM (Friedman & Fisher's patient rule induction) over design points weighted by their runs.

Each design point carries its number of ok runs and how many of them show the outcome, so a
point's share counts as much as its runs: the density of a box is hits / runs over the runs in
it, its mass the share of all runs in it, its coverage the share of all hits in it. That is
what makes it noise-aware: five replicates that hit twice weigh as five runs, not as one 0.4.

Peeling removes, at each step, the slice of about `peel_alpha` of the box's runs (below a lower
or above an upper limit of one parameter) whose removal leaves the densest box; it stops when
the box would fall under `min_mass` of all runs. Grid parameters peel a whole level at a time.
Pasting then widens the chosen box again wherever that raises its density.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Points:
    """Design points: parameter values (points x parameters), runs and hits per point."""

    values: np.ndarray
    runs: np.ndarray
    hits: np.ndarray

    def subset(self, rows: np.ndarray) -> Points:
        return Points(self.values[rows], self.runs[rows], self.hits[rows])


@dataclass(frozen=True)
class Box:
    """Limits per parameter (low, high; inclusive) and the runs and hits of the points inside."""

    low: np.ndarray
    high: np.ndarray
    runs: int
    hits: int

    @property
    def density(self) -> float:
        return self.hits / self.runs if self.runs else 0.0


def inside(values: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Which points lie within the limits (inclusive on both sides)."""
    return np.all((values >= low) & (values <= high), axis=1)


def make_box(points: Points, low: np.ndarray, high: np.ndarray) -> Box:
    members = inside(points.values, low, high)
    return Box(low, high, int(points.runs[members].sum()), int(points.hits[members].sum()))


def full_box(points: Points) -> Box:
    """The box of every point: each parameter's observed range."""
    return make_box(points, points.values.min(axis=0), points.values.max(axis=0))


def peel(points: Points, start: Box, peel_alpha: float, min_runs: float) -> list[Box]:
    """The peeling trajectory from `start`: one box per step, `start` first."""
    trajectory = [start]
    box = start
    while True:
        best: Box | None = None
        for candidate in _peel_candidates(points, box, peel_alpha):
            if candidate.runs < min_runs or candidate.runs == 0:
                continue
            if best is None or candidate.density > best.density:
                best = candidate  # ties keep the first: parameter order, lower side first
        if best is None:  # peeled down to min_runs: the chooser picks a step afterwards
            return trajectory
        trajectory.append(best)
        box = best


def _peel_candidates(points: Points, box: Box, alpha: float) -> list[Box]:
    # Only the box's own points can leave it: count each candidate over them alone.
    members = inside(points.values, box.low, box.high)
    values, runs, hits = points.values[members], points.runs[members], points.hits[members]
    wanted = alpha * runs.sum()
    candidates = []
    for column in range(values.shape[1]):
        levels, level_of = np.unique(values[:, column], return_inverse=True)
        if len(levels) < 2:
            continue
        runs_per_level = np.bincount(level_of, weights=runs, minlength=len(levels))
        hits_per_level = np.bincount(level_of, weights=hits, minlength=len(levels))
        # lower side: drop the fewest lowest levels that hold at least alpha of the runs
        below = int(np.searchsorted(np.cumsum(runs_per_level), wanted, side="left")) + 1
        above = int(np.searchsorted(np.cumsum(runs_per_level[::-1]), wanted, side="left")) + 1
        if below < len(levels):
            low = box.low.copy()
            low[column] = levels[below]
            kept = slice(below, None)
            candidates.append(
                Box(low, box.high, int(runs_per_level[kept].sum()), int(hits_per_level[kept].sum()))
            )
        if above < len(levels):
            high = box.high.copy()
            high[column] = levels[len(levels) - 1 - above]
            kept = slice(None, len(levels) - above)
            candidates.append(
                Box(box.low, high, int(runs_per_level[kept].sum()), int(hits_per_level[kept].sum()))
            )
    return candidates


def paste(points: Points, box: Box, paste_alpha: float, bounds: Box) -> Box:
    """Widen `box` (within `bounds`) one slice at a time while that raises its density."""
    while True:
        best = box
        for candidate in _paste_candidates(points, box, paste_alpha, bounds):
            if candidate.density > best.density:
                best = candidate
        if best is box:
            return box
        box = best


def _paste_candidates(points: Points, box: Box, alpha: float, bounds: Box) -> list[Box]:
    wanted = alpha * box.runs
    candidates = []
    for column in range(points.values.shape[1]):
        others = np.ones(points.values.shape[1], dtype=bool)
        others[column] = False
        beside = inside(points.values[:, others], box.low[others], box.high[others])
        column_values = points.values[beside, column]
        column_runs = points.runs[beside]
        for side in ("low", "high"):
            if side == "low":
                outside = (column_values < box.low[column]) & (column_values >= bounds.low[column])
            else:
                outside = (column_values > box.high[column]) & (
                    column_values <= bounds.high[column]
                )
            if not outside.any():
                continue
            levels, level_of = np.unique(column_values[outside], return_inverse=True)
            per_level = np.bincount(level_of, weights=column_runs[outside], minlength=len(levels))
            if side == "low":  # the nearest levels first
                levels, per_level = levels[::-1], per_level[::-1]
            taken = int(np.searchsorted(np.cumsum(per_level), wanted, side="left"))
            limit = levels[min(taken, len(levels) - 1)]
            low, high = box.low.copy(), box.high.copy()
            (low if side == "low" else high)[column] = limit
            candidates.append(make_box(points, low, high))
    return candidates


def choose_step(trajectory: list[Box], total_hits: int) -> int:
    """The step that best trades coverage for density: the largest coverage x density.

    Coverage x density = hits² / (runs x all hits): peeling a slice pays while the slice is
    less than half as dense as the box, so the choice stops at the edge of a dense region
    rather than peeling on into noise.
    """
    if total_hits == 0:
        return 0
    scores = [box.hits * box.hits / (box.runs * total_hits) for box in trajectory]
    return int(np.argmax(scores))  # the first of equal scores: the larger box


def restricted(box: Box, bounds: Box) -> np.ndarray:
    """Which parameters the box limits (low above or high below the data's range)."""
    return (box.low > bounds.low) | (box.high < bounds.high)
