"""The galaxy's limits: impossible combinations refused by key, every accepted extreme runs."""

from __future__ import annotations

import subprocess
import sys

import networkx as nx
import pytest

from configuration.limits import MAX_INITIAL_PLANETS, MAX_PLANETS
from configuration.loading import ConfigError, load_config
from world.simulate import build_model, simulate


@pytest.mark.parametrize(
    ("sets", "key", "allowed"),
    [
        (["galaxy.initial_planets=4", "galaxy.lanes_per_planet=4"], "galaxy.lanes_per_planet", "<"),
        (["galaxy.initial_planets=6", "galaxy.lanes_per_planet=9"], "galaxy.lanes_per_planet", "<"),
        (["galaxy.initial_planets=4", "galaxy.heart_lanes=5"], "galaxy.heart_lanes", "<="),
        ([f"galaxy.initial_planets={MAX_INITIAL_PLANETS + 1}"], "galaxy.initial_planets", "<="),
        (["galaxy.max_planets=40001"], "galaxy.max_planets", "<="),
        (["world.max_vengeful=40001"], "world.max_vengeful", "<="),
    ],
)
def test_impossible_galaxies_are_refused_naming_the_key(default_config_path, sets, key, allowed):
    with pytest.raises(ConfigError) as caught:
        load_config(default_config_path, sets)
    message = str(caught.value)
    assert key in message and allowed in message and message.count("must be") == 1


def test_validate_exits_2_with_one_line_naming_the_key(default_config_path):
    command = [sys.executable, "-m", "callister", "validate", str(default_config_path)]
    command += ["--set", "galaxy.initial_planets=5", "--set", "galaxy.lanes_per_planet=5"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert "galaxy.lanes_per_planet" in done.stderr and "galaxy.initial_planets (5)" in done.stderr


@pytest.mark.parametrize(
    "sets",
    [
        # the smallest galaxy, every lane it may have: each planet joined to all the others
        ["galaxy.initial_planets=4", "galaxy.lanes_per_planet=3", "galaxy.heart_lanes=4"],
        ["galaxy.initial_planets=13", "galaxy.lanes_per_planet=12", "galaxy.heart_lanes=12"],
        ["galaxy.market_share=0"],  # no market anywhere: nothing to buy, the story goes on
        ["galaxy.market_share=1"],  # every planet a market
        ["galaxy.initial_planets=4", "galaxy.max_planets=4"],  # full from the start
    ],
)
def test_extreme_galaxies_run(default_config_path, sets):
    config = load_config(default_config_path, [*sets, "world.build_hours=2"])
    result = simulate(config, ticks=120)
    assert result.ticks > 0


def test_the_largest_galaxy_builds_connected(default_config_path):
    sets = [f"galaxy.initial_planets={MAX_INITIAL_PLANETS}", f"galaxy.max_planets={MAX_PLANETS}"]
    config = load_config(default_config_path, sets)
    model = build_model(config, seed=3)
    galaxy = model.galaxy
    assert len(galaxy.planets_of_kind("ordinary", "market")) == MAX_INITIAL_PLANETS
    assert nx.is_connected(galaxy.graph) and galaxy.graph.number_of_nodes() == galaxy.size
    model.step()
    model.release()
