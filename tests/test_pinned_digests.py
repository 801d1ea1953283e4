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
    1: "76550195fcbb92a79517e8bf42cd7c66",
    2: "5036040a58c84ba75da20bbe5296620a",
    3: "1cbd11135dd62e74571d8abadf9edc16",
    4: "d8ea245436269e7bce4979bb5b278ad4",
    5: "6bd8bf107990610cacb4f8903f905cb8",
    6: "3612dfeef05a916d49cf3426f1323b71",
    7: "8f89274740fcbbab005e5be38931eabc",
    8: "301ddf963e890e62f6ccce2e50a378fa",
    9: "e899063803dba73fdc8f00bbc4da9840",
    10: "270de3ec843c287786daca67beb92a79",
    11: "97e40048e68622442ed1152c8fdbffbb",
    12: "ee97079e55f65e713193e2c7e218890a",
    13: "7043a36dfb203b606754a96016db2ab8",
    14: "8a707e06b433bfcb669f803fae2d15a6",
    15: "e24ef949c07efe0ce33a57227c153826",
    16: "e062da5ad6cd8db08fb50ae429c42120",
    17: "307eba3cc50475df66882132ccae8093",
    18: "ab13170310d271431e4696c0ec2d8684",
    19: "b819fc31db11a2b8db3b7f0c8e1bd1be",
    20: "791b8a337dbb034dcda0bbb24f1eb2a9",
}

# Scenarios that stress the order of an hour: starvation, repairs under fire, battles, the
# Heart with a coma, the red disk and Daly's copy (name, overrides, {seed: (digest, ending)}).
STRESS_DIGESTS = [
    (
        "starvation",
        ["economy.upkeep_per_hour=3", "economy.starvation_damage=4", "economy.loot_mean=0"],
        {
            4: ("5c9d9325d4078a91ea8499117ff014b7", "crew_destroyed"),
            5: ("0c3f9f956475ac58ffea2dc6857f22f8", "crew_destroyed"),
            6: ("19ac5de332726304b645994570b340ae", "crew_destroyed"),
        },
    ),
    (
        "broke_from_the_start",
        ["economy.upkeep_per_hour=2", "economy.starvation_damage=12", "economy.start_credits=0"],
        {
            4: ("2bfe414f91e186684b8337de32281f81", "crew_destroyed"),
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
            79: ("ab84965ebb075c919cdeee48ee2b4ecb", "crew_destroyed"),
            782: ("2307d8a6957f0a568d34473d135752f3", "crew_destroyed"),
        },
    ),
    (
        "brutal_battles",
        ["combat.player_damage=6", "world.invite_wave=300", "combat.injury_per_hull_damage=3"],
        {
            7: ("c52d87e7588966c3c549199b1fee6159", "nanettes_head"),
            8: ("6594ea83724e1471bb08819e5eedde2b", "crew_destroyed"),
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
            9: ("682c5fbc4ad25399c5977d3c2e792a37", "nanettes_head"),
            11: ("fee97f81d0752e22104bcccfe3527ccf", "nanettes_head"),
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
            1: ("bae03dcadde3b94870b14ba0f10b83e4", "private_universe"),
            2: ("992628ee6f76b1c9bafb8cd955b724d2", "nanettes_head"),
        },
    ),
    (
        "deadly_raids",
        ["combat.raid_danger=0.9", "combat.raid_injury=60"],
        {
            1: ("93f5d65a71485c7f0c3aeb746fddfb40", "crew_destroyed"),
            2: ("35d8d8244544f34665e0123cbb4b7a65", "crew_destroyed"),
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
            1: ("c1dca581bc500b54b72d629c1207ea4b", "private_universe"),
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
            1: ("bc571e7029f1eec86dbefc621c5d70ea", "daly_copy"),
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
    assert result.digest == "270de3ec843c287786daca67beb92a79"
    assert len(result.decisions) == 6595
    assert hashlib.sha256(decisions).hexdigest()[:32] == "7942ccb8d49514b83ce5b71785a38820"


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
