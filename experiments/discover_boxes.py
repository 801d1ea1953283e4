"""Boxes of a scenario discovery, best first: PRIM's covering or CART's dense leaves.

Both work on `Points` (design points with runs and hits), so replicates count as runs. Each
box comes with quasi-p values (Bryant & Lempert 2010, as EMA Workbench defines them: the
one-sided binomial test of the box's hits against the density of the box with that one
restriction lifted) and the stability of each restriction under bootstrap resampling of the
design points (seeded: the same seed gives the same numbers).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from scipy import stats
from sklearn.tree import DecisionTreeRegressor

from experiments.discover_prim import (
    Box,
    Points,
    choose_step,
    full_box,
    inside,
    make_box,
    paste,
    peel,
    restricted,
)
from experiments.statistics import wilson_interval


@dataclass(frozen=True)
class Settings:
    """How boxes are found: PRIM's peel and paste slices, the smallest box, CART's depth."""

    peel_alpha: float = 0.05
    paste_alpha: float = 0.05
    min_mass: float = 0.05
    max_boxes: int = 3
    cart_depth: int = 4


SIGNIFICANT = 0.05  # a limit matters when its quasi-p value is below this
NO_BOX = (
    "No box: no region of the parameters stands out (surely denser than the runs it leaves, "
    "with a limit that matters). PRIM peels from the edges of each range, so an outcome dense "
    "at both ends of a range can hide from it: try --method cart."
)


@dataclass(frozen=True)
class Discovery:
    """Boxes best first, and the trajectory shown for the first (PRIM) or all leaves (CART)."""

    boxes: list[Box]
    trajectory: list[Box]
    chosen_step: int
    # per box, the points it was found among (PRIM's covering: those no earlier box holds);
    # its quasi-p values are tested there. Empty: every box among all points.
    found_among: list[np.ndarray] = field(default_factory=list)


Finder = Callable[[Points, Settings], Discovery]


def prim_boxes(points: Points, settings: Settings) -> Discovery:
    """PRIM with covering: box k is found among the points no earlier box holds."""
    bounds = full_box(points)
    total_runs = int(points.runs.sum())
    total_hits = int(points.hits.sum())
    remaining = np.ones(len(points.runs), dtype=bool)
    boxes: list[Box] = []
    found_among: list[np.ndarray] = []
    first_trajectory: list[Box] = []
    first_step = 0
    while len(boxes) < settings.max_boxes:
        rest = points.subset(remaining)
        if rest.hits.sum() == 0:
            break
        start = make_box(rest, bounds.low, bounds.high)
        trajectory = peel(rest, start, settings.peel_alpha, settings.min_mass * total_runs)
        step = choose_step(trajectory, total_hits)
        box = paste(rest, trajectory[step], settings.paste_alpha, bounds)
        if not boxes:  # shown even when no box passes: the peeling shows why
            first_trajectory, first_step = trajectory, step
        if not _stands_out(rest, box, bounds):
            break
        boxes.append(box)
        found_among.append(remaining.copy())
        remaining &= ~inside(points.values, box.low, box.high)
    if not first_trajectory:  # no run shows the outcome: nothing was peeled
        first_trajectory = [bounds]
    return Discovery(boxes, first_trajectory, first_step, found_among)


def _stands_out(rest: Points, box: Box, bounds: Box) -> bool:
    """Whether `box` is a region of its own among the points left to cover (`rest`).

    It must be surely denser than the runs it leaves out (its 95% Wilson interval above
    theirs), and at least one of its limits must matter there: a quasi-p value among `rest`
    below 5% divided by the number of its limits (Bonferroni: peeling tried them all). A box
    whose every limit could be dropped without losing density is peeling's noise. A region
    below the batch's base rate can stand out: what counts is its surroundings.
    """
    if not restricted(box, bounds).any():
        return False
    outside = ~inside(rest.values, box.low, box.high)
    left_runs, left_hits = int(rest.runs[outside].sum()), int(rest.hits[outside].sum())
    above = wilson_interval(left_hits, left_runs)[1] if left_runs else 0.0
    if not wilson_interval(box.hits, box.runs)[0] > above:
        return False
    tests = quasi_p(rest, box, bounds)
    return min(tests.values()) < SIGNIFICANT / len(tests)


def cart_boxes(points: Points, settings: Settings) -> Discovery:
    """CART (scikit-learn's regression tree on the shares, weighted by runs): dense leaves.

    Leaves denser than the base rate are the boxes, densest first; the trajectory is their
    union, one leaf more per step (coverage rises, density falls).
    """
    bounds = full_box(points)
    total_runs = int(points.runs.sum())
    share = np.divide(
        points.hits, points.runs, out=np.zeros(len(points.runs)), where=points.runs > 0
    )
    tree = DecisionTreeRegressor(
        max_depth=settings.cart_depth,
        min_weight_fraction_leaf=settings.min_mass,
        random_state=0,
    ).fit(points.values, share, sample_weight=points.runs)
    leaf_of = tree.apply(points.values)
    base = points.hits.sum() / total_runs
    leaves = []
    for leaf in np.unique(leaf_of):
        members = leaf_of == leaf
        # limits: the range of the leaf's own points on the parameters its path splits
        low = np.where(_split_on(tree, leaf), points.values[members].min(axis=0), bounds.low)
        high = np.where(_split_on(tree, leaf), points.values[members].max(axis=0), bounds.high)
        box = make_box(points, low, high)
        if box.density > base:
            leaves.append(box)
    leaves.sort(key=lambda box: (-box.density, -box.hits))
    boxes = leaves[: settings.max_boxes]
    trajectory = [bounds]
    union = np.zeros(len(points.runs), dtype=bool)
    for box in leaves:
        union |= inside(points.values, box.low, box.high)
        trajectory.append(
            Box(
                bounds.low,
                bounds.high,
                int(points.runs[union].sum()),
                int(points.hits[union].sum()),
            )
        )
    return Discovery(boxes, trajectory, 1 if boxes else 0)


def _split_on(tree: DecisionTreeRegressor, leaf: int) -> np.ndarray:
    """Which parameters the path from the root to `leaf` splits on."""
    structure = tree.tree_
    parent = {}
    for node in range(structure.node_count):
        for child in (structure.children_left[node], structure.children_right[node]):
            if child >= 0:
                parent[int(child)] = node
    used = np.zeros(tree.n_features_in_, dtype=bool)
    node = int(leaf)
    while node in parent:
        node = parent[node]
        used[structure.feature[node]] = True
    return used


def quasi_p(points: Points, box: Box, bounds: Box) -> dict[int, float]:
    """Per restricted parameter: P(at least the box's hits | the density without that limit)."""
    values = {}
    for column in np.flatnonzero(restricted(box, bounds)):
        low, high = box.low.copy(), box.high.copy()
        low[column], high[column] = bounds.low[column], bounds.high[column]
        relaxed = make_box(points, low, high)
        test = stats.binomtest(box.hits, box.runs, relaxed.density, alternative="greater")
        values[int(column)] = float(test.pvalue)
    return values


def stability(
    points: Points, found: list[Box], finder: Finder, settings: Settings, resamples: int, seed: int
) -> list[dict[int, float]]:
    """Per box and parameter: the share of bootstrap resamples whose matching box restricts it.

    Each resample draws the design points with replacement and finds its boxes anew; box k's
    match is the resampled box that holds most nearly the same design points (Jaccard).
    """
    if resamples == 0:
        return [{} for _ in found]  # not asked for: no stability rather than a made-up one
    rng = np.random.default_rng(seed)
    members = [inside(points.values, box.low, box.high) for box in found]
    bounds = full_box(points)
    counts = [np.zeros(points.values.shape[1]) for _ in found]
    for _ in range(resamples):
        drawn = points.subset(rng.integers(0, len(points.runs), len(points.runs)))
        boxes = finder(drawn, settings).boxes
        if not boxes:
            continue
        for index, member in enumerate(members):
            overlaps = [_jaccard(member, inside(points.values, b.low, b.high)) for b in boxes]
            match = boxes[int(np.argmax(overlaps))]
            # the match's limits are within the resample's own range: judge them against it
            counts[index] += restricted(match, full_box(drawn))
    return [
        {int(c): float(count[c] / resamples) for c in np.flatnonzero(restricted(box, bounds))}
        for box, count in zip(found, counts, strict=True)
    ]


def _jaccard(first: np.ndarray, second: np.ndarray) -> float:
    union = np.count_nonzero(first | second)
    return np.count_nonzero(first & second) / union if union else 0.0
