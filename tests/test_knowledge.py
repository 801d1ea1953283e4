"""Characters act on what they know: beliefs, their provenance, and causal order.

A sensor for a fact hidden from a character reads that character's belief, and a belief is
learned only where an event teaches it: no decision may read a fact before that event.
"""

from __future__ import annotations

import pytest

from world.cast import nanette, walton
from world.knowledge import Beliefs
from world.simulate import build_model, simulate

# input of a role -> (the fact its sensor reads, the event kinds that can teach it)
HIDDEN_INPUTS = {
    ("walton", "knows_clones"): ("clones_are_real", {"confided"}),
    ("nanette", "clones_discovered"): ("clones_are_real", {"clones_discovered"}),
    ("nanette", "saw_attack"): ("walton_attacked_crew", {"walton_attack"}),
}


def test_a_belief_keeps_its_value_hour_and_source():
    beliefs = Beliefs()
    assert beliefs.about("clones_are_real") is None and not beliefs.holds("clones_are_real")
    beliefs.learn("clones_are_real", True, 40, "told", source="Nanette Cole")
    beliefs.learn("clones_are_real", False, 90, "press")
    assert not beliefs.holds("clones_are_real")  # the latest belief is the one acted on
    assert [(b.tick, b.how, b.source) for b in beliefs.learned] == [
        (40, "told", "Nanette Cole"),
        (90, "press", None),
    ]
    with pytest.raises(ValueError, match="unknown fact 'rumour'"):
        beliefs.learn("rumour", True, 1, "told")
    with pytest.raises(ValueError, match="unknown way of learning 'dream'"):
        beliefs.learn("clones_are_real", True, 1, "dream")


@pytest.fixture(scope="module")
def sensed(default_config):
    """Every reading of a hidden input by a deciding character, over six default runs."""
    readings, runs = [], []
    originals = {
        role: module.CHARACTER.sense for role, module in (("walton", walton), ("nanette", nanette))
    }

    def recording(role):
        def sense(self):
            inputs = originals[role](self)
            readings.append((len(runs), self.model.steps, role, inputs))
            return inputs

        return sense

    patch = pytest.MonkeyPatch()
    for role, module in (("walton", walton), ("nanette", nanette)):
        patch.setattr(module.CHARACTER, "sense", recording(role))
    try:
        for seed in range(1, 7):
            model = build_model(default_config, seed=seed)
            while model.running:
                model.step()
            runs.append(model)
    finally:
        patch.undo()
    return readings, runs


@pytest.mark.parametrize("hidden", sorted(HIDDEN_INPUTS), ids="-".join)
def test_no_decision_reads_a_hidden_fact_before_the_event_that_taught_it(sensed, hidden):
    readings, runs = sensed
    role, name = hidden
    _fact, teachers = HIDDEN_INPUTS[hidden]
    known = 0
    for run, tick, who, inputs in readings:
        if who != role or inputs[name] != 1.0:
            continue
        known += 1
        taught = [e.tick for e in runs[run].events.events if e.kind in teachers]
        assert taught and min(taught) < tick, (run, tick, role, name)
    assert known > 0  # the rule was exercised, not vacuously true


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
