"""Hop counts carried over Daly's planets equal a fresh breadth-first search every time."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import world.galaxy_hops
from configuration.sections_world import Galaxy as GalaxySettings
from world.galaxy import Galaxy
from world.galaxy_hops import UNREACHABLE, HopCache


def fresh_hops(graph: nx.Graph, source: int) -> list[int]:
    lengths = nx.single_source_shortest_path_length(graph, source)
    return [lengths.get(node, UNREACHABLE) for node in range(graph.number_of_nodes())]


def make(seed: int, planets: int = 40) -> Galaxy:
    return Galaxy(GalaxySettings(initial_planets=planets), np.random.default_rng(seed))


@pytest.mark.parametrize("seed", range(5))
def test_hops_after_many_planets_equal_a_fresh_search(seed):
    galaxy = make(seed)
    rng = np.random.default_rng(seed + 50)
    sources = [galaxy.heart, galaxy.xj500, 1, 7, 20]
    for source in sources:
        galaxy.hops_from(source)
    for tick in range(120):
        node = galaxy.add_planet(tick, rng)
        if tick % 10 == 0:
            sources.append(node)  # a new planet becomes a place that matters too
        if tick % 7 == 0:
            for source in sources:
                assert galaxy.hops_from(source).tolist() == fresh_hops(galaxy.graph, source)
    for source in sources:
        assert galaxy.hops_from(source).tolist() == fresh_hops(galaxy.graph, source)


def test_nearest_market_follows_new_planets():
    galaxy = make(3)
    rng = np.random.default_rng(8)
    watched = [galaxy.heart, galaxy.xj500, 5, 11]
    for tick in range(80):
        for node in watched:
            found, hops = galaxy.nearest_of_kind(node, "market")
            distances = fresh_hops(galaxy.graph, node)
            markets = galaxy.planets_of_kind("market")
            assert (hops, found) == min((distances[m], m) for m in markets)
        galaxy.add_planet(tick, rng)


def test_a_source_dropped_from_the_cache_is_searched_again(monkeypatch):
    monkeypatch.setattr(world.galaxy_hops, "CACHED_SOURCES", 3)
    galaxy = make(1)
    rng = np.random.default_rng(2)
    for tick in range(30):
        for source in (1, 2, 3, 4, galaxy.heart):
            assert galaxy.hops_from(source).tolist() == fresh_hops(galaxy.graph, source)
            galaxy.nearest_of_kind(source, "market")
        galaxy.add_planet(tick, rng)
        for source in (1, 2, 3, 4, galaxy.heart):
            distances = fresh_hops(galaxy.graph, source)
            _, hops = galaxy.nearest_of_kind(source, "market")
            assert hops == min(distances[m] for m in galaxy.planets_of_kind("market"))


def test_hops_are_read_only_and_keep_their_length():
    galaxy = make(2)
    hops = galaxy.hops_from(galaxy.heart)
    with pytest.raises(ValueError):
        hops[0] = 5
    galaxy.add_planet(1, np.random.default_rng(1))
    assert len(hops) == 42 and len(galaxy.hops_from(galaxy.heart)) == 43


@settings(max_examples=60, deadline=None)
@given(
    edges=st.lists(st.tuples(st.integers(0, 14), st.integers(0, 14)), max_size=40),
    joins=st.lists(st.lists(st.integers(0, 40), min_size=1, max_size=3), max_size=25),
)
def test_any_graph_and_any_joins_match_networkx(edges, joins):
    """Cut-off planets included: unreachable ones read UNREACHABLE, before and after joins."""
    graph = nx.Graph()
    graph.add_nodes_from(range(15))
    graph.add_edges_from((a, b) for a, b in edges if a != b)
    adjacency = [sorted(graph.neighbors(node)) for node in range(15)]
    cache = HopCache(adjacency)
    for source in range(0, 15, 4):
        assert cache.hops_from(source).tolist() == fresh_hops(graph, source)
    for wanted in joins:
        node = len(adjacency)
        joined = sorted({other % node for other in wanted})
        adjacency.append(joined)
        for other in joined:
            adjacency[other].append(node)
        graph.add_edges_from((node, other) for other in joined)
        cache.planet_added(node, joined)
        for source in (0, 4, 8, node):
            assert cache.hops_from(source).tolist() == fresh_hops(graph, source)
