"""The characters' hour takes shortcuts for speed; each agrees with the plain way it replaces."""

from __future__ import annotations

import time

import pytest

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
