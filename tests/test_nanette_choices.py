"""The real Nanette: each turning point is her choice, she acts on beliefs, the road is a hazard."""

from __future__ import annotations

from collections import Counter

import pytest

from configuration.loading import ConfigError, load_config
from world.cast import nanette as her_role
from world.cast.nanette import TELLABLE
from world.cast.visitors import meet_the_crew
from world.road import NO_ROW, accident_rate
from world.simulate import build_model, simulate
from world.whereabouts import ship_in_space

# new action -> the event kinds only it produces
NEW_ACTIONS = {
    "offer_help": ("help_offered",),
    "talk_to_crew": ("talked_to_crew", "told_of_attack"),
    "leak_to_press": ("nanette_leaked",),
    "report_to_fbi": ("fbi_tipped",),
    "stop_walton": ("walton_pulled_out",),
}
SHORT = 400  # hours: her turning points fall in the first days


def _counts(config, seed: int, kinds) -> int:
    result = simulate(config, seed=seed, ticks=SHORT, trace="off")
    return sum(result.event_counts[kind] for kind in kinds)


@pytest.mark.parametrize("action", sorted(NEW_ACTIONS))
def test_weight_zero_removes_each_new_actions_events(default_config_path, action):
    kinds = NEW_ACTIONS[action]
    baseline = load_config(default_config_path)
    witness = next((s for s in range(40) if _counts(baseline, s, kinds)), None)
    assert witness is not None, f"the default config never chooses {action}"
    ablated = load_config(default_config_path, [f"agents.nanette.actions.{action}.weight=0"])
    seeds = sorted({witness, 0, 1, 2})
    assert [_counts(ablated, s, kinds) for s in seeds] == [0] * len(seeds)


@pytest.fixture(scope="module")
def full_runs(default_config):
    return [simulate(default_config, seed=seed) for seed in range(1, 7)]


def test_after_quitting_she_is_never_stuck_on_one_action(full_runs):
    union: Counter = Counter()
    exercised = 0
    for run in full_runs:
        quit_at = next(e.tick for e in run.events if e.kind == "nanette_quit")
        story_end = run.ending_tick or run.ticks
        after = [
            d["action"]
            for d in run.decisions
            if d["role"] == "nanette" and quit_at < d["tick"] <= story_end
        ]
        union.update(after)
        if len(after) >= 10:  # she stayed well long enough to have a life after quitting
            exercised += 1
            assert len(set(after)) >= 3, (run.seed, Counter(after))
        # what she tells, she tells once: no leak or report every three hours
        assert run.event_counts["nanette_leaked"] <= len(TELLABLE)
        assert run.event_counts["fbi_tipped"] <= len(TELLABLE)
    assert exercised > 0
    assert len(union) >= 4, union


def test_she_never_knows_of_the_attack_before_it_happened(default_config):
    for seed in range(1, 7):
        model = build_model(default_config, seed=seed, ticks=SHORT, trace="off")
        while model.running:
            model.step()
        belief = model.nanette.beliefs.about("walton_attacked_crew")
        if belief is None:
            continue
        first_attack = min(e.tick for e in model.events.events if e.kind == "walton_attack")
        assert belief.tick >= first_attack, seed  # witnessed, or told since
        if belief.how == "told":
            teller = next(e for e in model.events.events if e.kind == "told_of_attack")
            assert teller.tick == belief.tick and teller.actors[0] == belief.source


# ---------------------------------------------------------------------- the road
def test_the_accident_rate_rises_with_distress_and_falls_lying_low(default_config):
    rules = default_config.real_nanette
    calm = accident_rate(rules, NO_ROW, afraid=False, fear=1.0, lying_low=False)
    assert calm == pytest.approx(rules.accident_base_rate)
    just_rowed = accident_rate(rules, 0, afraid=False, fear=1.0, lying_low=False)
    later = accident_rate(rules, 3 * rules.accident_row_half_life, False, 1.0, False)
    assert just_rowed > later > calm
    assert later - calm == pytest.approx(rules.accident_after_row / 8)
    afraid = accident_rate(rules, NO_ROW, afraid=True, fear=1.0, lying_low=False)
    very_afraid = accident_rate(rules, NO_ROW, afraid=True, fear=2.0, lying_low=False)
    assert very_afraid > afraid > calm
    assert accident_rate(rules, 0, False, 1.0, lying_low=True) < just_rowed


def test_the_accident_can_happen_without_any_quit(default_config_path):
    config = load_config(
        default_config_path,
        ["real_nanette.accident_base_rate=1", "agents.nanette.actions.quit.weight=0"],
    )
    result = simulate(config, seed=3, ticks=24, trace="off")
    assert result.event_counts["nanette_coma"] == 1
    assert result.event_counts["nanette_quit"] == 0
    assert result.flags["nanette_state"] in ("coma", "dead")


def test_quitting_is_a_row_and_walton_feels_betrayed(default_config):
    model = build_model(default_config, seed=2, ticks=50)
    model.step()
    her, walton = model.nanette, model.walton
    before = model.relationships.trust(walton.name, her.name)
    her_role.EFFECTS["quit"](model, her)
    assert her.quit and her.last_row_at == model.steps
    assert model.relationships.trust(walton.name, her.name) < before
    assert model.realworld.nanette_state == "well"  # the road decides later, not the quit
    assert "rest" in her.available() and "work" not in her.available()


# ---------------------------------------------------------------------- learning by asking
@pytest.fixture
def at_the_ship(default_config):
    model = build_model(default_config, seed=2, ticks=50)
    model.step()
    assert ship_in_space(model)
    model.nanette.in_game = True
    return model


def test_meeting_the_crew_tells_her_nothing(at_the_ship):
    model = at_the_ship
    model.captain.beliefs.learn("walton_attacked_crew", True, model.steps, "witnessed")
    meet_the_crew(model, model.nanette)
    assert model.events.happened("real_visit")
    assert model.nanette.beliefs.about("walton_attacked_crew") is None


def test_asking_the_crew_teaches_her_what_the_captain_saw(at_the_ship):
    model = at_the_ship
    her = model.nanette
    her_role.EFFECTS["talk_to_crew"](model, her)
    assert her.beliefs.about("walton_attacked_crew") is None
    assert model.events.happened("talked_to_crew")
    model.captain.beliefs.learn("walton_attacked_crew", True, model.steps, "witnessed")
    her_role.EFFECTS["talk_to_crew"](model, her)
    belief = her.beliefs.about("walton_attacked_crew")
    assert (belief.how, belief.source) == ("told", model.captain.display_name)
    assert model.events.happened("told_of_attack")
    assert "talk_to_crew" not in her.available()  # nothing more to ask about


def test_the_nubbin_pulls_walton_out_and_he_feels_betrayed(at_the_ship):
    model = at_the_ship
    her, walton = model.nanette, model.walton
    walton.in_game = True
    assert "stop_walton" not in her.available()  # she does not know what he did yet
    her.beliefs.learn("walton_attacked_crew", True, model.steps, "witnessed")
    assert "stop_walton" in her.available()
    her_role.EFFECTS["stop_walton"](model, her)
    assert not walton.in_game and walton.logged_out_at == model.steps
    assert model.relationships.trust(walton.name, her.name) < model.relationships.rules.trust_start
    assert model.events.happened("walton_pulled_out")


def test_she_leaks_each_fact_once_and_fear_holds_her_back(at_the_ship, default_config):
    model = at_the_ship
    her = model.nanette
    assert "leak_to_press" not in her.available()
    her.beliefs.learn("clones_are_real", True, model.steps, "logs")
    assert "leak_to_press" in her.available()
    her_role.EFFECTS["leak_to_press"](model, her)
    assert model.realworld.counted.get("leaks") == 1 and "leak_to_press" not in her.available()
    her.beliefs.learn("walton_threatened", True, model.steps, "told", source="James Walton")
    assert her.sense()["unleaked"] == 1.0
    brain = her.brain
    inputs = her.sense()
    calm = brain.decide({**inputs, "walton_threatened": 0.0}, 0.5, trace=True).trace
    scared = brain.decide(inputs, 0.5, trace=True).trace
    assert scared.candidate("leak_to_press").score < calm.candidate("leak_to_press").score


# ---------------------------------------------------------------------- her knobs
@pytest.mark.parametrize(
    ("key", "bad"),
    [
        ("investigate_without_logs", 1.5),
        ("help_shields", 101),
        ("credits_enough", 0),
        ("fbi_report_risk", -0.1),
        ("accident_base_rate", 2),
        ("accident_after_row", -1),
        ("accident_row_half_life", 0),
        ("accident_when_afraid", 1.1),
        ("accident_lying_low", 3),
    ],
)
def test_a_bad_value_for_her_knobs_names_the_key(default_config_path, key, bad):
    with pytest.raises(ConfigError) as caught:
        load_config(default_config_path, [f"real_nanette.{key}={bad}"])
    assert [issue.key for issue in caught.value.issues] == [f"real_nanette.{key}"]
