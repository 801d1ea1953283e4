"""The robbed players choose every action where it makes sense; weight 0 removes one; the battle."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from configuration.loading import ConfigError, load_config
from world.cast import vengeful_player as players
from world.hunters import resolve_battle
from world.simulate import build_model, simulate

SEEDS = range(1, 7)


def _run_counting(monkeypatch, config, seeds=SEEDS):
    """Intents chosen by due players over `seeds`, and each run's event counts."""
    chosen: Counter[str] = Counter()
    think = players.think

    def counting(model) -> None:
        think(model)
        tick, every = model.steps, model.hunter_brain.think_every
        chosen.update(p.intent for p in model.vengeful if (tick + p.unique_id) % every == 0)

    monkeypatch.setattr(players, "think", counting)
    runs = [simulate(config, seed=seed) for seed in seeds]
    return chosen, runs


def test_every_action_but_the_invite_is_chosen_in_a_handful_of_default_runs(
    monkeypatch, default_config
):
    chosen, runs = _run_counting(monkeypatch, default_config)
    for action in ("hunt", "complain", "give_up", "attack", "wait"):
        assert chosen[action] > 0, action
    assert sum(run.event_counts["complaint"] for run in runs) > 0
    assert sum(run.event_counts["player_gave_up"] for run in runs) > 0


def test_past_the_cap_the_oldest_players_log_out_first(default_config_path):
    model = build_model(load_config(default_config_path, ["world.max_vengeful=5"]), seed=2)
    added = [players.add_victim(model, model.ship.planet) for _ in range(8)]
    assert list(model.vengeful) == added[3:]
    assert not any(player in model.agents for player in added[:3])  # removed from the model


def test_invited_players_away_from_the_ship_answer_the_invite(default_config):
    model = build_model(default_config, seed=2)
    elsewhere = next(p for p in range(model.galaxy.size) if p != model.ship.planet)
    away = [players.add_victim(model, elsewhere) for _ in range(20)]
    for player in away:
        player.complained = True
        player.invited = True  # as Walton's invite party does (world/cast/walton.py)
    inputs, available = players.sense(model, away)
    assert available["answer_invite"].all()
    uniforms = np.linspace(0.01, 0.99, len(away))
    chosen = model.hunter_brain.decide(inputs, uniforms, available=available)
    assert [model.hunter_brain.actions[i] for i in chosen].count("answer_invite") > 10


def test_a_fresh_victim_complains_a_stale_lone_one_gives_up(default_config):
    brain = build_model(default_config, seed=1).hunter_brain
    base = {name: np.zeros(2) for name in players.CATALOG.inputs}
    base["grudge"][:] = [0.9, 0.25]
    base["health"][:] = 100
    base["complained"][:] = [0, 1]
    base["hours_since_robbed"][:] = [0, 200]
    base["hours_since_news"][:] = [0, 60]
    base["hops_to_ship"][:] = [0, players.UNKNOWN_HOPS]
    available = {
        "hunt": np.array([False, False]),
        "complain": np.array([True, False]),
        "attack": np.array([False, False]),
        "answer_invite": np.array([False, False]),
    }
    scores = brain.scores(base, 2, available=available)
    best = [brain.actions[i] for i in scores.argmax(axis=0)]
    assert best == ["complain", "give_up"]


@pytest.mark.parametrize(
    ("action", "event"),
    [("give_up", "player_gave_up"), ("complain", "complaint"), ("answer_invite", None)],
)
def test_weight_0_removes_a_players_action_from_every_run(
    monkeypatch, default_config_path, action, event
):
    config = load_config(default_config_path, [f"agents.vengeful_player.actions.{action}.weight=0"])
    chosen, runs = _run_counting(monkeypatch, config, seeds=range(1, 4))
    assert chosen[action] == 0
    if event is not None:
        assert all(run.event_counts[event] == 0 for run in runs)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("population.grudge_start_min", "1.5"),
        ("population.grudge_start_max", "-0.1"),
        ("population.player_hit_damage", "0"),
        ("population.battle_witnesses", "11"),
        ("population.fear_max", "2"),
        ("population.bandit_fear", "-1"),
    ],
)
def test_bad_players_knobs_are_refused_naming_the_key(default_config_path, key, value):
    with pytest.raises(ConfigError) as caught:
        load_config(default_config_path, [f"{key}={value}"])
    assert key in str(caught.value)


def _battle_model(default_config):
    model = build_model(default_config, seed=1)
    attacker = players.add_victim(model, model.ship.planet)
    attacker.intent = "attack"
    for member in model.crew:
        member.intent = "rest"
    model.captain_fights = False
    return model


def test_only_those_at_the_guns_and_the_captains_order_fire_back(default_config):
    model = _battle_model(default_config)
    ammo = model.ship.ammo
    resolve_battle(model)
    assert model.ship.ammo == ammo  # nobody chose to shoot
    battle = next(e for e in model.events.events if e.kind == "ship_battle")
    assert "nobody mans the guns" in battle.text

    model = _battle_model(default_config)
    aboard = [m for m in model.crew if m.alive and m.aboard]
    aboard[0].intent = "man_guns"
    ammo = model.ship.ammo
    resolve_battle(model)
    assert model.ship.ammo < ammo
    battle = next(e for e in model.events.events if e.kind == "ship_battle")
    assert aboard[0].display_name in battle.actors
    assert f"{aboard[0].display_name} mans the guns" in battle.text
