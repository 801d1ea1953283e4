"""The characters' hour takes shortcuts for speed; each agrees with the plain way it replaces."""

from __future__ import annotations

import time

import numpy as np
import pytest

from world.cast import vengeful_player as players
from world.simulate import build_model, play_out


def _played(config, seed: int, plain: bool):
    model = build_model(config, seed=seed, trace="winners")
    if plain:  # every character called in Mesa's own shuffled order, due or not
        model._characters_think = lambda: model.cast.shuffle_do("think")
    return play_out(model, time.perf_counter())


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_only_due_characters_think_in_the_order_and_draws_of_mesas_shuffle_do(default_config, seed):
    quick, plain = (_played(default_config, seed, plain) for plain in (False, True))
    assert quick.digest == plain.digest
    assert quick.decisions == plain.decisions


@pytest.mark.parametrize("seed", [1, 4])
def test_a_small_crowd_senses_in_lists_what_a_large_one_senses_in_arrays(default_config, seed):
    model = build_model(default_config, seed=seed, trace="off")
    compared = 0
    while model.running and model.steps < 900:
        model.step()
        if model.steps % 97 == 0:  # a larger crowd, some of them at the ship, one invited
            for planet in (model.ship.planet, model.steps % model.galaxy.size):
                players.add_victim(model, planet).invited = planet == model.ship.planet
        crowd = list(model.vengeful)
        if not crowd:
            continue
        in_lists = players._sense_in_lists(model, crowd, crowd)
        in_arrays = players._sense_in_arrays(model, crowd, crowd)
        for lists, arrays, dtype in zip(in_lists, in_arrays, (float, bool), strict=True):
            assert list(lists) == list(arrays)
            for name, values in lists.items():
                # bit for bit, as the brain reads them (each list cast as arrays cast)
                assert np.asarray(values, dtype).tobytes() == arrays[name].astype(dtype).tobytes()
        compared += 1
    assert compared > 50
