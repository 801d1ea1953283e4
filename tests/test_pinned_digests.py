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
    1: "d3e4541d57cd76ce5bb031fce6ed66cb",
    2: "e3e9c74520b026859dd6a3891543d335",
    3: "9a451aa12170023bc0531f14aee2246e",
    4: "907d09b1ae83c9929063ba9f6741d162",
    5: "9dcb2d410e605db2882693b017cb0977",
    6: "64c25bd35e2eeaf4a25a7bfcc126d751",
    7: "d3ad1d0e43c9dcec0bd0ebbece9526c5",
    8: "d3ec52afb742bfecbfd04a60f36e9c2d",
    9: "e37f97f5eb35470360d32eeef4f86819",
    10: "0d945edf0b6ff664c9296bd93abe95df",
    11: "9f2cd0b0cad1596510e16f40db775e63",
    12: "3190e75ff45cf75e25df6595cfb03fa6",
    13: "93ba349fe194fe784da893bae7d93cda",
    14: "52326be39527815deb128a8b8c8fa22b",
    15: "da706813fe2f4afa020d66e7ae8199fb",
    16: "f656e00f6c0cb4bd83ae1469c9813918",
    17: "0978fcb393bbdf8d58538f8040375dcf",
    18: "c79369d4f6c4a42f94865f72955c64dd",
    19: "3d240cb511d5194bcc1bcf0c15963ff1",
    20: "df94305e69d710a3c45ef7a425cd813d",
}

# Scenarios that stress the order of an hour: starvation, repairs under fire, battles, the
# Heart with a coma, the red disk and Daly's copy (name, overrides, {seed: (digest, ending)}).
STRESS_DIGESTS = [
    (
        "starvation",
        ["economy.upkeep_per_hour=3", "economy.starvation_damage=4", "economy.loot_mean=0"],
        {
            4: ("e7ed66699e3c70fad1066c8145188fbd", "crew_destroyed"),
            5: ("860cb6a0924bf721c0b8a65fdaa783aa", "crew_destroyed"),
            6: ("56cd6cd379ab09d7429d13393b6e89f3", "crew_destroyed"),
        },
    ),
    (
        "broke_from_the_start",
        ["economy.upkeep_per_hour=2", "economy.starvation_damage=12", "economy.start_credits=0"],
        {
            4: ("decf96a7c9edbd55a014cb7f7ea2e3de", "crew_destroyed"),
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
            79: ("e730aec3f3c484ff55d4908a36986c4a", "crew_destroyed"),
            782: ("d851bfff5d384fbbb7af673d5e1cf19c", "crew_destroyed"),
        },
    ),
    (
        "brutal_battles",
        ["combat.player_damage=6", "world.invite_wave=300", "combat.injury_per_hull_damage=3"],
        {
            7: ("3086577588211a0760ae8efe44c03743", "crew_destroyed"),
            8: ("b9ae23e2a64b4f321afbcb2a1de70131", "nanettes_head"),
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
            9: ("3c44a12fe9928bec03b716029a31b271", "nanettes_head"),
            11: ("3ae819118654934e1da5715f04e676c9", "nanettes_head"),
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
            1: ("737acbc7b1952daf458e6392621cc672", "nanettes_head"),
            2: ("95ed862245c2ea6d99cb01fce9c70ed3", "crew_destroyed"),
        },
    ),
    (
        "deadly_raids",
        ["combat.raid_danger=0.9", "combat.raid_injury=60"],
        {
            1: ("a676e8f217bfc07f12061623ad190930", "crew_destroyed"),
            2: ("585424b54cbdd2396f21f686a24e9892", "crew_destroyed"),
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
            1: ("a0c1b13071f24afb668f04e659f1454b", "captain_alone"),
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
            1: ("a3efe482ce01ff79e40a49025371c88d", "daly_copy"),
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
    assert result.digest == "0d945edf0b6ff664c9296bd93abe95df"
    assert len(result.decisions) == 2240
    assert hashlib.sha256(decisions).hexdigest()[:32] == "10cf1ae9d8165d8ab93885c5fc89b307"


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
