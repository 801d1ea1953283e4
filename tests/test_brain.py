"""The scalar brain: compensation, vetoes, momentum, traits, tie-breaks and the trace."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agents.brain import Brain, Decision
from agents.curves import evaluate
from agents.selectors import SELECTOR_KINDS
from agents.spec import role_model
from world.cast import CATALOGS

ROLE = CATALOGS["vengeful_player"]  # any catalog will do: this one has five actions
VENGEFUL_INPUTS = ROLE.inputs


def constant(value: float) -> dict:
    """A curve that outputs `value` whatever the input."""
    return {"type": "linear", "slope": 0.0, "intercept": value}


def consider(value: float, name: str = "grudge") -> dict:
    return {"input": name, "curve": constant(value)}


def brain(actions: dict, traits: dict | None = None, **role) -> Brain:
    return Brain(ROLE, {"actions": actions, **role}, traits)


INPUTS = dict.fromkeys(VENGEFUL_INPUTS, 0.5)
VENGEFUL_ACTIONS = ROLE.actions


def test_compensation_matches_hand_computed_values():
    two = brain({"hunt": {"considerations": [consider(0.5), consider(0.8)]}})
    # n = 2: mod = 0.5; 0.5 -> 0.625, 0.8 -> 0.88; 0.625 * 0.88 = 0.55 (raw product: 0.40)
    assert two.decide(INPUTS, 0.0).score == pytest.approx(0.55, abs=1e-15)
    five = brain({"hunt": {"considerations": [consider(0.5)] + [consider(0.8)] * 4}})
    # n = 5: mod = 0.8; 0.5 -> 0.7, 0.8 -> 0.928; 0.7 * 0.928**4 = 0.5191...
    assert five.decide(INPUTS, 0.0).score == pytest.approx(0.7 * 0.928**4, abs=1e-15)
    one = brain({"hunt": {"considerations": [consider(0.3)]}})
    assert one.decide(INPUTS, 0.0).score == 0.3  # n = 1: no compensation at all


def test_weight_scales_and_no_considerations_score_the_weight():
    b = brain({"hunt": {"weight": 2.0, "considerations": [consider(0.5)]}, "give_up": {}})
    trace = b.decide(INPUTS, 0.0, trace=True).trace
    assert trace.candidate("hunt").score == 1.0
    assert trace.candidate("give_up").score == 1.0  # default weight, nothing to consider
    assert trace.winner == "give_up"  # equal scores: "give_up" sorts before "hunt"


def test_zero_weight_removes_the_action_and_zero_consideration_vetoes():
    b = brain(
        {
            "hunt": {"weight": 0.0},
            "attack": {"weight": 5.0, "considerations": [consider(1.0), consider(0.0)]},
            "complain": {"weight": 0.01, "considerations": [consider(0.01)]},
        }
    )
    assert b.actions == ("complain", "attack")  # catalog order, weight > 0 only
    decision = b.decide(INPUTS, 0.0, trace=True)
    assert decision.action == "complain"
    assert decision.trace.candidate("attack").score == 0.0
    only_vetoed = brain({"attack": {"considerations": [consider(0.0)]}})
    assert only_vetoed.decide(INPUTS, 0.7) == Decision(None, 0.0)
    with pytest.raises(AttributeError):  # a decision is as immutable as its brain
        only_vetoed.decide(INPUTS, 0.7).action = "hunt"


def test_nan_sensor_vetoes_and_reversed_bookends_map_high_to_low():
    reversed_bookends = {"input": "hops_to_ship", "low": 10, "high": 0, "curve": {"type": "linear"}}
    b = brain({"hunt": {"considerations": [reversed_bookends]}})
    assert b.decide({**INPUTS, "hops_to_ship": 2.5}, 0.0).score == 0.75
    assert b.decide({**INPUTS, "hops_to_ship": 40.0}, 0.0).action is None  # beyond: x = 0
    assert b.decide({**INPUTS, "hops_to_ship": math.nan}, 0.0).action is None


def test_unavailable_actions_are_never_chosen_but_are_traced():
    b = brain({"attack": {"weight": 3.0}, "hunt": {"weight": 1.0}})
    decision = b.decide(INPUTS, 0.0, available={"hunt", "give_up"}, trace=True)
    assert decision.action == "hunt"
    attack = decision.trace.candidate("attack")
    assert not attack.available and attack.score == 0.0 and attack.probability == 0.0
    assert attack.product == 1.0 and attack.weight == 3.0  # why not: it would have won
    assert b.decide(INPUTS, 0.0, available=()).action is None


def test_momentum_applies_only_to_the_running_action_within_its_ticks():
    actions = {"hunt": {"weight": 1.0}, "complain": {"weight": 1.1}}
    b = brain(actions, momentum={"bonus": 0.2, "ticks": 3})
    assert b.decide(INPUTS, 0.0).action == "complain"
    held = b.decide(INPUTS, 0.0, running="hunt", running_for=2, trace=True)
    assert held.action == "hunt" and held.score == pytest.approx(1.2)
    assert held.trace.candidate("hunt").momentum == 1.2
    assert held.trace.candidate("complain").momentum == 1.0
    assert b.decide(INPUTS, 0.0, running="hunt", running_for=3).action == "complain"
    assert b.decide(INPUTS, 0.0, running="unknown", running_for=0).action == "complain"
    no_momentum = brain(actions)
    assert no_momentum.decide(INPUTS, 0.0, running="hunt").action == "complain"


def test_traits_scale_the_weight_and_bound_curve_parameters():
    actions = {
        "hunt": {"weight": 0.5, "weight_trait": "boldness"},
        "complain": {
            "considerations": [
                {
                    "input": "grudge",
                    "curve": {"type": "step", "threshold": 0.5},
                    "bind": {"threshold": "conscience"},
                }
            ],
        },
    }
    neutral = brain(actions)
    assert neutral.decide(INPUTS, 0.0).action == "complain"  # grudge 0.5 >= threshold 0.5
    bold = brain(actions, {"boldness": 2.4})
    assert bold.decide(INPUTS, 0.0).score == pytest.approx(1.2)
    scrupulous = brain(actions, {"conscience": 1.5})  # threshold 0.75: the step is not reached
    assert scrupulous.decide(INPUTS, 0.0).action == "hunt"
    timid = brain(actions, {"boldness": 0.0})
    assert timid.decide(INPUTS, 0.0, trace=True).trace.candidate("hunt").score == 0.0
    with pytest.raises(ValueError, match="unknown trait"):
        brain(actions, {"courage": 1.0})
    with pytest.raises(ValueError, match="finite"):
        brain(actions, {"fear": math.inf})


def test_argmax_ties_go_to_priority_then_alphabetical_id():
    b = brain({"hunt": {"priority": 1}, "attack": {}, "complain": {}})
    assert b.decide(INPUTS, 0.0).action == "hunt"
    b = brain({"hunt": {}, "attack": {}, "complain": {}})
    assert b.decide(INPUTS, 0.0).action == "attack"


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(list(VENGEFUL_ACTIONS)),
        st.tuples(st.sampled_from([0.2, 0.5, 0.5]), st.integers(0, 1)),
        min_size=1,
    ),
    st.randoms(use_true_random=False),
)
def test_decisions_do_not_depend_on_the_order_actions_are_written_in(entries, rng):
    def spec(order):
        actions = {
            a: {"priority": entries[a][1], "considerations": [consider(entries[a][0])]}
            for a in order
        }
        return {"actions": actions}

    written = list(entries)
    shuffled = written[:]
    rng.shuffle(shuffled)
    first = Brain(ROLE, spec(written)).decide(INPUTS, 0.0)
    assert Brain(ROLE, spec(shuffled)).decide(INPUTS, 0.0) == first
    best = max(entries.values())
    assert entries[first.action] == best  # highest score, then priority
    tied = sorted(a for a, e in entries.items() if e == best)
    assert first.action == tied[0]  # then the alphabetically first id


def test_brain_accepts_a_model_instance_and_is_immutable():
    spec = role_model(ROLE).model_validate({"actions": {"hunt": {}}, "think_every": 4})
    b = Brain(ROLE, spec)
    assert b.think_every == 4 and b.role == ROLE.role
    with pytest.raises(AttributeError):
        b.think_every = 1
    with pytest.raises(ValueError, match="uniform"):
        b.decide(INPUTS, 1.0)
    with pytest.raises(ValueError, match="unknown trait 'swagger'"):
        Brain(ROLE, {}, {"swagger": 1.0})


RANDOM_SPEC = {
    "selector": {"kind": "softmax", "temperature": 0.2},
    "momentum": {"bonus": 0.3, "ticks": 2},
    "actions": {
        "hunt": {
            "weight": 1.2,
            "considerations": [
                {"input": "grudge", "curve": {"type": "logistic", "midpoint": 0.4}},
                {"input": "hops_to_ship", "low": 12, "high": 0, "curve": {"type": "linear"}},
            ],
        },
        "complain": {
            "considerations": [
                {"input": "complained", "curve": {"type": "step", "below": 1.0, "above": 0.0}},
                {"input": "grudge", "curve": {"type": "polynomial", "exponent": 1.5}},
                {"input": "health", "low": 0, "high": 100, "curve": {"type": "normal"}},
            ],
        },
        "give_up": {
            "weight": 0.6,
            "considerations": [{"input": "grudge", "curve": {"type": "logit", "invert": True}}],
        },
        "attack": {"considerations": [{"input": "same_planet", "curve": {"type": "step"}}]},
    },
}
SENSORS = st.fixed_dictionaries(
    {
        name: st.one_of(st.floats(-5, 105), st.sampled_from([0.0, 1.0, math.nan]))
        for name in VENGEFUL_INPUTS
    }
)


@pytest.mark.parametrize("kind", SELECTOR_KINDS)
@settings(max_examples=150, deadline=None)
@given(
    SENSORS,
    st.floats(0.0, 1.0, exclude_max=True),
    st.sampled_from([None, "hunt", "attack"]),
    st.integers(0, 3),
    st.sampled_from([None, ("hunt", "give_up"), ("complain", "attack", "give_up")]),
)
def test_trace_reproduces_the_decision_and_its_numbers(kind, inputs, u, running, age, available):
    # The untraced decision takes a faster path (candidates only): it must agree exactly.
    selector = {"kind": kind, "temperature": 0.2, "n": 2, "percent": 0.3}
    b = Brain(ROLE, {**RANDOM_SPEC, "selector": selector})
    plain = b.decide(inputs, u, running=running, running_for=age, available=available)
    traced = b.decide(inputs, u, running=running, running_for=age, available=available, trace=True)
    assert plain.trace is None
    assert (plain.action, plain.score) == (traced.action, traced.score)
    trace = traced.trace
    assert trace.winner == traced.action
    spec = role_model(ROLE).model_validate(RANDOM_SPEC)
    for candidate in trace.candidates:
        action = getattr(spec.actions, candidate.action)
        n = len(action.considerations)
        product = 1.0
        for record, c in zip(candidate.considerations, action.considerations, strict=True):
            x = (record.raw - c.low) / (c.high - c.low)
            if math.isnan(x):
                assert math.isnan(record.x) and record.curve == 0.0
            else:
                assert record.x == min(max(x, 0.0), 1.0)
                assert record.curve == evaluate(c.curve, record.x)
            s = record.curve
            assert record.compensated == s + s * (1.0 - s) * (1.0 - 1.0 / n)
            product *= record.compensated
        assert candidate.product == product
        expected = candidate.weight * product * candidate.momentum if candidate.available else 0.0
        assert candidate.score == expected
        assert candidate.available == (available is None or candidate.action in available)
    if trace.winner is not None:
        assert math.fsum(c.probability for c in trace.candidates) == pytest.approx(1.0)
        runner = trace.runner_up and trace.candidate(trace.runner_up).score
        assert trace.margin == traced.score - (runner or 0.0)
    json.dumps(trace.to_dict(), allow_nan=False)  # JSON-able: NaN sensors became None


def test_trace_dict_is_plain_json_data():
    b = Brain(ROLE, RANDOM_SPEC)
    trace = b.decide({**INPUTS, "grudge": math.nan}, 0.3, trace=True).trace
    data = trace.to_dict()
    assert data["role"] == ROLE.role and data["selector"] == "softmax"
    hunt = next(c for c in data["candidates"] if c["action"] == "hunt")
    assert hunt["considerations"][0]["raw"] is None and hunt["considerations"][0]["x"] is None
    assert set(hunt) >= {"product", "weight", "momentum", "score", "probability", "available"}
    assert json.loads(json.dumps(data)) == data
    with pytest.raises(KeyError):
        trace.candidate("fly")


def test_trace_numbers_are_python_floats_even_for_numpy_sensors():
    b = Brain(ROLE, RANDOM_SPEC)
    sensors = {name: np.float64(value) for name, value in INPUTS.items()}
    trace = b.decide(sensors, 0.3, trace=True).trace
    numbers = [trace.uniform, trace.margin]
    for candidate in trace.candidates:
        numbers += [candidate.product, candidate.weight, candidate.score, candidate.probability]
        for c in candidate.considerations:
            numbers += [c.raw, c.x, c.curve, c.compensated]
    assert all(type(number) is float for number in numbers)
