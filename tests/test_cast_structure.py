"""Every role is whole in its own file: its catalog, senses, choices and effects agree.

An action with no effect, an effect with no action, a sensor the catalog does not document or
an input nobody senses would each be a silent bug; so would an intent outside the catalog.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from world.cast import CATALOGS, ROLE_MODULES
from world.cast import vengeful_player as players
from world.simulate import build_model

REPO = Path(__file__).resolve().parent.parent
SINGLE_ROLES = ("captain", "walton", "nanette", "daly")


@pytest.fixture(scope="module")
def model(default_config):
    model = build_model(default_config, seed=4, ticks=400)
    for _ in range(120):  # far enough that every role has thought and a player was robbed
        model.step()
    return model


@pytest.mark.parametrize("module", ROLE_MODULES, ids=lambda m: m.CATALOG.role)
def test_each_roles_effect_table_covers_exactly_its_actions(module):
    assert list(module.EFFECTS) == list(module.CATALOG.actions)
    assert all(callable(effect) for effect in module.EFFECTS.values())


@pytest.mark.parametrize("role", SINGLE_ROLES)
def test_what_a_character_senses_is_exactly_its_catalogs_inputs(model, role):
    person = getattr(model, role)
    assert list(person.sense()) == list(CATALOGS[role].inputs)
    assert set(person.available()) <= set(CATALOGS[role].actions)


def test_every_crew_member_senses_exactly_the_crews_inputs(model):
    for member in [*model.crew, model.walt]:
        assert list(member.sense()) == list(CATALOGS["crew"].inputs)
        assert set(member.available()) <= set(CATALOGS["crew"].actions)


def test_robbed_players_sense_exactly_their_inputs_and_choose_among_their_actions(model):
    crowd = list(model.vengeful) or [players.add_victim(model, model.ship.planet)]
    inputs, available = players.sense(model, crowd)
    catalog = CATALOGS["vengeful_player"]
    assert list(inputs) == list(catalog.inputs)
    assert list(available) == list(catalog.actions)
    assert all(len(column) == len(crowd) for column in (*inputs.values(), *available.values()))


@pytest.mark.parametrize("role", ["walton", "nanette", "daly"])
def test_an_intent_outside_the_catalog_is_an_error_not_a_no_op(model, role, monkeypatch):
    module = next(m for m in ROLE_MODULES if m.CATALOG.role == role)
    person = getattr(model, role)
    monkeypatch.setattr(person, "intent", "bogus_action")
    monkeypatch.setattr(type(person), "is_due", lambda self, tick: True)
    monkeypatch.setattr(model.realworld, "nanette_state", "well")  # she decides only when well
    with pytest.raises(ValueError, match=f"{role} chose 'bogus_action', which is not one of"):
        module.resolve(model)


def test_a_crew_intent_or_a_captains_order_outside_the_catalog_is_an_error(default_config):
    from world.cast import captain, crew
    from world.whereabouts import crew_aboard

    model = build_model(default_config, seed=4, ticks=10)
    model.crew[0].intent = "mutiny"
    with pytest.raises(ValueError, match="crew chose 'mutiny'"):
        crew.resolve(model, crew.choices(model, crew_aboard(model)))
    model.crew[0].intent = None
    model.captain.intent = "teleport"
    with pytest.raises(ValueError, match="captain chose 'teleport'"):
        captain.resolve_orders(model, crew_aboard(model))
    model.heart.captain_inside = True
    with pytest.raises(ValueError, match="captain chose 'teleport'"):
        captain.resolve_in_heart(model)


def _story_words() -> set[str]:
    """Roles, characters and places of the story: words the utility-AI library must not use."""
    scenario = tomllib.loads((REPO / "configs" / "default.toml").read_text(encoding="utf-8"))
    words = {"infinity", "callister", "heart", "xj500", "walt", "rocky", "shania", "kabir"}
    for role in CATALOGS:
        words.update(role.split("_"))
    for name, character in scenario["characters"].items():
        words.update(name.lower().split("_"))
        words.update(character.get("display_name", "").lower().split())
    return {w for w in words if len(w) > 2 and w not in {"the", "player", "real"}} | {"vengeful"}


def test_the_utility_ai_library_names_no_role_character_or_place_of_the_story():
    words = _story_words()
    assert {"captain", "walton", "nanette", "daly", "crew", "karl"} <= words
    pattern = re.compile(r"\b(" + "|".join(sorted(words)) + r")\b", re.IGNORECASE)
    found = [
        f"{path.name}:{number}: {line.strip()}"
        for path in sorted((REPO / "agents").glob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line.replace("-", ""))
    ]
    assert found == []


def test_a_robbed_players_intent_outside_the_catalog_is_an_error(model):
    player = players.add_victim(model, model.ship.planet)
    player.intent = "sue_the_company"
    with pytest.raises(ValueError, match="vengeful_player chose 'sue_the_company'"):
        players.resolve(model)


def test_walt_in_command_can_take_the_ship_into_the_heart(default_config):
    """With every other clone dead Walt commands, and his access is his own."""
    from world.cast import captain
    from world.cast.casualties import wound

    model = build_model(default_config, seed=4, ticks=50)
    walt = model.walt
    walt.aboard = model.story.walt_aboard = True
    for member in model.crew:
        if member is not walt:
            member.alive = False
    wound(model, model.captain, 1000, cause="a test")
    assert model.captain.name == walt.name and model.walt_in_command
    model.ship.planet, model.captain.intent = model.galaxy.heart, "enter_heart"
    assert "enter_heart" in model.captain.available()
    captain.resolve_orders(model, [])
    assert model.heart.captain_inside
    entered = [e for e in model.events.events if e.kind == "heart_entered"]
    assert entered[-1].actors == (walt.display_name,)
