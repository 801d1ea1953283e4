"""The galaxy of Infinity: planets on a networkx graph, warp lanes weighted by distance.

Node ids are contiguous integers so per-planet state (players, prices) lives in numpy arrays
indexed by node. The galaxy keeps its positions, attributes, kind lists and adjacency in arrays
and lists that only grow, so nothing needs rescanning when Daly builds, and a run reads only
those; the networkx graph (for the record, the dashboard and users) is drawn when first read.
Hop counts are cached per source and carried forward across his planets (`galaxy_hops.py`).
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
from scipy.spatial import cKDTree

from world.galaxy_build import (
    disc_points,
    draw_planets,
    lane_lengths,
    nearest,
    sorted_unique,
    spanning_tree,
)
from world.galaxy_hops import UNREACHABLE, HopCache
from world.galaxy_join import JoinIndex

PLANET_KINDS = ("ordinary", "market")  # the kinds Daly and the first draw make
INNER_SHARE = 0.06  # share of the disc's area around the Heart left empty at the start
XJ500_RADIUS = 1.12  # XJ-500 lies just beyond the first planets' rim
DALY_LANES = 2  # lanes joining each planet Daly builds to its nearest
DALY_INNER_SHARE = 0.1  # Daly builds in the disc without this share of its area...
DALY_SPREAD = 0.002  # ...whose radius grows by this for every planet already built
# numeric node attributes, also kept as arrays, in the order `_store` takes them
COLUMNS = ("created_tick", "attractiveness", "price_multiplier", "moderation")


class Galaxy:
    """Planets and lanes; the Heart of Infinity at the centre and XJ-500 at the rim."""

    def __init__(self, settings, rng: np.random.Generator) -> None:
        self.settings = settings
        self._graph: nx.Graph | None = None  # drawn when first read: see `graph`
        self.alive = True
        count = settings.initial_planets
        self._taken: set[str] = {"Heart of Infinity", "XJ-500"}
        points = disc_points(rng, count, INNER_SHARE, 1.0)
        drawn = draw_planets(rng, count, settings, self._taken)
        angle = rng.uniform(0, 2 * math.pi)
        self.heart, self.xj500 = 0, count + 1
        rim = (XJ500_RADIUS * math.cos(angle), XJ500_RADIUS * math.sin(angle))
        positions = np.concatenate([[(0.0, 0.0)], points, [rim]])
        self._positions = positions
        self._names = ["Heart of Infinity", *drawn.names, "XJ-500"]
        kinds = np.where(drawn.market, "market", "ordinary").tolist()
        self._kinds = ["heart", *kinds, "xj500"]
        self._columns = {
            "created_tick": np.zeros(count + 2),
            "attractiveness": np.concatenate([[0.0], drawn.appeal, [0.0]]),
            "price_multiplier": np.concatenate([[1.0], drawn.price, [1.0]]),
            "moderation": np.concatenate([[1.0], drawn.moderation, [0.0]]),
        }
        self._size = count + 2
        planets = np.arange(1, count + 1)
        tree = cKDTree(points)
        first, second = self._first_lanes(tree, planets, points, rim)
        self._adjacency = _adjacency(self._size, first, second)
        self._join = JoinIndex(planets, points, tree)
        self._hops = HopCache(self._adjacency)
        self._by_kind: dict[str, list[int]] = {
            kind: [] for kind in ("heart", "xj500", *PLANET_KINDS)
        }
        for node, kind in enumerate(self._kinds):
            self._by_kind[kind].append(node)
        self._planets = count  # ordinary planets, markets included
        self._kind_lists: dict[tuple[str, ...], list[int]] = {}
        self._nearest_by_kind: dict[tuple[int, str], tuple[int | None, int]] = {}
        self._lane_distances: dict[tuple[int, int], float] = {}  # (a, b) -> lane_distance

    # ----------------------------------------------------------------- building
    def _first_lanes(self, tree, planets, points, rim) -> tuple[np.ndarray, np.ndarray]:
        """Every lane at tick 0 as (low id, high id) pairs, sorted and without repeats."""
        settings = self.settings
        rows, lanes, _ = nearest(
            tree, planets, points, settings.lanes_per_planet, planets, own=True
        )
        low, high = spanning_tree(points)
        _, hearts, _ = nearest(tree, planets, np.zeros((1, 2)), settings.heart_lanes, None)
        _, rims, _ = nearest(tree, planets, np.array([rim]), 1, None)
        first = np.concatenate([planets[rows], planets[low], np.zeros_like(hearts), rims])
        second = np.concatenate([lanes, planets[high], hearts, np.full_like(rims, self.xj500)])
        lanes = sorted_unique(np.minimum(first, second) * self._size + np.maximum(first, second))
        return lanes // self._size, lanes % self._size

    @property
    def graph(self) -> nx.Graph:
        """The galaxy as a networkx graph: nodes with their attributes, lanes with `distance`.

        Drawn on first read and kept up to date from then on. A run reads the galaxy's arrays,
        so a batch run never pays for tens of thousands of per-planet dicts; the record, the
        dashboard and user code read this.
        """
        if self._graph is None:
            self._graph = self._draw_graph()
        return self._graph

    def _draw_graph(self) -> nx.Graph:
        """Every planet and lane as they stand, built in bulk."""
        size, positions, columns = self._size, self._positions, self._columns
        graph = nx.Graph()
        rows = zip(
            self._names,
            map(tuple, positions[:size].tolist()),
            self._kinds,
            columns["created_tick"][:size].astype(np.int64).tolist(),
            columns["attractiveness"][:size].tolist(),
            columns["price_multiplier"][:size].tolist(),
            columns["moderation"][:size].tolist(),
            strict=True,
        )
        graph.add_nodes_from((node, _node_data(*row)) for node, row in enumerate(rows))
        pairs = [(a, b) for a, others in enumerate(self._adjacency) for b in others if a < b]
        first, second = np.array(pairs, dtype=np.int64).reshape(-1, 2).T
        lengths = lane_lengths(positions[first], positions[second]).tolist()
        graph.add_edges_from(
            (a, b, {"distance": d}) for (a, b), d in zip(pairs, lengths, strict=True)
        )
        return graph

    def add_planet(self, tick: int, rng: np.random.Generator) -> int:
        """Daly's work: a new planet near the rim of what exists, joined to its nearest."""
        scale = 1.0 + DALY_SPREAD * self._size
        point = disc_points(rng, 1, DALY_INNER_SHARE, scale)
        drawn = draw_planets(rng, 1, self.settings, self._taken)
        node, kind = self._size, "market" if drawn.market[0] else "ordinary"
        position = (float(point[0, 0]), float(point[0, 1]))
        values = (tick, float(drawn.appeal[0]), float(drawn.price[0]), float(drawn.moderation[0]))
        self._store(node, drawn.names[0], position, kind, values)
        joined = self._join.nearest(position, DALY_LANES)
        self._join.add(node, position)
        self._adjacency.append(sorted(joined))
        for other in joined:
            self._adjacency[other].append(node)  # the highest id yet: the list stays sorted
        if self._graph is not None:  # drawn already: keep it up to date
            self._graph.add_node(node, **_node_data(drawn.names[0], position, kind, *values))
            lengths = lane_lengths(point, self._positions[joined]).tolist()
            self._graph.add_edges_from(
                (node, other, {"distance": d}) for other, d in zip(joined, lengths, strict=True)
            )
        self._forget_nearest(kind, self._hops.planet_added(node, joined))
        return node

    def _store(self, node: int, name: str, position, kind: str, values) -> None:
        if node >= len(self._positions):  # room for as many again
            self._positions = np.concatenate([self._positions, np.empty_like(self._positions)])
            for key, column in self._columns.items():
                self._columns[key] = np.concatenate([column, np.empty_like(column)])
        self._positions[node] = position
        for key, value in zip(COLUMNS, values, strict=True):
            self._columns[key][node] = value
        self._names.append(name)
        self._kinds.append(kind)
        self._by_kind[kind].append(node)
        for kinds, members in self._kind_lists.items():
            if kind in kinds:
                members.append(node)
        self._planets += kind in PLANET_KINDS
        self._size += 1

    def _forget_nearest(self, kind: str, searched_again: list[int]) -> None:
        """Drop the nearest-of-kind answers a new planet of `kind` may have changed."""
        stale = set(searched_again)
        for key in list(self._nearest_by_kind):
            source, wanted = key
            if wanted == kind or source in stale or not self._hops.holds(source):
                del self._nearest_by_kind[key]

    # ----------------------------------------------------------------- queries
    @property
    def size(self) -> int:
        return self._size

    @property
    def full(self) -> bool:
        """Infinity holds `max_planets` ordinary planets: Daly can build no more."""
        return self._planets >= self.settings.max_planets

    def planets_of_kind(self, *kinds: str) -> list[int]:
        """Planets of any of `kinds`, by id (a list the galaxy keeps growing: do not change it)."""
        members = self._kind_lists.get(kinds)
        if members is None:
            members = [n for n, kind in enumerate(self._kinds) if kind in kinds]
            self._kind_lists[kinds] = members
        return members

    def name(self, node: int) -> str:
        return self._names[node]

    def kind(self, node: int) -> str:
        return self._kinds[node]

    def neighbours(self, node: int) -> list[int]:
        """Planets one lane from `node`, by id (the galaxy's own list: do not change it)."""
        return self._adjacency[node]

    def lane_distance(self, a: int, b: int) -> float:
        """Warp distance of the lane between `a` and `b` (the graph's `distance`)."""
        # Planets never move, and the ship asks about the same few lanes hour after hour:
        # each pair is measured once (a lookup costs a tenth of numpy's small-array calls).
        distance = self._lane_distances.get((a, b))
        if distance is None:
            positions = self._positions
            distance = float(lane_lengths(positions[a : a + 1], positions[b : b + 1])[0])
            self._lane_distances[a, b] = distance
        return distance

    def attribute(self, node: int, name: str) -> float:
        """One numeric attribute of one planet (`attractiveness`, `moderation`...)."""
        return float(self._columns[name][node])

    def hops_from(self, node: int) -> np.ndarray:
        """Hop counts from `node` to every planet (UNREACHABLE if cut off), read-only."""
        return self._hops.hops_from(node)

    def step_toward(self, source: int, target: int) -> int:
        """The neighbour of `source` on a shortest path to `target` (lowest id on ties)."""
        if source == target:
            return source
        hops = self.hops_from(target)
        return min(self.neighbours(source), key=lambda n: (hops[n], n))

    def nearest_of_kind(self, node: int, kind: str) -> tuple[int | None, int]:
        """The nearest planet of `kind` and its hops (cached; a new planet drops stale answers)."""
        cached = self._nearest_by_kind.get((node, kind))
        if cached is None:
            cached = self._nearest_by_kind[node, kind] = self._find_nearest(node, kind)
        return cached

    def _find_nearest(self, node: int, kind: str) -> tuple[int | None, int]:
        """From the cached hops if `node` has them, else by searching outward only as far as
        the first ring holding a planet of `kind` (a few planets, not the whole galaxy)."""
        if not self._by_kind[kind]:
            return None, UNREACHABLE
        if self._hops.holds(node):
            members = np.asarray(self._by_kind[kind], dtype=np.int64)
            hops = self.hops_from(node)[members]
            best = int(np.argmin(hops))  # the first of the fewest hops: the lowest id
            return int(members[best]), int(hops[best])
        seen, ring, hops = {node}, [node], 0
        while ring:
            found = [n for n in ring if self._kinds[n] == kind]
            if found:
                return min(found), hops
            reached = []
            for here in ring:
                for other in self._adjacency[here]:
                    if other not in seen:
                        seen.add(other)
                        reached.append(other)
            ring, hops = reached, hops + 1
        return None, UNREACHABLE

    def attribute_array(self, name: str) -> np.ndarray:
        """One numeric attribute (one of `COLUMNS`) of every planet, by id (a copy)."""
        return self._columns[name][: self._size].copy()


def _node_data(name, pos, kind, tick, appeal, price, moderation) -> dict:
    return {
        "name": name,
        "pos": pos,
        "kind": kind,
        "created_tick": tick,
        "attractiveness": appeal,
        "price_multiplier": price,
        "moderation": moderation,
    }


def _adjacency(size: int, first: np.ndarray, second: np.ndarray) -> list[list[int]]:
    """Each node's neighbours in ascending order, from (a, b) lane pairs."""
    heads = np.concatenate([first, second])
    tails = np.concatenate([second, first])
    order = np.lexsort((tails, heads))
    ends = np.cumsum(np.bincount(heads, minlength=size)).tolist()
    tails = tails[order].tolist()
    return [tails[start:end] for start, end in zip([0, *ends[:-1]], ends, strict=True)]
