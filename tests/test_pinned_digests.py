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
    1: "4b4a5a882dc620a9ecc81447c37b39c6",
    2: "9f06f5ba07c1c26e7f9d122d8c146498",
    3: "cac82cca626398916e4bcec1545f81b3",
    4: "c259801c5af3280c29e31de8f097afa9",
    5: "5f064fcdca9b65b261f24aa2e891ee55",
    6: "6b05bbc299fd126c5306b2c7be2bfa6d",
    7: "08fc0d0518832c2f7cc0ce559992e6d0",
    8: "02f4bb574fa590544abb930597da04fa",
    9: "1f3dc89bdb11e76019214e6cf87e36ca",
    10: "2c9899489bc6426ba7bbea92e137ef33",
    11: "56fbd27cb6e0f235601b1a511312f4d7",
    12: "322513d9d21791f971e5323d05dca8e0",
    13: "ad32186a0ad58a6d54901134b9489534",
    14: "ff93a1f647ae840f8a2c7f803bf4949d",
    15: "e1fbbc5ab025620ab63019186441ca8c",
    16: "64faedeb1fe2284d84d993bc4633c0f5",
    17: "96829404ea25076808bafdf98f18471b",
    18: "dbec7c9c017ce3740bc24f502172a0a5",
    19: "806424c5491ea4ca39189a4c9d3efbae",
    20: "1e367cb3253dbf341f8ae8c3dadd8ba6",
}

# Scenarios that stress the order of an hour: starvation, repairs under fire, battles, the
# Heart with a coma, the red disk and Daly's copy (name, overrides, {seed: (digest, ending)}).
STRESS_DIGESTS = [
    (
        "starvation",
        ["economy.upkeep_per_hour=3", "economy.starvation_damage=4", "economy.loot_mean=0"],
        {
            4: ("3e094d345f86e44265b2f752dd609fa8", "crew_destroyed"),
            5: ("5e96e90beb1e2a6fd2346acc2b6cab7f", "crew_destroyed"),
            6: ("9de242ccdd5ae98cdc4a22a6e2e78a7d", "crew_destroyed"),
        },
    ),
    (
        "broke_from_the_start",
        ["economy.upkeep_per_hour=2", "economy.starvation_damage=12", "economy.start_credits=0"],
        {
            4: ("7538bf614e88519639271aed66ad5df4", "crew_destroyed"),
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
            79: ("8aaa8e3ec19137cee3d29c80fd410587", "crew_destroyed"),
            782: ("789cab0c7329fbcac5ec0b12c0c022ea", "crew_destroyed"),
        },
    ),
    (
        "brutal_battles",
        ["combat.player_damage=6", "world.invite_wave=300", "combat.injury_per_hull_damage=3"],
        {
            7: ("091b5e6547fa39496688bb9aff6de4fb", "nanettes_head"),
            8: ("f0c6f28d3a411a1bc042d4ebb08638b1", "crew_destroyed"),
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
            9: ("91860c1ede9e987fb119a6ce6084c236", "nanettes_head"),
            11: ("9c1b2d531c467e5e7d071ab363639413", "nanettes_head"),
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
            1: ("43be16313b0f57a5dc1d30955a72757b", "private_universe"),
            2: ("12f439a0bc26327d7d9c3dde2734d4c2", "private_universe"),
        },
    ),
    (
        "deadly_raids",
        ["combat.raid_danger=0.9", "combat.raid_injury=60"],
        {
            1: ("05600365a78362fddd1c72037b70dccf", "crew_destroyed"),
            2: ("091ffeb47d539b369e9ec0295206e155", "crew_destroyed"),
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
            1: ("3dd24edb6dc0c1b4bf10dfa938b5ccad", "captain_alone"),
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
            1: ("9d81236429a5e93e52ddf937c12d9609", "daly_copy"),
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
    assert result.digest == "2c9899489bc6426ba7bbea92e137ef33"
    assert len(result.decisions) == 517
    assert hashlib.sha256(decisions).hexdigest()[:32] == "c1835930a8cb89fe2313c1f810435b25"


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
