"""The compiled players' hour against the numpy arithmetic it replaced, bit for bit."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from configuration.loading import load_config
from world.players_hour import allocate, numpy_sum, players_hour
from world.population import Population
from world.population import _allocate as reference_allocate
from world.simulate import build_model


def reference_hour(players, fear, appeal, drift, churn, normals, joined, online_share, fade):
    """The players' hour as numpy calls (the code the compiled pass replaced).

    Arrivals are split by the numpy allocation that still places the players at the start.
    """
    pull = Population._shares(appeal * (1.0 - fear))  # no pull anywhere: every planet alike
    means = np.multiply.outer(np.array((drift, churn)), players)
    means[1] *= 1.0 + fear
    flows = np.sqrt(means)
    flows *= normals
    flows += means
    flows = np.maximum(np.rint(flows), 0.0).astype(np.int64)
    movers = np.minimum(players, flows[0])
    staying = players - movers
    lost = np.minimum(staying, flows[1])
    staying -= lost
    after = staying + reference_allocate(int(movers.sum()) + joined, pull)
    return after, fear * fade, after * online_share, int(movers.sum()), int(lost.sum())


def world_of(size: int, seed: int, most: int, afraid: float):
    """A galaxy's players, fear (up to the full 1.0) and appeal (0 at the Heart and XJ-500)."""
    rng = np.random.default_rng(seed)
    players = rng.integers(0, most + 1, size)
    fear = np.where(rng.random(size) < afraid, np.minimum(rng.random(size) * 1.2, 1.0), 0.0)
    appeal = rng.random(size) + 0.01
    appeal[: min(2, size - 1)] = 0.0
    return players, fear, appeal, rng.standard_normal((2, size))


@settings(max_examples=150, deadline=None)
@given(
    size=st.one_of(st.integers(1, 700), st.integers(701, 5_000)),  # both sides of numpy's
    # 128-long summation blocks, small and large galaxies
    seed=st.integers(0, 2**32 - 1),
    most=st.sampled_from([0, 3, 1_000, 10**6, 10**9]),
    afraid=st.sampled_from([0.0, 0.1, 1.0]),
    drift=st.floats(0.0, 1.0),
    churn=st.floats(0.0, 1.0),
    joined=st.integers(0, 10**9),
    online_share=st.floats(0.0, 1.0),
    fade=st.floats(0.0, 1.0),
)
def test_an_hour_gives_every_number_numpy_gave(
    size, seed, most, afraid, drift, churn, joined, online_share, fade
):
    players, fear, appeal, normals = world_of(size, seed, most, afraid)
    expected = reference_hour(
        players, fear, appeal, drift, churn, normals, joined, online_share, fade
    )
    online = np.full(size, np.nan)
    moved, lost = players_hour(
        players, fear, appeal, drift, churn, normals, joined, online, online_share, fade
    )
    after, faded, expected_online, expected_moved, expected_lost = expected
    assert (moved, lost) == (expected_moved, expected_lost)
    assert players.tobytes() == after.tobytes()
    assert fear.tobytes() == faded.tobytes()
    assert online.tobytes() == expected_online.tobytes()


def test_players_are_conserved_apart_from_churn_and_joins():
    players, fear, appeal, normals = world_of(5_000, 11, 10_000, 0.2)
    before = int(players.sum())
    moved, lost = players_hour(
        players, fear, appeal, 0.05, 0.01, normals, 1234, np.empty(5_000), 0.3, 0.9
    )
    assert moved > 0 and lost > 0
    assert int(players.sum()) == before - lost + 1234 and (players >= 0).all()


@pytest.mark.parametrize(
    "size", [1, 2, 7, 8, 9, 127, 128, 129, 255, 256, 257, 1000, 20_001, 40_002]
)
def test_the_sum_adds_in_numpys_order(size):
    rng = np.random.default_rng(size)
    for scale in (1e-9, 1.0, 1e12):
        values = (rng.random(size) - 0.3) * scale * rng.choice([1.0, 1e6], size)
        assert numpy_sum(values) == np.add.reduce(values)
    for zero in (0.0, -0.0):  # equal as numbers, told apart by the sign bit
        zeros = np.full(size, zero)
        assert numpy_sum(zeros).hex() == np.add.reduce(zeros).hex()


@settings(max_examples=200, deadline=None)
@given(
    st.integers(0, 10**10),
    st.lists(st.integers(1, 4), min_size=1, max_size=1200),  # few distinct weights: many ties
)
def test_allocation_picks_the_planets_a_stable_sort_picks(total, weights):
    weights = np.array(weights, dtype=float)
    counts = np.zeros(len(weights), dtype=np.int64)
    allocate(counts, total, weights, np.add.reduce(weights))
    expected = reference_allocate(total, weights / np.add.reduce(weights))
    assert counts.tobytes() == expected.tobytes()
    assert int(counts.sum()) == total


def test_when_no_planet_draws_anyone_arrivals_spread_evenly_as_at_the_start():
    players, fear, appeal, normals = world_of(6, 2, 1_000, 0.0)
    fear[:] = 1.0  # every planet feared to the full: no pull anywhere
    moved, lost = players_hour(players, fear, appeal, 0.5, 0.0, normals, 600, np.empty(6), 0.3, 1.0)
    assert moved > 0 and lost == 0
    spread = np.zeros(6, dtype=np.int64)
    allocate(spread, moved + 600, np.ones(6), 6.0)
    assert spread.max() - spread.min() <= 1 and int(spread.sum()) == moved + 600


def test_a_galaxy_feared_to_the_full_runs_to_its_end(default_config_path):
    fearful = [
        "galaxy.initial_planets=4", "galaxy.max_planets=4", "galaxy.lanes_per_planet=2",
        "galaxy.heart_lanes=2", "population.fear_max=1", "population.bandit_fear=1",
        "population.fear_decay=1",
    ]  # fmt: skip
    model = build_model(load_config(default_config_path, fearful), seed=1)
    while model.running:
        model.step()
    assert (model.population.fear[model.population.appeal > 0] == 1.0).all()
    assert (model.population.players >= 0).all()
