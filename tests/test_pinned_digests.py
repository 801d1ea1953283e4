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
    3: "52e599d7c19c8bfe8652829508b0cd3a",
    4: "907d09b1ae83c9929063ba9f6741d162",
    5: "9be702083d41cc03bdb1197c4925b3bb",
    6: "64c25bd35e2eeaf4a25a7bfcc126d751",
    7: "7eaabcf1c57c446f028e227345e7ca3f",
    8: "f0f85155eb03cad89089ed52686bbd10",
    9: "f69fa75ce6751f615139f0fedb21458c",
    10: "741475c013f2b02f82f90a1f4223631d",
    11: "9f2cd0b0cad1596510e16f40db775e63",
    12: "3190e75ff45cf75e25df6595cfb03fa6",
    13: "70844ef72afd362ead2a637579da0d32",
    14: "896718ba5f3fb4a63b4c8054f2d83a50",
    15: "5a1e04326beb702cbd07100bcbd57a49",
    16: "f656e00f6c0cb4bd83ae1469c9813918",
    17: "ddb80d0af4c9c8a8d8c78bcc67507fd7",
    18: "690a7d7f841e9fc6e5c034045f5e8a6c",
    19: "c66daa99ad287e3ec3a242fa59a83e31",
    20: "35b7a82cb06de774f6401532e0190097",
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
            4: ("d8613a15513d9cd6a1e8b8244b3e9e80", "nanettes_head"),
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
            79: ("5415dbf845978defcac7750f66075cf8", "crew_destroyed"),
            782: ("7e66bbdaa18eb80fe4563b6e805230b6", "crew_destroyed"),
        },
    ),
    (
        "brutal_battles",
        ["combat.player_damage=6", "world.invite_wave=300", "combat.injury_per_hull_damage=3"],
        {
            7: ("3c1da19a36b193633c7a060e3e558c0a", "crew_destroyed"),
            8: ("2d447906ad8af0dd5745a2d84e7d9505", "nanettes_head"),
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
            9: ("9b8a61444af0511ed95fddf2b862e045", "nanettes_head"),
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
            2: ("2041bf0c08b77b399f5b63856fdce77d", "daly_copy"),
        },
    ),
    (
        "deadly_raids",
        ["combat.raid_danger=0.9", "combat.raid_injury=60"],
        {
            1: ("5a82d76d17a6be65b9620f84619e6856", "crew_destroyed"),
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
    assert result.digest == "741475c013f2b02f82f90a1f4223631d"
    assert len(result.decisions) == 2240
    assert hashlib.sha256(decisions).hexdigest()[:32] == "c3ee6eeb11d999cff88681af4cd87f86"


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
