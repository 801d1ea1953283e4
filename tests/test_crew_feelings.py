"""The crew's trust in and grievance against the captain move both ways, through real effects."""

from __future__ import annotations

import pytest

from configuration.loading import load_config
from world.cast import captain_orders, command, crew
from world.cast.captivity import left_behind
from world.simulate import build_model
from world.whereabouts import crew_aboard

CALM = ["world.capture_chance=0", "combat.raid_danger=0"]


@pytest.fixture
def model(default_config_path):
    return build_model(load_config(default_config_path, CALM), seed=3)


def feelings_of(model, member) -> tuple[float, float]:
    captain = model.captain.name
    return (
        model.relationships.trust(member.name, captain),
        model.relationships.grievance(member.name, captain),
    )


def test_an_unwanted_risky_order_feeds_grievance_and_erodes_trust(model):
    karl = next(m for m in model.crew if m.name == "karl")
    model.captain.intent, karl.intent = "rob_player", "repair"
    trust, grievance = feelings_of(model, karl)
    crew.live_the_hour(model, crew_aboard(model))
    after = feelings_of(model, karl)
    assert after[0] < trust and after[1] > grievance
    assert karl.sense()["grievance"] == after[1]  # the input reads the relationship


def test_rest_lets_grievance_go(model):
    karl = next(m for m in model.crew if m.name == "karl")
    model.relationships.feel("karl", model.captain.name, "ordered_me_into_danger", 0, 5.0)
    before = feelings_of(model, karl)[1]
    model.captain.intent, karl.intent = "hide", "rest"
    crew.live_the_hour(model, crew_aboard(model))
    assert feelings_of(model, karl)[1] < before


def test_a_raid_that_pays_off_eases_grievance_and_builds_trust(model):
    packer = next(m for m in model.crew if m.name == "packer")
    model.relationships.feel("packer", model.captain.name, "ordered_me_into_danger", 0, 5.0)
    trust, grievance = feelings_of(model, packer)
    for member in crew_aboard(model):
        member.intent = "join_raid" if member is packer else "rest"
    captain_orders.rob_player(model, crew_aboard(model))
    after = feelings_of(model, packer)
    assert after[0] > trust and after[1] < grievance


def test_a_single_refusal_is_told_vents_and_stings_the_captain(model):
    karl = next(m for m in model.crew if m.name == "karl")
    model.relationships.feel("karl", model.captain.name, "ordered_me_into_danger", 0, 5.0)
    grievance = feelings_of(model, karl)[1]
    captain = model.captain
    captain.intent = "rob_player"
    for member in crew_aboard(model):
        member.intent = "defy" if member is karl else "join_raid"
    assert command.hear_the_crew(model, crew_aboard(model)) == "rob_player"  # one is no majority
    refusals = [e for e in model.events.events if e.kind == "order_refused"]
    assert [e.actors for e in refusals] == [(karl.display_name, captain.display_name)]
    assert feelings_of(model, karl)[1] < grievance  # saying no vents
    assert model.relationships.grievance(captain.name, "karl") > 0  # and stings her
    assert model.relationships.trust(captain.name, "karl") < 0.5
    command.hear_the_crew(model, crew_aboard(model))  # the same order is refused once
    assert model.events.counts["order_refused"] == 1


def test_a_captain_who_listens_is_trusted_more(model):
    karl = next(m for m in model.crew if m.name == "karl")
    captain = model.captain
    captain.intent, karl.intent = "rob_player", "defy"
    command.hear_the_crew(model, crew_aboard(model))
    model.relationships.feel("karl", captain.name, "ordered_me_into_danger", 0, 5.0)
    trust, grievance = feelings_of(model, karl)
    model.steps += 1  # the next hour she chooses a safe order
    captain.intent = "hide"
    command.hear_the_crew(model, crew_aboard(model))
    after = feelings_of(model, karl)
    assert after[0] > trust and after[1] < grievance


def test_walt_trusts_the_captain_who_came_for_him(model):
    walt, story = model.walt, model.story
    story.walt_found = story.rocky_found = True
    model.ship.planet = model.galaxy.xj500
    walt.intent = "join_ship"
    crew.resolve(model, {"join_ship": [walt]})
    assert walt.aboard
    trust = model.relationships.trust(walt.name, model.captain.name)
    assert trust > model.config.relationships.trust_start
    assert walt.sense()["trust_in_captain"] == trust


def test_a_captured_raider_is_rescued_and_remembers_who_left_them(default_config_path):
    config = load_config(default_config_path, ["world.capture_chance=1", "combat.raid_danger=0"])
    model = build_model(config, seed=3)
    packer, kabir = (next(m for m in model.crew if m.name == n) for n in ("packer", "kabir"))
    for member in crew_aboard(model):
        member.intent = "join_raid" if member is packer else "rest"
    for _ in range(100):  # the player's grudge and Packer's boldness make it a chance
        captain_orders.rob_player(model, crew_aboard(model))
        if packer.captured_at is not None:
            break
    assert packer.captured_at == model.ship.planet and packer not in crew_aboard(model)
    assert "rescue" in kabir.available()
    held = model.ship.planet
    model.ship.planet = model.galaxy.neighbours(held)[0]  # the captain orders the ship away
    left_behind(model, held)
    assert model.events.counts["raider_left_behind"] == 1
    model.ship.planet = held  # back again
    crew.resolve(model, {"rescue": [kabir]})
    assert packer.aboard and packer.captured_at is None
    assert model.events.counts["raider_rescued"] == 1
    assert model.relationships.trust("packer", "kabir") > config.relationships.trust_start
    assert model.relationships.grievance("packer", model.captain.name) > 0  # betrayed
