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
    1: "3741ec59bfddedf1c61eaf0ab465a7af",
    2: "399cf46d09e2f773a14107bda06cafb3",
    3: "18fa14fc429ead9bce717b619d07e6cd",
    4: "0e5346e7bd9ddcf63a85e3cfbb0844e8",
    5: "88a8c6d95d1f6b9f9d299f5731cfe47e",
    6: "6f8da6137eb7a38b4cd8d7d5a82b3992",
    7: "434ff08fe085c3e87f7622a35c1673bd",
    8: "b3b47e8e6b78505b5a51ef5d902a8192",
    9: "c9662371bc9b6a244faaa920781bcb42",
    10: "1bf0f0db4b25d0342471725a85a2d030",
    11: "8319d7ab216ff539147c51bb93339eb6",
    12: "7a96212487934ffc8b1f77e4a647cfa9",
    13: "ba839cfe6bc1be76e3649e43725041aa",
    14: "ee78641205cb5abcdff23309ae12a3e6",
    15: "4b57a00746ebf088f73f45949d280345",
    16: "2beb95d1c35db860a21e2747a0058b1e",
    17: "005642bdb9c932e6f6e49a5dc824a5b2",
    18: "5b37e8a15ea67e7814128e3b4878a8da",
    19: "0fcc0bc0e80a16f9e0e41e0c40fbe8dc",
    20: "2b17397b7c1df4877e425d799f71dbe7",
}

# Scenarios that stress the order of an hour: starvation, repairs under fire, battles, the
# Heart with a coma, the red disk and Daly's copy (name, overrides, {seed: (digest, ending)}).
STRESS_DIGESTS = [
    (
        "starvation",
        ["economy.upkeep_per_hour=3", "economy.starvation_damage=4", "economy.loot_mean=0"],
        {
            4: ("ad0d4080ec71c6e9ce774546d8c8de39", "crew_destroyed"),
            5: ("d62d024e52cdc1b5879e7d963908e17a", "crew_destroyed"),
            6: ("21ae6c553772131fc1761ce0fb48b28d", "crew_destroyed"),
        },
    ),
    (
        "broke_from_the_start",
        ["economy.upkeep_per_hour=2", "economy.starvation_damage=12", "economy.start_credits=0"],
        {
            4: ("99ae715fa0d1593adb7a360f63a1041d", "crew_destroyed"),
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
            79: ("6428e31d0d570782f142334b2f03049a", "nanettes_head"),
            782: ("4ce70c95b1640fedcf1b7b9fe721796a", "daly_copy"),
        },
    ),
    (
        "brutal_battles",
        ["combat.player_damage=6", "world.invite_wave=300", "combat.injury_per_hull_damage=3"],
        {
            7: ("ba691d5a54ec8305fd1fa02c18c7ff80", "crew_destroyed"),
            8: ("b3b47e8e6b78505b5a51ef5d902a8192", "private_universe"),
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
            9: ("bd1fff0810ff41f2a5d1229c88a99e3a", "nanettes_head"),
            11: ("59575cf294a7a164c9b74f15716e4f70", "outlaws"),
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
            1: ("86a974f885ee88aa0c4a240a2a01e826", "nanettes_head"),
            2: ("e2076196c90a5a65a335b77ce8891155", "nanettes_head"),
        },
    ),
    (
        "deadly_raids",
        ["combat.raid_danger=0.9", "combat.raid_injury=60"],
        {
            1: ("5aa43b307fb3165c1926ec3ed27c093c", "crew_destroyed"),
            2: ("7a75b3ecae0faef418eff64e361a7722", "crew_destroyed"),
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
            1: ("987c2a3986725c5f09e375c3e7e8193b", "captain_alone"),
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
            1: ("5872c5fd157e6e8585e9bc30b0bf8bc1", "daly_copy"),
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
    assert result.digest == "1bf0f0db4b25d0342471725a85a2d030"
    assert len(result.decisions) == 1256
    assert hashlib.sha256(decisions).hexdigest()[:32] == "700153df8a02003c24116ba98707c027"


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
