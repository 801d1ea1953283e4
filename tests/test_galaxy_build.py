"""The KD-tree and Delaunay build against the plain all-pairs rules it replaces."""

from __future__ import annotations

import itertools
import math

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.spatial import cKDTree

from configuration.sections_world import Galaxy as GalaxySettings
from world.galaxy import Galaxy
from world.galaxy_build import TIED_RADIUS, draw_names, nearest, spanning_tree
from world.galaxy_join import JoinIndex, nearest_one


def lane(a, b) -> float:
    """The lane rule written plainly: 5 warp units per drawing unit, never under 0.2."""
    return max(0.2, 5.0 * math.hypot(a[0] - b[0], a[1] - b[1]))


def brute_nearest(positions: dict, node: int, candidates: list[int], count: int) -> list[int]:
    ranked = sorted((lane(positions[node], positions[c]), c) for c in candidates if c != node)
    return [c for _, c in ranked[:count]]


def brute_lanes(galaxy: Galaxy) -> set[tuple[int, int]]:
    """Every tick-0 lane by the all-pairs rules: nearest lanes, spanning tree, Heart, XJ-500."""
    positions = dict(galaxy.graph.nodes(data="pos"))
    planets = galaxy.planets_of_kind("ordinary", "market")
    settings = galaxy.settings
    lanes = set()
    for node in planets:
        for other in brute_nearest(positions, node, planets, settings.lanes_per_planet):
            lanes.add((min(node, other), max(node, other)))
    complete = nx.Graph()
    for i, a in enumerate(planets):
        for b in planets[i + 1 :]:
            (ax, ay), (bx, by) = positions[a], positions[b]
            complete.add_edge(a, b, weight=math.hypot(ax - bx, ay - by))
    lanes.update(tuple(sorted(edge)) for edge in nx.minimum_spanning_edges(complete, data=False))
    for other in brute_nearest(positions, galaxy.heart, planets, settings.heart_lanes):
        lanes.add((galaxy.heart, other))
    for other in brute_nearest(positions, galaxy.xj500, planets, 1):
        lanes.add((other, galaxy.xj500))
    return lanes


def make(seed: int, planets: int, **settings) -> Galaxy:
    return Galaxy(GalaxySettings(initial_planets=planets, **settings), np.random.default_rng(seed))


@pytest.mark.parametrize("planets", [4, 5, 9, 30, 120, 400])
@pytest.mark.parametrize("seed", range(8))
def test_the_first_lanes_are_the_all_pairs_lanes(seed, planets):
    galaxy = make(seed, planets, lanes_per_planet=min(3, planets - 1), heart_lanes=3)
    assert set(galaxy.graph.edges()) == brute_lanes(galaxy)
    positions = dict(galaxy.graph.nodes(data="pos"))
    for a, b, distance in galaxy.graph.edges(data="distance"):
        assert distance == pytest.approx(lane(positions[a], positions[b]), rel=1e-12)


@pytest.mark.parametrize("lanes", [1, 2, 5, 11])
def test_more_lanes_per_planet_match_too(lanes):
    for seed in range(4):
        galaxy = make(seed, 40, lanes_per_planet=lanes, heart_lanes=12)
        assert set(galaxy.graph.edges()) == brute_lanes(galaxy)


def test_crowded_planets_tie_at_the_shortest_lane_and_rank_by_id():
    """700 planets: some lie within 0.04 of each other, where the clamp to 0.2 ranks by id."""
    galaxy = make(3, 700)
    assert set(galaxy.graph.edges()) == brute_lanes(galaxy)


def test_lanes_to_every_other_planet_when_asked_for_all():
    galaxy = make(2, 6, lanes_per_planet=5, heart_lanes=6)
    planets = galaxy.planets_of_kind("ordinary", "market")
    assert all(set(planets) - {n} <= set(galaxy.neighbours(n)) for n in planets)
    assert set(galaxy.neighbours(galaxy.heart)) == set(planets)


def test_spanning_tree_of_points_on_a_line_or_on_top_of_each_other():
    line = np.column_stack([np.linspace(0, 1, 7), np.linspace(0, 2, 7)])[[3, 0, 6, 1, 5, 2, 4]]
    low, high = spanning_tree(line)  # Qhull cannot triangulate a line: chained along it
    along = np.argsort(line[:, 0]).tolist()
    chain = {tuple(sorted(pair)) for pair in itertools.pairwise(along)}
    assert set(zip(low.tolist(), high.tolist(), strict=True)) == chain
    same = np.array([[0.5, 0.5], [0.5, 0.5], [0.1, 0.2], [0.9, 0.0]])
    low, high = spanning_tree(same)
    assert len(low) == 3 and nx.is_tree(nx.Graph(zip(low.tolist(), high.tolist(), strict=True)))
    for points in (np.zeros((0, 2)), np.zeros((1, 2)), np.array([[0.0, 0.0], [1.0, 1.0]])):
        assert len(spanning_tree(points)[0]) == max(0, len(points) - 1)


def test_planets_on_top_of_each_other_keep_the_tree_shortest_without_every_pair():
    rng = np.random.default_rng(5)
    points = rng.random((400, 2))
    points[rng.choice(400, 40, replace=False)] = points[rng.choice(400, 40, replace=False)]
    low, high = spanning_tree(points)
    tree = nx.Graph(zip(low.tolist(), high.tolist(), strict=True))
    assert nx.is_tree(tree) and tree.number_of_nodes() == 400

    def length(a, b):
        return math.dist(points[a], points[b])

    complete = nx.Graph(
        (a, b, {"w": length(a, b)}) for a, b in itertools.combinations(range(400), 2)
    )
    shortest = nx.minimum_spanning_tree(complete, weight="w")
    ours = sum(length(a, b) for a, b in tree.edges)
    assert ours == pytest.approx(sum(length(a, b) for a, b in shortest.edges), abs=1e-12)


# Any points near each other: a seed, how many, how many to rank and how crowded.
POINT_SETS = {
    "seed": st.integers(0, 10_000),
    "size": st.integers(1, 60),
    "count": st.integers(1, 8),
    "crowd": st.floats(0.01, 1.0),
}


@settings(max_examples=40, deadline=None)
@given(**POINT_SETS)
def test_nearest_matches_the_plain_ranking(seed, size, count, crowd):
    """Any points, any count: the KD-tree ranking is the sorted all-pairs ranking."""
    rng = np.random.default_rng(seed)
    points = rng.uniform(-crowd, crowd, (size, 2))
    ids = np.arange(10, 10 + size)
    positions = dict(zip(ids.tolist(), points.tolist(), strict=True))
    for own in (True, False):
        rows, chosen, _ = nearest(cKDTree(points), ids, points, count, ids, own=own)
        for row, node in enumerate(ids.tolist()):
            expected = brute_nearest(positions, node, ids.tolist(), count)
            assert chosen[rows == row].tolist() == expected


@settings(max_examples=40, deadline=None)
@given(**POINT_SETS, grid=st.booleans())
def test_a_join_ranks_its_one_point_as_the_batched_nearest_does(seed, size, count, crowd, grid):
    """Same ids and the same bits of lengths, crowded, on a grid and at the tied radius."""
    rng = np.random.default_rng(seed)
    points = rng.uniform(-crowd, crowd, (size, 2))
    if grid:  # exact ties of distance
        points = np.round(points, 2)
    ids = np.arange(10, 10 + size)
    tree = cKDTree(points)
    edge = points[0] + (TIED_RADIUS, 0.0)
    for here in [*rng.uniform(-crowd, crowd, (3, 2)), points[0], edge]:
        _rows, expected, expected_lengths = nearest(tree, ids, here[None], count, None)
        chosen, lengths = nearest_one(tree, ids, here[None], count)
        assert chosen.tolist() == expected.tolist()
        assert lengths.tobytes() == expected_lengths.tobytes()


@pytest.mark.parametrize("seed", range(6))
def test_daly_joins_the_brute_force_nearest(seed):
    galaxy = make(seed, 60)
    rng = np.random.default_rng(seed + 100)
    for tick in range(150):  # enough to rebuild the join index's tree several times
        planets = list(galaxy.planets_of_kind("ordinary", "market"))
        node = galaxy.add_planet(tick, rng)
        positions = dict(galaxy.graph.nodes(data="pos"))
        assert galaxy.neighbours(node) == sorted(brute_nearest(positions, node, planets, 2))
    assert nx.is_connected(galaxy.graph)


def test_join_index_with_crowded_recent_planets():
    rng = np.random.default_rng(4)
    points = rng.uniform(0, 0.05, (30, 2))
    index = JoinIndex(np.arange(30), points[:10])
    for node in range(10, 30):
        index.add(node, tuple(points[node]))
    positions = dict(enumerate(points.tolist()))
    positions[99] = [0.02, 0.02]
    assert index.nearest((0.02, 0.02), 4) == brute_nearest(positions, 99, list(range(30)), 4)


def test_names_are_unique_and_drawn_again_on_a_clash():
    rng = np.random.default_rng(1)
    taken: set[str] = set()
    names = draw_names(rng, 20_000, taken)  # more than the 14,400 names without a number
    assert len(set(names)) == 20_000 and taken == set(names)
    assert all(name[0].isupper() and name[1:].split("-")[0].islower() for name in names)
