"""The real Walton's turning points are his choices, made on what he knows.

Each new action can be switched off (weight 0 removes its events); he fears the Heart plan only
once he has seen Walt aboard; he shoots whom he chooses and only the gunners shoot back; real
Kabir's quitting answers what Walton did.
"""

from __future__ import annotations

import pytest

from agents.brain import Brain
from configuration.loading import load_config
from world.cast import walton as walton_role
from world.cast import walton_avatar
from world.simulate import build_model
from world.whereabouts import crew_aboard, heart_access, threat_near

SEEDS = range(1, 5)


def _offer_help(model) -> None:
    model.walton.beliefs.learn(
        "nanette_offered_help", True, 0, "told", source=model.nanette.display_name
    )


def _walt_aboard(model) -> None:
    """Walt aboard from the start, and a Walton who knows of the clones: he can find Walt."""
    model.walt.aboard = model.story.walt_aboard = True
    model.walton.beliefs.learn(
        "clones_are_real", True, 0, "told", source=model.nanette.display_name
    )


def _turn_against_her(model) -> None:
    """Until the real Nanette can quit on him (brief B), her betrayal is staged by hand."""
    model.relationships.feel(model.walton.name, model.nanette.name, "betrayed_me", 0)


def _play(config, seed: int, prepare=None, ticks: int = 900):
    model = build_model(config, seed=seed, ticks=ticks, trace="off")
    if prepare is not None:
        prepare(model)
    while model.running:
        model.step()
    return model


def _counts(config, kind: str, prepare=None, seeds=SEEDS) -> list[int]:
    return [_play(config, s, prepare).events.counts[kind] for s in seeds]


@pytest.mark.parametrize(
    ("action", "kind", "prepare"),
    [
        ("grant_logs", "logs_granted", _offer_help),
        ("listen_to_kabir", "kabir_heard", None),
        ("brush_off_kabir", "kabir_brushed_off", None),
        ("strike_walt", "walton_struck_walt", _walt_aboard),
        ("threaten_nanette", "walton_threatened", _turn_against_her),
        ("attack_crew", "walton_attack", None),
    ],
)
def test_each_new_action_at_weight_0_never_produces_its_event(
    default_config_path, action, kind, prepare
):
    seeds = SEEDS
    baseline = _counts(load_config(default_config_path), kind, prepare, seeds)
    assert sum(baseline) > 0, f"the default config never produces {kind}"
    dotted = f"agents.walton.actions.{action}.weight=0"
    assert _counts(load_config(default_config_path, [dotted]), kind, prepare, seeds) == [0] * len(
        seeds
    )


def test_a_hike_is_left_to_sink_in_before_the_next(default_config):
    spec = default_config.characters["walton"]
    brain = Brain(walton_role.CATALOG, default_config.agents.walton, spec.traits())
    inputs = dict.fromkeys(walton_role.CATALOG.inputs, 0.0)
    inputs.update(revenue_change=-0.05, price_index=1.5)
    pricing = ["raise_prices", "hold_prices"]

    def share_of_hikes(hours: float) -> float:
        draws = [i / 50 for i in range(50)]
        situation = {**inputs, "hours_since_hike": hours}
        picks = [brain.decide(situation, u, available=pricing).action for u in draws]
        return picks.count("raise_prices") / len(picks)

    assert share_of_hikes(6) < 0.1 < 0.9 < share_of_hikes(240)


def test_logs_are_granted_only_by_walton_never_by_an_interview(default_config_path):
    config = load_config(
        default_config_path,
        [
            "realworld.kabir_quit_rate_brushed_off=0",
            "realworld.kabir_quit_rate_unanswered=0",
            "agents.nanette.actions.offer_help.weight=0",  # she never asks for them
        ],
    )
    for seed in SEEDS:
        model = _play(config, seed, ticks=600)
        assert model.events.happened("journalist_interview")
        assert not model.realworld.log_access  # no offer, no grant, Kabir never left


def test_heart_threat_is_nothing_until_he_has_seen_walt_aboard(default_config):
    model = build_model(default_config, seed=3, ticks=50)
    walton, walt = model.walton, model.walt
    walt.aboard = True  # Walt is aboard, but Walton has not seen it
    assert heart_access(model)
    assert walton_avatar.heart_threat(model, walton) == 0.0
    assert walton.sense()["heart_threat"] == 0.0
    walton.in_game = True  # his avatar is at the ship: now he sees
    walton_avatar.observe(model, walton)
    belief = walton.beliefs.about("walt_aboard")
    assert belief is not None and belief.how == "witnessed" and belief.value is True
    assert walton_avatar.heart_threat(model, walton) >= default_config.realworld.walt_aboard_threat


def test_no_heart_threat_is_sensed_before_the_belief_that_teaches_it(default_config, monkeypatch):
    readings = []
    original = walton_role.Walton.sense

    def recording(self):
        inputs = original(self)
        readings.append((self.model.steps, inputs["heart_threat"], self))
        return inputs

    monkeypatch.setattr(walton_role.Walton, "sense", recording)
    afraid = 0
    for seed in range(1, 7):
        _play(default_config, seed, prepare=_walt_aboard if seed % 2 else None)
    for tick, threat, walton in readings:
        if threat > 0:
            afraid += 1
            taught = [b.tick for b in walton.beliefs.learned if b.fact == "walt_aboard" and b.value]
            assert taught and min(taught) <= tick
    assert afraid > 0  # he did come to fear it in some run


def test_an_idle_avatar_is_no_threat_but_a_shooting_one_is(default_config):
    model = build_model(default_config, seed=2, ticks=50)
    planet = model.ship.planet
    calm = threat_near(model, planet)
    model.walton.in_game, model.walton.intent = True, "hold_prices"
    assert threat_near(model, planet) == calm
    model.walton.intent = "attack_crew"
    assert threat_near(model, planet) == calm + default_config.combat.walton_threat


def test_only_gunners_and_a_captain_who_ordered_a_fight_fire_back(default_config):
    model = build_model(default_config, seed=2, ticks=50)
    walton, combat = model.walton, default_config.combat
    aboard = crew_aboard(model)
    for member in aboard:
        member.intent = "rest"
    aboard[0].intent = "man_guns"
    walton.in_game, walton.avatar_health = True, 1000.0
    model.captain.intent = "fight"
    model.heart.captain_inside = True  # the captain is in the Heart: she cannot shoot
    walton_avatar.return_fire(model, walton)
    assert walton.avatar_health == 1000.0 - combat.crew_fire_damage
    model.heart.captain_inside = False
    model.captain.intent = "hide"  # aboard, but she did not order a fight
    walton_avatar.return_fire(model, walton)
    assert walton.avatar_health == 1000.0 - 2 * combat.crew_fire_damage
    model.captain.intent = "fight"
    walton_avatar.return_fire(model, walton)
    assert walton.avatar_health == 1000.0 - 4 * combat.crew_fire_damage
    for member in aboard:
        member.intent = "rest"
    walton_avatar.return_fire(model, walton)  # the captain alone
    assert walton.avatar_health == 1000.0 - 5 * combat.crew_fire_damage


def test_he_shoots_the_clone_he_resents_and_wounds_leave_a_grievance(default_config):
    model = build_model(default_config, seed=2, ticks=50)
    walton = model.walton
    karl = next(m for m in model.crew if m.name == "karl")
    model.relationships.adjust(walton.name, karl.name, "wounded_me", 0, trust=-1, grievance=1)
    walton.in_game, walton.intent, walton.avatar_health = True, "attack_crew", 1000.0
    target, why = walton_avatar._choose_target(model, walton, walton_avatar._targets(model))
    assert target is karl and why == "whom he resents most"
    hits = 0
    for _ in range(6):
        before = karl.health
        walton_avatar.attack_crew(model, walton)
        hits += karl.health < before or not karl.alive
    assert hits > 0
    assert model.relationships.grievance(karl.name, walton.name) > 0
    attack = next(e for e in model.events.events if e.kind == "walton_attack")
    assert "Karl" in attack.text and "resents" in attack.text


def test_being_shot_down_makes_him_wait_longer_each_time(default_config):
    model = build_model(default_config, seed=2, ticks=50)
    walton, hours = model.walton, default_config.combat.walton_relogin_hours
    waits = []
    for times in (1, 2, 3):
        walton.times_shot_down = times
        waits.append(walton_avatar.relogin_wait(model, walton))
    assert waits == [hours, 2 * hours, 3 * hours]


def test_striking_walt_takes_away_the_key_to_the_heart_for_a_while(default_config):
    model = build_model(default_config, seed=2, ticks=200)
    walton, walt = model.walton, model.walt
    walt.aboard = True
    walton.in_game = True
    walton_avatar.observe(model, walton)
    assert "strike_walt" in walton.available()
    walton_avatar.strike_walt(model, walton)
    assert not heart_access(model) and walt.health < 100
    assert model.relationships.grievance(walt.name, walton.name) > 0
    model.steps += default_config.combat.walton_strike_hours
    assert heart_access(model)


def test_kabir_never_quits_on_a_walton_who_always_listens(default_config_path):
    listening = load_config(
        default_config_path,
        [
            "agents.walton.actions.brush_off_kabir.weight=0",
            "realworld.kabir_quit_rate_unanswered=0",
        ],
    )
    deaf = load_config(default_config_path, ["agents.walton.actions.listen_to_kabir.weight=0"])
    heard = [_play(listening, s, ticks=600) for s in SEEDS]
    assert all(m.events.happened("kabir_heard") for m in heard)
    assert not any(m.events.happened("kabir_quit") for m in heard)
    assert sum(_counts(deaf, "kabir_quit")) >= len(SEEDS) - 1  # brushed off, he soon leaves


def test_kabir_is_said_to_be_brushed_off_only_when_walton_chose_it(default_config):
    for seed in SEEDS:
        model = _play(default_config, seed, ticks=600)
        events = model.events.events
        for i, event in enumerate(events):
            if event.kind == "kabir_quit" and "Brushed off" in event.text:
                assert any(e.kind == "kabir_brushed_off" for e in events[:i])
            if event.kind == "kabir_quit":
                assert model.realworld.log_access  # his logs pass to the real Nanette


def test_the_invite_party_can_fall_while_the_captain_is_in_the_heart(default_config):
    model = build_model(default_config, seed=2, ticks=200)
    walton = model.walton
    model.walt.aboard = True
    model.heart.captain_inside = True
    model.story.robbed_total = 10
    walton.in_game = True
    walton_avatar.observe(model, walton)
    assert walton.beliefs.holds("crew_going_for_heart")
    assert walton.sense()["heart_threat"] == 1.0
    assert "invite_party" in walton.available()
    walton_avatar.invite_party(model, walton)
    party = next(e for e in model.events.events if e.kind == "invite_party")
    assert "going for the Heart" in party.text


def test_karl_can_die_by_waltons_hand_when_walton_wants_him_dead_most(default_config_path):
    """Possible, not forced: Karl's shots hit Walton's avatar, so Walton aims at him."""
    sure = ["combat.walton_target_whim=0", "combat.walton_hit_chance=1"]
    model = build_model(load_config(default_config_path, sure), seed=3, ticks=10)
    walton, karl = model.walton, next(m for m in model.crew if m.name == "karl")
    assert karl in crew_aboard(model)
    for _ in range(2):  # Karl's shots hit his avatar twice
        model.relationships.feel(walton.name, karl.name, "wounded_me", model.steps)
    walton.in_game, walton.avatar_health = True, 1e9  # he stays in the fight
    for _ in range(20):
        walton_avatar.attack_crew(model, walton)
        if not karl.alive:
            break
    death = next(e for e in model.events.events if e.kind == "crew_death")
    assert not karl.alive and death.actors == (karl.display_name,)
    assert "Walton's gun" in death.text
    shots = [e for e in model.events.events if e.kind == "walton_attack"]
    assert shots and all(karl.display_name in e.actors for e in shots)
