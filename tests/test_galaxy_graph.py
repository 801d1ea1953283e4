"""The networkx graph is drawn when first read and stays true to the galaxy as Daly builds."""

from __future__ import annotations

import numpy as np
import pytest

from configuration.sections_world import Galaxy as GalaxySettings
from world.galaxy import Galaxy


def grown(seed: int, read_first: bool) -> Galaxy:
    galaxy = Galaxy(GalaxySettings(initial_planets=60), np.random.default_rng(seed))
    if read_first:
        galaxy.graph  # noqa: B018 (drawn now, then kept up to date planet by planet)
    rng = np.random.default_rng(seed + 1)
    for tick in range(80):
        galaxy.add_planet(tick, rng)
    return galaxy


@pytest.mark.parametrize("seed", range(4))
def test_a_graph_kept_up_to_date_equals_one_drawn_late(seed):
    early, late = grown(seed, read_first=True).graph, grown(seed, read_first=False).graph
    assert sorted(early.nodes(data=True)) == sorted(late.nodes(data=True))
    assert sorted(early.edges(data="distance")) == sorted(late.edges(data="distance"))


@pytest.mark.parametrize("seed", range(4))
def test_the_galaxy_answers_what_its_graph_holds(seed):
    galaxy = grown(seed, read_first=False)
    graph = galaxy.graph
    assert graph.number_of_nodes() == galaxy.size
    for a, b, distance in graph.edges(data="distance"):
        assert galaxy.lane_distance(a, b) == distance == galaxy.lane_distance(b, a)
    for node, data in graph.nodes(data=True):
        assert galaxy.neighbours(node) == sorted(graph.neighbors(node))
        assert (galaxy.name(node), galaxy.kind(node)) == (data["name"], data["kind"])
        for name in ("attractiveness", "price_multiplier", "moderation"):
            assert galaxy.attribute(node, name) == data[name]
