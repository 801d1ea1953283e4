"""Each role's choices respond to what its considerations read (default scenario brains)."""

from __future__ import annotations

import numpy as np
import pytest

from agents.brain import Brain
from agents.vectorised import VectorBrain
from world.cast import CATALOGS as ROLES
from world.cast import captain, crew, daly
from world.cast.casualties import destroy_ship, wound
from world.collapse import collapse_if_due
from world.endings import classify
from world.simulate import build_model, collect_result

UNIFORMS = np.linspace(0.0005, 0.9995, 400)


def brain_of(config, character: str) -> Brain:
    spec = config.characters[character]
    return Brain(ROLES[spec.role], getattr(config.agents, spec.role), spec.traits())


def share(brain: Brain, inputs: dict, action: str, available=None) -> float:
    """How often `action` is chosen over an even spread of the selector's draws."""
    picks = [brain.decide(inputs, float(u), available=available).action for u in UNIFORMS]
    return picks.count(action) / len(picks)


def base_inputs(role: str, **values: float) -> dict[str, float]:
    inputs = dict.fromkeys(ROLES[role].inputs, 0.0)
    inputs.update(values)
    return inputs


CAPTAIN_CALM = {
    "credits": 80,
    "fuel": 40,
    "ammo": 40,
    "shields": 80,
    "hull": 90,
    "crew_alive": 4,
    "crew_health": 90,
    "players_here": 20000,
    "price_index": 1,
    "captain_health": 90,
    "crew_raid_support": 0.5,
    "market_hops": 2,
    "ticks_since_raid": 20,
    "heart_hops": 3,
    "xj500_hops": 4,
}
OUTSIDE = ["rob_player", "resupply", "warp", "hide", "fight", "flee"]


def test_captain_robs_more_when_the_coffers_are_empty(default_config):
    captain = brain_of(default_config, "nanette")
    poor = share(
        captain, base_inputs("captain", **{**CAPTAIN_CALM, "credits": 5}), "rob_player", OUTSIDE
    )
    rich = share(
        captain, base_inputs("captain", **{**CAPTAIN_CALM, "credits": 300}), "rob_player", OUTSIDE
    )
    assert poor > rich + 0.2


def test_captain_fights_or_flees_when_hunters_close_in(default_config):
    captain = brain_of(default_config, "nanette")
    calm = base_inputs("captain", **CAPTAIN_CALM)
    threatened = base_inputs("captain", **{**CAPTAIN_CALM, "threat_nearby": 10})
    defend = ("fight", "flee")
    assert sum(share(captain, threatened, a, OUTSIDE) for a in defend) > 0.5
    assert sum(share(captain, calm, a, OUTSIDE) for a in defend) < 0.05


def test_captain_heads_for_the_heart_when_the_real_nanette_is_in_a_coma(default_config):
    captain = brain_of(default_config, "nanette")
    options = [*OUTSIDE, "enter_heart"]
    ready = {**CAPTAIN_CALM, "walt_aboard": 1, "knows_quarters": 1, "price_index": 3}
    calm = share(captain, base_inputs("captain", **ready), "enter_heart", options)
    coma = share(
        captain, base_inputs("captain", **ready, real_nanette_coma=1), "enter_heart", options
    )
    assert coma > calm + 0.2


def test_captain_takes_the_blue_disk_once_offered(default_config):
    captain = brain_of(default_config, "nanette")
    inputs = base_inputs(
        "captain",
        **CAPTAIN_CALM,
        in_heart=1,
        green_offered=1,
        red_offered=1,
        blue_offered=1,
        disk_in_hand=1,
        real_nanette_coma=1,
    )
    options = ["hide", "accept_red", "accept_blue", "fight_daly", "load_disk"]
    assert share(captain, inputs, "accept_blue", options) > 0.5


def test_crew_mans_the_guns_under_attack_and_karl_defies_risky_orders(default_config):
    packer, karl = brain_of(default_config, "packer"), brain_of(default_config, "karl")
    calm = base_inputs("crew", health=90, fatigue=20, aboard=1, credits=80, hull=90)
    attacked = {**calm, "threat_nearby": 8}
    assert share(packer, attacked, "man_guns") > share(packer, calm, "man_guns") + 0.3
    aggrieved = {**calm, "risky_order": 1, "grievance": 0.9}
    assert share(karl, aggrieved, "defy") > 0.3
    assert share(karl, {**calm, "risky_order": 0, "grievance": 0.9}, "defy") == 0.0


def test_walt_only_wants_to_come_aboard_with_rocky(default_config):
    walt = brain_of(default_config, "walt")
    with_rocky = base_inputs("crew", ship_here=1, rocky_found=1, health=100)
    without = base_inputs("crew", ship_here=1, rocky_found=0, health=100)
    assert share(walt, with_rocky, "join_ship", ["join_ship", "rest"]) > 0.9
    assert share(walt, without, "join_ship", ["join_ship", "rest"]) == 0.0


def test_walton_raises_prices_when_revenue_falls(default_config):
    walton = brain_of(default_config, "walton")
    pricing = ["raise_prices", "hold_prices"]
    # a week after his last hike, so that the wait does not hold him back
    falling = base_inputs("walton", revenue_change=-0.1, price_index=1.2, hours_since_hike=168)
    rising = base_inputs("walton", revenue_change=0.05, price_index=1.2, hours_since_hike=168)
    assert (
        share(walton, falling, "raise_prices", pricing)
        > share(walton, rising, "raise_prices", pricing) + 0.1
    )


def test_walton_sends_the_party_when_the_crew_nears_the_heart(default_config):
    walton = brain_of(default_config, "walton")
    options = ["hold_prices", "attack_crew", "invite_party", "exit_game"]
    far = base_inputs(
        "walton",
        in_game=1,
        at_ship=1,
        avatar_health=100,
        robbed_players=40,
        knows_clones=1,
        legal_risk=0.1,
    )
    near = {**far, "heart_threat": 1.0}
    assert (
        share(walton, near, "invite_party", options)
        > share(walton, far, "invite_party", options) + 0.3
    )


def test_real_nanette_confides_then_quits_after_seeing_the_attack(default_config):
    nanette = brain_of(default_config, "real_nanette")
    found = base_inputs("nanette", clones_discovered=1, trust_in_walton=0.6, log_access=1)
    options = ["work", "quit", "help_clones", "confide_in_walton", "enter_game"]
    assert share(nanette, found, "confide_in_walton", options) > 0.3
    after = {**found, "told_walton": 1, "saw_attack": 1}
    assert (
        share(nanette, after, "quit", ["work", "quit", "help_clones"])
        > share(nanette, {**after, "saw_attack": 0}, "quit", ["work", "quit", "help_clones"]) + 0.2
    )


def test_daly_offers_to_a_visitor_and_grasps_for_a_copy_when_lonely(default_config):
    daly = brain_of(default_config, "daly")
    visitor = base_inputs("daly", visitor_present=1, loneliness=0.3, health=100)
    assert share(daly, visitor, "make_offer", ["brood", "build_planet", "make_offer"]) > 0.6
    options = ["brood", "build_planet", "copy_paste", "attack"]
    lonely = {**visitor, "disk_in_hand": 1, "offer_made": 1, "loneliness": 0.95}
    content = {**lonely, "loneliness": 0.1}
    assert (
        share(daly, lonely, "copy_paste", options)
        > share(daly, content, "copy_paste", options) + 0.3
    )


def test_vengeful_players_answer_the_invite_and_attack_where_the_ship_is(default_config):
    brain = VectorBrain(ROLES["vengeful_player"], default_config.agents.vengeful_player)
    count = 400
    inputs = {name: np.zeros(count) for name in ROLES["vengeful_player"].inputs}
    inputs["grudge"][:] = 0.9
    inputs["health"][:] = 100
    inputs["invited"][:200] = 1
    inputs["same_planet"][200:] = 1
    inputs["complained"][:] = 1  # a fresh complaint comes first (tests/test_players_choices.py)
    available = {
        "hunt": np.zeros(count, bool),
        "complain": np.zeros(count, bool),
        "give_up": np.ones(count, bool),
        "answer_invite": inputs["invited"] > 0,
        "attack": inputs["same_planet"] > 0,
    }
    chosen = brain.decide(inputs, np.linspace(0.001, 0.999, count), available=available)
    actions = np.array(brain.actions)[chosen]
    assert (actions[:200] == "answer_invite").mean() > 0.5
    assert (actions[200:] == "attack").mean() > 0.5


@pytest.fixture
def model(default_config):
    return build_model(default_config, seed=3, ticks=200)


def test_walt_will_not_leave_xj500_without_rocky(model):
    walt = model.walt
    model.ship.planet = model.galaxy.xj500
    model.story.walt_found, model.story.rocky_found = True, False
    walt.intent = "join_ship"
    crew.resolve(model, crew.choices(model, []))
    assert not walt.aboard
    model.story.rocky_found = True
    crew.resolve(model, crew.choices(model, []))
    assert walt.aboard and model.story.walt_aboard
    assert model.events.happened("walt_joined")


def test_killing_daly_fires_the_kill_switch_and_infinity_collapses(model):
    model.heart.captain_inside = True
    model.daly.health = 1.0
    model.daly.intent = "brood"
    model.captain.intent = "fight_daly"
    daly.resolve(model)
    captain.resolve_in_heart(model)
    assert model.events.happened("daly_killed") and model.collapse_at is not None
    model.captain.intent = "hide"
    while model.steps < model.collapse_at:
        model.steps += 1
    collapse_if_due(model)
    assert not model.galaxy.alive and model.events.happened("infinity_collapse")
    assert classify(model) == "collapse"  # no disk loaded: deleted with the crew inside


def test_loading_a_disk_decides_the_ending(model):
    for disk, ending in (
        ("blue", "nanettes_head"),
        ("green", "private_universe"),
        ("red", "captain_alone"),
    ):
        model.story.disk_loaded = disk
        assert classify(model) == ending
    model.story.disk_loaded = None
    assert classify(model) is None
    model.story.copy_made = True
    assert classify(model) == "daly_copy"
    model.story.copy_made = False
    destroy_ship(model)
    assert classify(model) == "crew_destroyed"


def test_a_dead_captain_is_succeeded_by_a_new_captain_with_their_own_brain(model):
    fallen = model.captain
    model.heart.captain_inside = True
    model.heart.disk_in_hand = "blue"
    packer = next(m for m in model.crew if m.name == "packer")
    wound(model, fallen, 1000, cause="a test")
    heir = model.captain
    assert heir is not fallen and heir.name == "packer" and heir.role == "captain"
    assert heir.traits == model.config.characters["packer"].traits()
    assert fallen in model.fallen and packer not in model.crew
    assert model.heart.disk_in_hand is None and not model.heart.captain_inside
    assert heir in list(model.cast) and fallen not in list(model.cast)
    cast = collect_result(model, 0.0).crew
    assert {"name": "Captain Cole", "role": "captain", "alive": False} in cast


def test_the_heart_needs_walt_alive_and_aboard(model):
    captain = model.captain
    model.story.walt_aboard = True
    model.walt.aboard = True
    model.ship.fuel = 60
    assert "enter_heart" in captain.available()
    model.walt.alive = False
    assert "enter_heart" not in captain.available()


def test_red_and_blue_disks_need_the_real_nanette_in_a_coma(model):
    heart = model.heart
    heart.captain_inside = True
    heart.offered = {"green", "red", "blue"}
    model.realworld.nanette_state = "coma"
    assert {"accept_red", "accept_blue"} <= set(model.captain.available())
    heart.disk_in_hand = "blue"
    model.realworld.nanette_state = "dead"
    options = set(model.captain.available())
    assert "accept_red" not in options and "load_disk" not in options
    assert "accept_green" in options
