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
    1: "a0751d227919f3f51e49a338232bf182",
    2: "de931e7f5f96ce2a3b8454fd741a48a4",
    3: "4ca286fe278c317b7af9d14c11d17960",
    4: "c93a751de7b3a9207b0c265f36bd7e1d",
    5: "cdc346dc22dc45bc9d820ce82f30304f",
    6: "01e264fffd7c4bcd6a68681d525486f7",
    7: "113ec7b7533ad0cbb182082d27982d20",
    8: "25074af41ae3fdd7c36059f31395bc62",
    9: "0682d6c45377d26d96cde82eddb57e26",
    10: "3975764b7830782144ffb2e29a05d399",
    11: "8c3c33b79ab405cf2e9ad51686b90c34",
    12: "11ccdfc9fcaf3e3b5617ecefb42aff09",
    13: "e498691bca3f569d2df54769c9fe9753",
    14: "b727990c3eacf76a0b3b8347aa0ba365",
    15: "dc0b9c220e59f1482d9d7e7fbae63f22",
    16: "60fed4d2bef33340208e406767e28e1a",
    17: "46e54f5a25a13e2ed703e6b5e1807f93",
    18: "93f38b7113954d5740b45f0c92e1c377",
    19: "ea21975a4634aec47d7bea410a5a5e25",
    20: "582a4b3195d51572c8cff59e3ffdff91",
}

# Scenarios that stress the order of an hour: starvation, repairs under fire, battles, the
# Heart with a coma, the red disk and Daly's copy (name, overrides, {seed: (digest, ending)}).
STRESS_DIGESTS = [
    (
        "starvation",
        ["economy.upkeep_per_hour=3", "economy.starvation_damage=4", "economy.loot_mean=0"],
        {
            4: ("0ecd640c5cf74cd042567b2bc5e552a0", "crew_destroyed"),
            5: ("98cf4993db9e80de9940492330840117", "crew_destroyed"),
            6: ("c3b6df6fdd3f7682301894119951ce7c", "crew_destroyed"),
        },
    ),
    (
        "broke_from_the_start",
        ["economy.upkeep_per_hour=2", "economy.starvation_damage=12", "economy.start_credits=0"],
        {
            4: ("527ac690822b34dedeec443feb83dcf8", "crew_destroyed"),
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
            79: ("51eab0cdf73ff551db49a81a7891494e", "crew_destroyed"),
            782: ("38af4670f2a4c4a1e8eaa6716ce66b60", "crew_destroyed"),
        },
    ),
    (
        "brutal_battles",
        ["combat.player_damage=6", "world.invite_wave=300", "combat.injury_per_hull_damage=3"],
        {
            7: ("4e738e2c0897befb69213d1a54ba95e5", "collapse"),
            8: ("0d4676c03ad59ed40395fb055d78a7dc", "nanettes_head"),
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
            11: ("07840b99b43a0c27e93b07ff8b9e213c", "nanettes_head"),
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
            1: ("5241d6f422a22aad6ad48301e0037f2e", "nanettes_head"),
            2: ("346b4628a21bdf27861e388ceb30a7e8", "private_universe"),
        },
    ),
    (
        "deadly_raids",
        ["combat.raid_danger=0.9", "combat.raid_injury=60"],
        {
            1: ("5bf538d220b3d6a2c94f4d6f9fe787e3", "crew_destroyed"),
            2: ("65742267e7fa044c55a8ab1dbc41cbeb", "crew_destroyed"),
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
            1: ("1ecd7ae344fd7840878f15d5564e435b", "captain_alone"),
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
            1: ("8932e2fa3e8ec7e7a596c6993209c538", "daly_copy"),
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
    assert result.digest == "3975764b7830782144ffb2e29a05d399"
    assert len(result.decisions) == 4241
    assert hashlib.sha256(decisions).hexdigest()[:32] == "934d682af4d8b158f6189729927f649a"


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
