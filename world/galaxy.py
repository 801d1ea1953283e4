"""The galaxy of Infinity: planets on a networkx graph, warp lanes weighted by distance.

Node ids are contiguous integers so per-planet state (players, prices) lives in numpy arrays
indexed by node. Hop distances are cached per source and invalidated when Daly builds.
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np

UNREACHABLE = 99  # hops reported for a planet that cannot be reached
LANE_SCALE = 5.0  # drawing units -> warp distance units

_SYLLABLES = (
    "ka",
    "ro",
    "vex",
    "tal",
    "mir",
    "zan",
    "qu",
    "ul",
    "dor",
    "pha",
    "neb",
    "iri",
    "os",
    "tek",
    "lum",
    "gar",
    "sel",
    "ya",
    "bru",
    "xo",
    "ven",
    "tha",
    "ori",
    "kel",
)


class Galaxy:
    """Planets and lanes; the Heart of Infinity at the centre and XJ-500 at the rim."""

    def __init__(self, settings, rng: np.random.Generator) -> None:
        self.settings = settings
        self.graph = nx.Graph()
        self.alive = True
        self._hops: dict[int, np.ndarray] = {}
        self._neighbours: dict[int, list[int]] = {}
        self._kinds: dict[tuple[str, ...], list[int]] = {}
        self._nearest_by_kind: dict[tuple[int, str], tuple[int | None, int]] = {}
        self._names: set[str] = set()
        self.heart = self._add_node("Heart of Infinity", (0.0, 0.0), "heart", 0, 0.0, 1.0, 1.0)
        for _ in range(settings.initial_planets):
            radius = math.sqrt(rng.uniform(0.06, 1.0))
            angle = rng.uniform(0, 2 * math.pi)
            self._add_random_planet((radius * math.cos(angle), radius * math.sin(angle)), 0, rng)
        ordinary = self.planets_of_kind("ordinary", "market")
        self._connect_nearest(ordinary, settings.lanes_per_planet)
        self._connect_spanning_tree(ordinary)
        self._link(self.heart, self._nearest(self.heart, ordinary, settings.heart_lanes))
        angle = rng.uniform(0, 2 * math.pi)
        self.xj500 = self._add_node(
            "XJ-500", (1.12 * math.cos(angle), 1.12 * math.sin(angle)), "xj500", 0, 0.0, 1.0, 0.0
        )
        self._link(self.xj500, self._nearest(self.xj500, ordinary, 1))

    # ----------------------------------------------------------------- building
    def _add_node(self, name, pos, kind, tick, appeal, price, moderation) -> int:
        node = self.graph.number_of_nodes()
        self.graph.add_node(
            node,
            name=name,
            pos=pos,
            kind=kind,
            created_tick=tick,
            attractiveness=appeal,
            price_multiplier=price,
            moderation=moderation,
        )
        self._names.add(name)
        self._forget_paths()
        return node

    def _add_random_planet(self, pos, tick: int, rng: np.random.Generator) -> int:
        kind = "market" if rng.random() < self.settings.market_share else "ordinary"
        appeal = float(rng.lognormal(0.0, self.settings.attractiveness_sigma))
        price = float(rng.uniform(0.8, 1.25))
        moderation = float(np.clip(rng.normal(self.settings.moderation_mean, 0.1), 0, 1))
        return self._add_node(self._new_name(rng), pos, kind, tick, appeal, price, moderation)

    def _new_name(self, rng: np.random.Generator) -> str:
        while True:
            parts = rng.choice(len(_SYLLABLES), size=int(rng.integers(2, 4)))
            name = "".join(_SYLLABLES[int(i)] for i in parts).capitalize()
            name = f"{name}-{int(rng.integers(2, 99))}" if rng.random() < 0.3 else name
            if name not in self._names:
                return name

    def _distance(self, a: int, b: int) -> float:
        (ax, ay), (bx, by) = self.graph.nodes[a]["pos"], self.graph.nodes[b]["pos"]
        return max(0.2, LANE_SCALE * math.hypot(ax - bx, ay - by))

    def _link(self, node: int, others: list[int]) -> None:
        for other in others:
            self.graph.add_edge(node, other, distance=self._distance(node, other))
        self._forget_paths()

    def _forget_paths(self) -> None:
        """The graph changed: cached hops, neighbours and kind lists are stale."""
        self._hops.clear()
        self._neighbours.clear()
        self._kinds.clear()
        self._nearest_by_kind.clear()

    def _nearest(self, node: int, candidates: list[int], count: int) -> list[int]:
        ranked = sorted((self._distance(node, c), c) for c in candidates if c != node)
        return [c for _, c in ranked[:count]]

    def _connect_nearest(self, nodes: list[int], count: int) -> None:
        for node in nodes:
            self._link(node, self._nearest(node, nodes, count))

    def _connect_spanning_tree(self, nodes: list[int]) -> None:
        complete = nx.Graph()
        complete.add_weighted_edges_from(
            (a, b, self._distance(a, b)) for i, a in enumerate(nodes) for b in nodes[i + 1 :]
        )
        for a, b in sorted(nx.minimum_spanning_edges(complete, data=False)):
            self._link(a, [b])

    def add_planet(self, tick: int, rng: np.random.Generator) -> int:
        """Daly's work: a new planet near the rim of what exists, joined to its nearest."""
        angle = rng.uniform(0, 2 * math.pi)
        radius = math.sqrt(rng.uniform(0.1, 1.0)) * (1.0 + 0.002 * self.graph.number_of_nodes())
        node = self._add_random_planet(
            (radius * math.cos(angle), radius * math.sin(angle)), tick, rng
        )
        ordinary = [n for n in self.planets_of_kind("ordinary", "market") if n != node]
        self._link(node, self._nearest(node, ordinary, 2))
        return node

    # ----------------------------------------------------------------- queries
    @property
    def size(self) -> int:
        return self.graph.number_of_nodes()

    @property
    def full(self) -> bool:
        """Infinity holds `max_planets` ordinary planets: Daly can build no more."""
        return len(self.planets_of_kind("ordinary", "market")) >= self.settings.max_planets

    def planets_of_kind(self, *kinds: str) -> list[int]:
        cached = self._kinds.get(kinds)
        if cached is None:
            cached = [n for n, kind in self.graph.nodes(data="kind") if kind in kinds]
            self._kinds[kinds] = cached
        return cached

    def name(self, node: int) -> str:
        return self.graph.nodes[node]["name"]

    def kind(self, node: int) -> str:
        return self.graph.nodes[node]["kind"]

    def neighbours(self, node: int) -> list[int]:
        cached = self._neighbours.get(node)
        if cached is None:
            cached = sorted(self.graph.neighbors(node))
            self._neighbours[node] = cached
        return cached

    def lane_distance(self, a: int, b: int) -> float:
        return self.graph.edges[a, b]["distance"]

    def hops_from(self, node: int) -> np.ndarray:
        """Hop counts from `node` to every planet (UNREACHABLE if cut off), cached."""
        hops = self._hops.get(node)
        if hops is None:
            hops = np.full(self.size, UNREACHABLE, dtype=np.int64)
            for other, length in nx.single_source_shortest_path_length(self.graph, node).items():
                hops[other] = length
            self._hops[node] = hops
        return hops

    def step_toward(self, source: int, target: int) -> int:
        """The neighbour of `source` on a shortest path to `target` (lowest id on ties)."""
        if source == target:
            return source
        hops = self.hops_from(target)
        return min(self.neighbours(source), key=lambda n: (hops[n], n))

    def nearest_of_kind(self, node: int, kind: str) -> tuple[int | None, int]:
        """The nearest planet of `kind` and its hop count (cached until the graph changes)."""
        cached = self._nearest_by_kind.get((node, kind))
        if cached is None:
            cached = self._nearest_by_kind[node, kind] = self._find_nearest(node, kind)
        return cached

    def _find_nearest(self, node: int, kind: str) -> tuple[int | None, int]:
        hops = self.hops_from(node)
        candidates = [(int(hops[n]), n) for n in self.planets_of_kind(kind)]
        if not candidates:
            return None, UNREACHABLE
        best_hops, best = min(candidates)
        return best, best_hops

    def attribute_array(self, name: str) -> np.ndarray:
        return np.array([data for _, data in self.graph.nodes(data=name)], dtype=float)
