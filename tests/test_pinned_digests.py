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
    1: "4c2cdb1cce6f9517aeec19bc66f05adc",
    2: "94c2bdbeccf6380dcd4fd67928b68a68",
    3: "5a95efbbcd38d209e3bc7b498895b7bf",
    4: "3f8f180d5e07f1b9b641647c48aafad6",
    5: "32b8f84a9cf673a700726b33c7be1165",
    6: "7b3e9758845274e91021d513a68816fc",
    7: "df9b7ee467766d7db64919fbc7b39630",
    8: "e3ec0747fee4e12b94d54f56bf089b4e",
    9: "c7bac4030c201ce22a0ba45471a28699",
    10: "1c3315ea3dad789ea62dd2924af44aab",
    11: "7eee181daab94e1e0ad4bffc3908467c",
    12: "02b49b52be736eee00ef931be140a7ea",
    13: "7194dee6b6b70cf42d2f7d8a7417f234",
    14: "d180c829e9db560de9973f79cf825f91",
    15: "4568afcfd58ce81c5a0f49dcba5e502a",
    16: "00767c35e221dc1d8ae30e10d2a2c6a3",
    17: "19ac0f1cae3a4cceeb380582011497ab",
    18: "fb49c470690398714f0d7eb224c7cba1",
    19: "98c87055e0e4e68f39aa044084a2ab24",
    20: "94d1a7b9896150163f6a1c59ea482833",
}

# Scenarios that stress the order of an hour: starvation, repairs under fire, battles, the
# Heart with a coma, the red disk and Daly's copy (name, overrides, {seed: (digest, ending)}).
STRESS_DIGESTS = [
    (
        "starvation",
        ["economy.upkeep_per_hour=3", "economy.starvation_damage=4", "economy.loot_mean=0"],
        {
            4: ("0f2fbb000d0ad415bac39ca28b07e8cc", "crew_destroyed"),
            5: ("2ae7026682822840625d81bae43ecfc4", "crew_destroyed"),
            6: ("930940d335c9d553aaa1451d235c3fda", "crew_destroyed"),
        },
    ),
    (
        "broke_from_the_start",
        ["economy.upkeep_per_hour=2", "economy.starvation_damage=12", "economy.start_credits=0"],
        {
            4: ("43663d6f2c73d8ccac5478f7bd5771e5", "nanettes_head"),
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
            79: ("e344e78a9aed3545fc78bbfa44255e81", "collapse"),
            782: ("74e104199d84539be413a0205c609e2b", "nanettes_head"),
        },
    ),
    (
        "brutal_battles",
        ["combat.player_damage=6", "world.invite_wave=300", "combat.injury_per_hull_damage=3"],
        {
            7: ("05d4e6c762cd16735a2df4b9bceb63ee", "private_universe"),
            8: ("61c6ee769fc70991257e30eae06ea840", "crew_destroyed"),
        },
    ),
    (
        "the_heart_with_a_coma",
        [
            "world.quarters_discovery_chance=0.05",
            "real_nanette.accident_after_row=1.0",
            "world.disk_search_chance=0.2",
        ],
        {
            9: ("ebf00fbc5bccd1ab8d546cf61d554760", "nanettes_head"),
            11: ("3496fb5f41394fd9f6b43c2a796a2708", "nanettes_head"),
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
            1: ("7920abd5103c8e10eb5078509c83b5cf", "nanettes_head"),
            2: ("fb54395d2b94206497db146b572584db", "nanettes_head"),
        },
    ),
    (
        "deadly_raids",
        ["combat.raid_danger=0.9", "combat.raid_injury=60"],
        {
            1: ("f04da522e6929ba4ce29072e83138b21", "crew_destroyed"),
            2: ("a483fdabb0465f4a07392479796f9cc5", "crew_destroyed"),
        },
    ),
    (
        "the_red_disk",
        [
            "real_nanette.accident_after_row=1.0",
            "agents.captain.actions.accept_red.weight=20",
            "world.quarters_discovery_chance=0.05",
        ],
        {
            1: ("f6f9c3005b4d0de09e8fb9d8fa01fa1f", "captain_alone"),
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
            1: ("4eeba450996bb5d3f0c426e27665d054", "daly_copy"),
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
    assert result.ending == "crew_destroyed"
    assert result.digest == "1c3315ea3dad789ea62dd2924af44aab"
    assert len(result.decisions) == 8825
    assert hashlib.sha256(decisions).hexdigest()[:32] == "c778cf3ea01449cf3a53d473d761489c"


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
