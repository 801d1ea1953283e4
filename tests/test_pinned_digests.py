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
    1: "fe28a3cd8398b6656df8a83cb818c2d8",
    2: "71fc02c526b6c4808b4e64d3f6e87d7d",
    3: "314a0e47a003d852057dee06bd6db9e3",
    4: "c83d623c9e3f2ef9726f071bfff84819",
    5: "f052c68b83e0161f71ec00740aa6f150",
    6: "c6912ea30041a23cf837f34e500b79d4",
    7: "8a3e410c8017f3f04ca208e1782bab97",
    8: "76aba2ad50057eff659ace2d13a16113",
    9: "7f8a870f6ae00a3a770fa056849bbdd4",
    10: "782bc795cff8b16cf3030de4482a7cdf",
    11: "964c9e8a22911fc3809b7cdd6ac75386",
    12: "6cc800fbe96bb7e85bead803afdf251c",
    13: "d868270e4ea51dad69efc7ecc97d8de5",
    14: "5b7cae2df57d6e2627a4295a72a988df",
    15: "7d3ea6e703b67166b4b841e13e696209",
    16: "829f9628c552af83d88290dc70b548b1",
    17: "1f122f33c87ec104a1655faa6d3c3625",
    18: "5ef1bcedbfa67db8191eabc9b112ef35",
    19: "8939d78f07d796922f8f7460a6b722d8",
    20: "3dde48a46e27069b75d19e3eabd99061",
}

# Scenarios that stress the order of an hour: starvation, repairs under fire, battles, the
# Heart with a coma, the red disk and Daly's copy (name, overrides, {seed: (digest, ending)}).
STRESS_DIGESTS = [
    (
        "starvation",
        ["economy.upkeep_per_hour=3", "economy.starvation_damage=4", "economy.loot_mean=0"],
        {
            4: ("98d4b2f667aa17abf2bc6def571e6cdb", "crew_destroyed"),
            5: ("3ac5475144f291a7258471e1b2fda1f3", "crew_destroyed"),
            6: ("770ecf3798ecb312afb8c3b116f0bdfc", "crew_destroyed"),
        },
    ),
    (
        "broke_from_the_start",
        ["economy.upkeep_per_hour=2", "economy.starvation_damage=12", "economy.start_credits=0"],
        {
            4: ("8dc3ec5369dc5f654b5afd52cde5fb58", "crew_destroyed"),
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
            79: ("5cc8603ce86094ec3b424b51b8c6419e", "crew_destroyed"),
            782: ("0226fdce8615157b5344f41bfdc8d086", "crew_destroyed"),
        },
    ),
    (
        "brutal_battles",
        ["combat.player_damage=6", "world.invite_wave=300", "combat.injury_per_hull_damage=3"],
        {
            7: ("e2530695f9af6e8ebae2cfae7ff94040", "crew_destroyed"),
            8: ("96cc5b7494fc19224d18bb19c85415d4", "private_universe"),
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
            9: ("ce57ffc4ba9b92dcfc889d614326d299", "private_universe"),
            11: ("964c9e8a22911fc3809b7cdd6ac75386", "nanettes_head"),
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
            1: ("eac6b6ca37691c779b8dde50671a0903", "private_universe"),
            2: ("cde1c0cda95f6c69927217360becf3ec", "nanettes_head"),
        },
    ),
    (
        "deadly_raids",
        ["combat.raid_danger=0.9", "combat.raid_injury=60"],
        {
            1: ("b6796513899b0a2db883bdedf54a4496", "crew_destroyed"),
            2: ("bd5eaa91f95b19e1c10a8021484bcae6", "crew_destroyed"),
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
            1: ("b267b4e69c0bf966a2a201eb4c69eb6c", "captain_alone"),
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
            1: ("9d6f6bbb5cce81d614c690259babe099", "daly_copy"),
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
    assert result.digest == "782bc795cff8b16cf3030de4482a7cdf"
    assert len(result.decisions) == 644
    assert hashlib.sha256(decisions).hexdigest()[:32] == "513855d83e933ae550819a3460ecfb8b"


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
