"""Hop counts from the places that matter, kept current as Daly adds planets.

A source's hops are found once by a breadth-first search in C (scipy's sparse graph
routines) and then carried forward: a new planet is one hop beyond its nearest neighbour,
and only a new planet whose neighbours lie more than two hops apart can shorten the way to
anything else, which sends that source back to the search the next time it is asked for.
"""

from __future__ import annotations

from itertools import chain

import numpy as np
from scipy.sparse import csr_array
from scipy.sparse.csgraph import breadth_first_order

UNREACHABLE = 99  # hops reported for a planet that cannot be reached
# Sources kept at once (the least recently asked for is dropped): the ship's and the
# sightings' planets change all run long, and each source holds one entry per planet.
# Dropping one only means searching again when it is next asked for; results are the same.
CACHED_SOURCES = 64


class HopCache:
    """Hops from each asked-for source to every planet, over the galaxy's adjacency lists."""

    def __init__(self, adjacency: list[list[int]]) -> None:
        self._adjacency = adjacency  # the galaxy's own lists, grown in place as it grows
        self._hops: dict[int, np.ndarray] = {}  # source -> hops, longer than the galaxy
        self._cut_off: set[int] = set()  # sources some planet cannot be reached from
        # the read-only views handed out, until the galaxy grows (a view per call cost more
        # than the rest of a cached answer)
        self._views: dict[int, np.ndarray] = {}
        self._matrix: csr_array | None = None

    def hops_from(self, source: int) -> np.ndarray:
        """Hop counts from `source` to every planet, read-only."""
        hops = self._hops.pop(source, None)  # popped and put back: the newest at the end
        if hops is None:
            hops = self._search(source)
            if len(self._hops) >= CACHED_SOURCES:
                oldest = next(iter(self._hops))
                del self._hops[oldest]
                self._cut_off.discard(oldest)
                self._views.pop(oldest, None)
        self._hops[source] = hops
        view = self._views.get(source)
        if view is None:
            view = self._views[source] = hops[: len(self._adjacency)]
            view.flags.writeable = False
        return view

    def holds(self, source: int) -> bool:
        """True while `source`'s hops are kept (and so carried over each new planet)."""
        return source in self._hops

    def planet_added(self, node: int, neighbours: list[int]) -> list[int]:
        """Carry every cached source over a new planet; returns the sources dropped."""
        self._matrix = None
        self._views.clear()
        dropped = []
        for source, hops in list(self._hops.items()):
            near = hops[neighbours]
            lowest, highest = int(near.min()), int(near.max())
            if source in self._cut_off or highest - lowest > 2:
                del self._hops[source]
                self._cut_off.discard(source)
                dropped.append(source)
                continue
            if node >= len(hops):
                hops = self._hops[source] = np.concatenate([hops, np.empty_like(hops)])
            hops[node] = lowest + 1
        return dropped

    def _search(self, source: int) -> np.ndarray:
        """Breadth-first from `source`: its order, read level by level, gives the hops."""
        order, parents = breadth_first_order(
            self._adjacency_matrix(), source, directed=True, return_predecessors=True
        )
        size = len(self._adjacency)
        hops = np.full(2 * size, UNREACHABLE, dtype=np.int64)  # room for Daly's next planets
        if len(order) < size:
            self._cut_off.add(source)
        place = np.empty(size, dtype=np.int64)
        place[order] = np.arange(len(order))
        # where each planet's parent stands in the order: it never decreases along the order,
        # so each level starts where the parents from the level before run out
        parent_place = place[parents[order[1:]]]
        starts, start, end = [0], 0, 1
        while end < len(order):
            start, end = end, 1 + int(np.searchsorted(parent_place, end, side="left"))
            starts.append(start)
        starts.append(len(order))
        levels = np.repeat(np.arange(len(starts) - 1), np.diff(starts))
        hops[order] = levels
        return hops

    def _adjacency_matrix(self) -> csr_array:
        if self._matrix is None:
            size = len(self._adjacency)
            lengths = np.fromiter(map(len, self._adjacency), dtype=np.int32, count=size)
            pointers = np.concatenate([[0], np.cumsum(lengths, dtype=np.int32)])
            columns = np.fromiter(chain.from_iterable(self._adjacency), dtype=np.int32)
            weights = np.ones(len(columns))
            self._matrix = csr_array((weights, columns, pointers), shape=(size, size))
        return self._matrix
