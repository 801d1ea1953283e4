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
    1: "59f83d817dce2e7fa90582e5eb91517b",
    2: "9f54b64804f7a5d8306fe9f891a2ab97",
    3: "b78972d3a2dc868e1ab34a22ce10e8a9",
    4: "cc09c6d94a9c16df33db38ac48c29f0c",
    5: "6ce260060f7836791297dac50525d83f",
    6: "f4ba2247784e2c07a3a99d806f6c1278",
    7: "a05180b5f5f02d97851be1b006dc8822",
    8: "7f5ca9f14838150fd99349eed9865e7a",
    9: "3b6668d5dffe7cd596a01297532d6fd1",
    10: "1288d59988e52a5029bacd5a43b5767a",
    11: "8015eaba66b24d56770d3805eadd7bc9",
    12: "c88ea2ec82f5d8c50184854b31f773ed",
    13: "31cea02367ba7fc78b02b6ba650d135b",
    14: "8480a5e5ab1df131595d054ba5988b41",
    15: "510a70c22f394460cae440de6dff3958",
    16: "344504d37ccdcc31a637940b73536f3c",
    17: "c7d90ce915ba5e828fdfe687ad675549",
    18: "7768fd1aadd71e7a2ac1da8951097e93",
    19: "058c4704f304bccc1d2f101185b4cc05",
    20: "1658a3c84f12634d686eaf1c68dd9ffa",
}

# Scenarios that stress the order of an hour: starvation, repairs under fire, battles, the
# Heart with a coma, the red disk and Daly's copy (name, overrides, {seed: (digest, ending)}).
STRESS_DIGESTS = [
    (
        "starvation",
        ["economy.upkeep_per_hour=3", "economy.starvation_damage=4", "economy.loot_mean=0"],
        {
            4: ("eecab5f4235ceb54f3bcf9c966666926", "crew_destroyed"),
            5: ("bebd7fb62e3b8ed842ba102b5bc4dddb", "crew_destroyed"),
            6: ("3ce9b66cb0f10c31d049e2be21b223ae", "crew_destroyed"),
        },
    ),
    (
        "broke_from_the_start",
        ["economy.upkeep_per_hour=2", "economy.starvation_damage=12", "economy.start_credits=0"],
        {
            4: ("fcc205afdd6a0e83bdb2715ce98326b9", "crew_destroyed"),
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
            79: ("0d7901d116531a85d0e2a20cc8658c4c", "crew_destroyed"),
            782: ("fe94d8cbbdd6fc1c0f989ea69c5dae82", "crew_destroyed"),
        },
    ),
    (
        "brutal_battles",
        ["combat.player_damage=6", "world.invite_wave=300", "combat.injury_per_hull_damage=3"],
        {
            7: ("a05180b5f5f02d97851be1b006dc8822", "nanettes_head"),
            8: ("fa43dd405e489fe97cedaa45c262b82b", "private_universe"),
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
            9: ("2d97d39de03cea90e3d038aaa29253a5", "nanettes_head"),
            11: ("8900839bcdffed7d026e9ade6b482783", "nanettes_head"),
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
            1: ("7cd0a8e04dffe7483492cb734345836a", "nanettes_head"),
            2: ("346b4628a21bdf27861e388ceb30a7e8", "private_universe"),
        },
    ),
    (
        "deadly_raids",
        ["combat.raid_danger=0.9", "combat.raid_injury=60"],
        {
            1: ("0002ce0e80aa65301ec3583e6d42e386", "crew_destroyed"),
            2: ("7ba8c39b13fdd251291040b5513d2743", "crew_destroyed"),
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
            1: ("d36cc6d2ae5364011bcf62b9adec3d9c", "captain_alone"),
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
            1: ("4b94ca4046edf69b3a4a160d77873f1e", "daly_copy"),
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
    assert result.digest == "1288d59988e52a5029bacd5a43b5767a"
    assert len(result.decisions) == 3545
    assert hashlib.sha256(decisions).hexdigest()[:32] == "aea866f6e60dc3ed0b0a44df70dc226a"


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
