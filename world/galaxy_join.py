"""Where Daly's new planets join: the nearest planets found without scanning them all.

A KD-tree holds most planets; the few added since it was built are scanned with numpy, and
the tree is rebuilt once they outnumber the square root of the whole, so a join costs
O(sqrt n) and the rebuilds O(sqrt n log n) a planet.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.spatial import cKDTree

from world.galaxy_build import TIED_RADIUS, lane_lengths


class JoinIndex:
    """The planets a new one may join, by position."""

    def __init__(self, ids: np.ndarray, points: np.ndarray, tree: cKDTree | None = None) -> None:
        self._ids = np.asarray(ids, dtype=np.int64)
        self._tree = cKDTree(points) if tree is None else tree
        self._recent_ids: list[int] = []
        self._recent_points: list[tuple[float, float]] = []

    def add(self, node: int, point: tuple[float, float]) -> None:
        self._recent_ids.append(node)
        self._recent_points.append(point)
        if len(self._recent_ids) > math.isqrt(len(self._ids) + len(self._recent_ids)):
            self._ids = np.concatenate([self._ids, self._recent_ids])
            self._tree = cKDTree(np.concatenate([self._tree.data, self._recent_points]))
            self._recent_ids, self._recent_points = [], []

    def nearest(self, point: tuple[float, float], count: int) -> list[int]:
        """The `count` planets nearest `point` by lane length, then by lower id."""
        here = np.array([point], dtype=float)
        ids, lengths = nearest_one(self._tree, self._ids, here, count)
        if self._recent_ids:
            recent = np.array(self._recent_points, dtype=float)
            ids = np.concatenate([ids, self._recent_ids])
            lengths = np.concatenate([lengths, lane_lengths(here, recent)])
            ids = ids[np.lexsort((ids, lengths))[:count]]
        return ids.tolist()


def nearest_one(
    tree: cKDTree, ids: np.ndarray, here: np.ndarray, count: int
) -> tuple[np.ndarray, np.ndarray]:
    """`galaxy_build.nearest` for one point (`here`, shape (1, 2)) with nothing excluded:
    the same choice and lengths, without the batching that costs more than one point's query.

    The candidates are the same: the `count` nearest, and the `count` lowest tree indices
    tied at the shortest lane; ranked by lane length, then id.
    """
    size = len(ids)
    wanted = min(size, count)
    if wanted == 0:
        return np.empty(0, np.int64), np.empty(0)
    _distances, found = tree.query(here, k=wanted)
    tied = sorted(tree.query_ball_point(here[0], TIED_RADIUS))[:count]
    columns = sorted({*found.ravel().tolist(), *tied} - {size})  # a short tree pads with `size`
    lengths = lane_lengths(here, tree.data[columns])
    ranked = np.argsort(lengths, kind="stable")[:count]  # columns ascend: ties keep id order
    return ids[columns][ranked], lengths[ranked]
