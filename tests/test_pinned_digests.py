"""Behaviour pinned before the cast moved to world/cast: refactors must keep it.

The digests were taken at d470199, before any code moved. A change that alters a story on
purpose must update them in the same commit and say why in its message.
"""

from __future__ import annotations

import hashlib
import json

import pytest

from configuration.loading import load_config
from world.simulate import build_model, simulate

DEFAULT_DIGESTS = {
    1: "edf0b5fb3ce74b33a7e719cf1e995d0d",
    2: "e846619128e701c4702f9c893577db6a",
    3: "9964c0a3b996a4691a1bb2d4fe64e138",
    4: "c5dafd1aff14593c5b81f2541e37b63d",
    5: "5c9f5cf76e81c0cee15c8cf7ff6b8a72",
    6: "f7b4de6f5418141c3e97f013f3bda48b",
    7: "1d95675abdf14c88292dc6b6358bf74a",
    8: "e92f7641e8530b2d838da311c2cd11d6",
    9: "5d99f51a0eaf4d457bf491d737eff532",
    10: "edb47280f3e819ac2dc98a431ba23d4b",
    11: "c26d918fd9d0812783da6fb597ec0713",
    12: "a9e5de07651e796776b918aeec72c865",
    13: "70adc1d4752cf783882cf820ce5d7203",
    14: "b4e1c489a2c1cc6b71cd3909f8ca5b83",
    15: "efd9a4b6e9f93339de5a0bb67739765f",
    16: "217c8aa6f7eab53577d0f8c9a1d23b3c",
    17: "d0dfe583fbebed133d05140442928fb8",
    18: "90f21ddd83d58a89a5e8d8912e92c23f",
    19: "7d9370d7bb4efa1a07806460f6f94fac",
    20: "a28019ce9d4b0e93fbe310ed04bcd643",
}

# Scenarios that stress the order of an hour: starvation, repairs under fire, battles, the
# Heart with a coma, the red disk and Daly's copy (name, overrides, {seed: (digest, ending)}).
STRESS_DIGESTS = [
    (
        "starvation",
        ["economy.upkeep_per_hour=3", "economy.starvation_damage=4", "economy.loot_mean=0"],
        {
            4: ("46c11e98f1f45c56cd81d8e1f9ea0dcd", "crew_destroyed"),
            5: ("54f115114d25d4a5ab6a9c41d979fa0e", "crew_destroyed"),
            6: ("dd9286415fd6385f694acb573317b57b", "crew_destroyed"),
        },
    ),
    (
        "broke_from_the_start",
        ["economy.upkeep_per_hour=2", "economy.starvation_damage=12", "economy.start_credits=0"],
        {
            4: ("e7d0bef44d44c2d3844d171988191d0e", "private_universe"),
        },
    ),
    (
        "repairs_under_fire",
        [
            "combat.daly_strength=20",
            "economy.starvation_damage=2",
            "combat.repair_per_hour=8",
            "agents.walton.think_every=6",
            "combat.raid_danger=0.9",
        ],
        {
            79: ("3134c5a1e878ecd12d52adc17e85122d", "crew_destroyed"),
            782: ("1366d809ea2c2c61cbf854cc0c3665eb", "nanettes_head"),
        },
    ),
    (
        "brutal_battles",
        ["combat.player_damage=6", "world.invite_wave=300", "combat.injury_per_hull_damage=3"],
        {
            7: ("69cdf9c26b006446cf8b3530a6ecc1d1", "crew_destroyed"),
            8: ("e92f7641e8530b2d838da311c2cd11d6", "private_universe"),
        },
    ),
    (
        "the_heart_with_a_coma",
        [
            "world.quarters_discovery_chance=0.05",
            "realworld.accident_chance=1.0",
            "world.disk_search_chance=0.2",
        ],
        {
            9: ("8bad4ebe051d19b85a4018f0afc41794", "private_universe"),
            11: ("41e775c89a6e65af68485bed8fd1a7b5", "nanettes_head"),
        },
    ),
    (
        "an_angry_daly",
        [
            "world.quarters_discovery_chance=0.05",
            "combat.daly_strength=60",
            "combat.captain_strike=10",
        ],
        {
            1: ("359940260d56c36814675206117db236", "daly_copy"),
            2: ("2f51906c922e3da64195bef55046f26f", "private_universe"),
        },
    ),
    (
        "deadly_raids",
        ["combat.raid_danger=0.9", "combat.raid_injury=60"],
        {
            1: ("0851aa7011b8814c7e659e42b0df583d", "crew_destroyed"),
            2: ("f265295a8afad1eba60d24dfe0c03c15", "crew_destroyed"),
        },
    ),
    (
        "the_red_disk",
        [
            "realworld.accident_chance=1.0",
            "agents.captain.actions.accept_red.weight=20",
            "world.quarters_discovery_chance=0.05",
        ],
        {
            1: ("9b413811f1d79e00b87b23e7796307d0", "captain_alone"),
        },
    ),
    (
        "dalys_copy",
        [
            "world.copy_hours=1",
            "world.quarters_discovery_chance=0.05",
            "agents.daly.actions.copy_paste.weight=10",
        ],
        {
            1: ("719fedf5540910ce3d5b6a87809bf666", "daly_copy"),
        },
    ),
]


@pytest.mark.parametrize("seed", sorted(DEFAULT_DIGESTS))
def test_default_runs_keep_their_pinned_digest(default_config, seed):
    assert simulate(default_config, seed=seed).digest == DEFAULT_DIGESTS[seed]


def test_a_full_trace_run_keeps_its_story_and_every_decision(default_config):
    """Seed 10 reaches the aired ending through the Heart: every candidate of every choice."""
    result = simulate(default_config, seed=10, trace="full")
    decisions = json.dumps(result.decisions, sort_keys=True).encode()
    assert result.ending == "nanettes_head"
    assert result.digest == "edb47280f3e819ac2dc98a431ba23d4b"
    assert len(result.decisions) == 2146
    assert hashlib.sha256(decisions).hexdigest()[:32] == "31707200f26e5ca648884b971a94de49"


@pytest.mark.parametrize(
    ("overrides", "seed", "pinned"),
    [(sets, seed, pin) for _name, sets, pins in STRESS_DIGESTS for seed, pin in pins.items()],
    ids=[f"{name}-{seed}" for name, _sets, pins in STRESS_DIGESTS for seed in pins],
)
def test_stressed_runs_keep_their_pinned_digest(default_config_path, overrides, seed, pinned):
    result = simulate(load_config(default_config_path, overrides), seed=seed)
    assert (result.digest, result.ending) == pinned


def test_a_repairer_who_starves_this_hour_still_patches_the_hull(default_config_path):
    """The crew's choices are taken as the hour begins, before the upkeep can kill anyone."""
    overrides = ["economy.starvation_damage=5", "combat.repair_per_hour=2"]
    model = build_model(load_config(default_config_path, overrides), seed=4, ticks=10)
    model.ship.credits, model.ship.hull = 0.0, 50.0
    repairer, *others = [m for m in model.crew if m.aboard]
    repairer.health, repairer.intent = 4.0, "repair"  # dies of want this hour
    for member in others:
        member.intent = "rest"
    model.captain.intent = "hide"
    model.walton.intent = model.nanette.intent = model.daly.intent = None
    model._resolve_choices()
    assert not repairer.alive
    assert model.ship.hull == 52.0
