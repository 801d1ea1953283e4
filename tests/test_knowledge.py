"""Characters act on what they know: beliefs, their provenance, and causal order.

A sensor for a fact hidden from a character reads that character's belief, and a belief is
learned only where an event teaches it: no decision may read a fact before that event.
"""

from __future__ import annotations

import pytest

from world.cast import CATALOGS, CHARACTER_CLASSES
from world.events import EVENT_KINDS
from world.knowledge import FACTS, TAUGHT_AFTER
from world.realworld import press_progress
from world.simulate import build_model, simulate


def test_every_fact_has_the_events_it_must_follow():
    assert set(TAUGHT_AFTER) == set(FACTS)
    assert all(set(kinds) <= set(EVENT_KINDS) for kinds in TAUGHT_AFTER.values())


# Every input a character reads from a belief: (role, input) -> the fact behind it.
BELIEF_INPUTS = {
    (role, name): fact
    for role, character_class in CHARACTER_CLASSES.items()
    for name, fact in character_class.belief_inputs.items()
}


def test_every_belief_input_is_an_input_of_its_role_and_names_a_fact():
    for (role, name), fact in BELIEF_INPUTS.items():
        assert name in CATALOGS[role].inputs and fact in FACTS, (role, name, fact)


# Belief inputs that eight default runs may never read as non-zero.
RARELY_READ = {("nanette", "walton_threatened")}


@pytest.fixture(scope="module")
def sensed(default_config):
    """Every reading of a belief input by a deciding character, over eight default runs."""
    readings, runs = [], []
    patch = pytest.MonkeyPatch()
    for role, character_class in CHARACTER_CLASSES.items():
        if not character_class.belief_inputs:
            continue
        original = character_class.sense

        def sense(self, original=original, role=role):
            inputs = original(self)
            # what had happened, and what it had learned, as it read its inputs
            happened = [e.kind for e in self.model.events.events]
            held = list(self.beliefs.learned)
            readings.append((len(runs), self.model.steps, role, inputs, happened, held))
            return inputs

        patch.setattr(character_class, "sense", sense)
    try:
        for seed in range(1, 9):
            model = build_model(default_config, seed=seed)
            while model.running:
                model.step()
            runs.append(model)
    finally:
        patch.undo()
    return readings, runs


@pytest.mark.parametrize("hidden", sorted(BELIEF_INPUTS), ids="-".join)
def test_no_decision_reads_a_hidden_fact_before_the_event_that_taught_it(sensed, hidden):
    readings = sensed[0]
    role, name = hidden
    fact = BELIEF_INPUTS[hidden]
    known = 0
    for run, tick, who, inputs, happened, held in readings:
        if who != role or inputs[name] == 0.0:
            continue
        known += 1
        assert set(happened) & set(TAUGHT_AFTER[fact]), (run, tick, role, name)
        if inputs[name] == 1.0:  # read as known: the character held the belief by then
            about = [b for b in held if b.fact == fact]
            assert about and about[-1].value is True, (run, tick, role, name)
    assert known > 0 or (role, name) in RARELY_READ  # the rule was exercised


def test_every_belief_held_true_was_learned_after_the_events_it_follows(sensed):
    runs = sensed[1]
    checked = 0
    for model in runs:
        for person in model.cast:
            for belief in person.beliefs.learned:
                if belief.value is not True:
                    continue
                checked += 1
                taught = [
                    e.tick for e in model.events.events if e.kind in TAUGHT_AFTER[belief.fact]
                ]
                assert taught and min(taught) <= belief.tick, (model.seed, person.name, belief)
    assert checked > 0


def test_walton_learns_of_the_clones_from_the_real_nanette_and_she_from_the_logs(default_config):
    model = build_model(default_config, seed=5)
    while model.running and not model.events.happened("confided"):
        model.step()
    confided = next(e for e in model.events.events if e.kind == "confided")
    found = next(e for e in model.events.events if e.kind == "clones_discovered")
    his = model.walton.beliefs.about("clones_are_real")
    hers = model.nanette.beliefs.about("clones_are_real")
    assert (his.tick, his.how, his.source) == (confided.tick, "told", model.nanette.display_name)
    assert (hers.tick, hers.how) == (found.tick, "logs")
    assert model.walton.sense()["knows_clones"] == 1.0


def test_only_those_at_the_ship_see_walton_shoot(default_config):
    result = simulate(default_config, seed=2)
    assert result.event_counts["walton_attack"] > 0
    model = build_model(default_config, seed=2)
    while model.running and not model.events.happened("walton_attack"):
        model.step()
    attack = next(e for e in model.events.events if e.kind == "walton_attack")
    saw = model.nanette.beliefs.about("walton_attacked_crew")
    if model.nanette.in_game:
        assert (saw.tick, saw.how) == (attack.tick, "witnessed")
    else:
        assert saw is None or saw.tick < attack.tick
    aboard = [m for m in model.crew if m.alive and m.aboard]
    assert all(m.beliefs.about("walton_attacked_crew").how == "witnessed" for m in aboard)


def test_a_published_story_teaches_what_was_leaked_to_those_who_did_not_know(default_config):
    model = build_model(default_config, seed=3, ticks=10)
    model.nanette.leaked.append("clones_are_real")  # she told the journalist
    assert not model.walton.beliefs.holds("clones_are_real")
    press_progress(model, 1.0)
    assert model.realworld.published
    read = model.walton.beliefs.about("clones_are_real")
    assert (read.value, read.how, read.source) == (True, "press", "The New York Times")
    assert model.walton.beliefs.about("walton_attacked_crew") is None  # never leaked
