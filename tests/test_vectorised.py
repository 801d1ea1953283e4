"""The vectorised brain chooses exactly what the scalar brain chooses, agent by agent."""

from __future__ import annotations

import copy
import math
import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agents import vectorised
from agents.brain import Brain
from agents.selectors import SELECTOR_KINDS
from agents.spec import MAX_BOOKEND, MAX_HOURS, MAX_PARAMETER, MAX_PRIORITY, MAX_WEIGHT, role_model
from agents.vectorised import VectorBrain
from benchmarks.brain import vengeful_inputs, vengeful_spec
from world.cast import CATALOGS
from world.cast.vocabulary import TRAITS

ROLE = CATALOGS["vengeful_player"]
INPUT_NAMES = list(ROLE.inputs)
ACTION_IDS = list(ROLE.actions)

# Parameters from small sets: exact ties between actions (and agents) are the hard cases.
PARAM = st.sampled_from([-2.0, -0.5, 0.0, 0.25, 0.5, 1.0, 3.0, 12.0])
CURVES = st.one_of(
    st.fixed_dictionaries({"type": st.just("linear"), "slope": PARAM, "intercept": PARAM}),
    st.fixed_dictionaries(
        {
            "type": st.just("polynomial"),
            "exponent": st.sampled_from([1.0, 2.0, 3.0, 0.5, 2.5]),
            "x_shift": PARAM,
        }
    ),
    st.fixed_dictionaries({"type": st.just("logistic"), "midpoint": PARAM, "steepness": PARAM}),
    st.fixed_dictionaries(
        {"type": st.just("logit"), "midpoint": PARAM, "steepness": st.sampled_from([0.5, 4.0])}
    ),
    st.fixed_dictionaries(
        {"type": st.just("normal"), "mean": PARAM, "width": st.sampled_from([0.1, 0.5])}
    ),
    st.fixed_dictionaries({"type": st.just("sine"), "frequency": PARAM, "phase": PARAM}),
    st.fixed_dictionaries(
        {
            "type": st.just("step"),
            "threshold": PARAM,
            "below": st.sampled_from([0.0, 0.3]),
            "above": st.sampled_from([1.0, 0.6]),
        }
    ),
    st.just({"type": "piecewise", "points": [[0.0, 0.2], [0.4, 0.9], [1.0, 0.5]]}),
).flatmap(lambda curve: st.builds(lambda inv: {**curve, "invert": inv}, st.booleans()))
BOOKENDS = st.sampled_from([(0.0, 1.0), (1.0, 0.0), (0.0, 100.0), (10.0, 0.0), (-1.0, 2.0)])


@st.composite
def considerations(draw):
    low, high = draw(BOOKENDS)
    curve = draw(CURVES)
    bindable = sorted(set(curve) - {"type", "invert", "points"})
    bind = {}
    if bindable and draw(st.booleans()):
        bind = {draw(st.sampled_from(bindable)): draw(st.sampled_from(list(TRAITS)))}
    return {
        "input": draw(st.sampled_from(INPUT_NAMES)),
        "low": low,
        "high": high,
        "curve": curve,
        "bind": bind,
    }


ACTION = st.fixed_dictionaries(
    {
        "weight": st.sampled_from([0.0, 0.5, 1.0, 1.0, 2.0]),
        "priority": st.integers(-1, 1),
        "weight_trait": st.sampled_from([None, "boldness"]),
        "considerations": st.lists(considerations(), max_size=3),
    }
)
SPECS = st.fixed_dictionaries(
    {
        "selector": st.fixed_dictionaries(
            {
                "kind": st.just("argmax"),  # each test sets its own
                "n": st.integers(1, 4),
                "percent": st.sampled_from([0.05, 0.3, 1.0]),
                "temperature": st.sampled_from([0.01, 0.2, 3.0]),
            }
        ),
        "momentum": st.fixed_dictionaries(
            {"bonus": st.sampled_from([0.0, 0.25]), "ticks": st.integers(0, 2)}
        ),
        "actions": st.fixed_dictionaries({}, optional=dict.fromkeys(ACTION_IDS, ACTION)),
    }
)
# `one_by_one_up_to` for each path of VectorBrain.decide: always the arrays, always the
# scalar brain agent by agent. Both must choose what the scalar brain chooses.
PATHS = pytest.mark.parametrize("up_to", [0, 10**6], ids=["arrays", "one_by_one"])
TRAIT_VALUES = st.dictionaries(
    st.sampled_from(list(TRAITS)), st.sampled_from([0.0, 0.5, 1.0, 2.0]), max_size=3
)
SENSOR = st.one_of(
    st.sampled_from([0.0, 0.5, 1.0, 10.0, 100.0, math.nan, math.inf, -math.inf]),
    st.floats(-5.0, 105.0),
)


@st.composite
def situations(draw, actions: int):
    """Inputs, uniforms, running state and availability for a few agents."""
    count = draw(st.integers(1, 12))
    inputs = {
        name: np.array(draw(st.lists(SENSOR, min_size=count, max_size=count)))
        for name in INPUT_NAMES
    }
    uniforms = np.array(
        draw(st.lists(st.floats(0.0, 1.0, exclude_max=True), min_size=count, max_size=count))
    )
    running = np.array(draw(st.lists(st.integers(-1, actions - 1), min_size=count, max_size=count)))
    running_for = np.array(draw(st.lists(st.integers(0, 3), min_size=count, max_size=count)))
    available = {
        action: np.array(draw(st.lists(st.booleans(), min_size=count, max_size=count)))
        for action in draw(st.lists(st.sampled_from(ACTION_IDS), unique=True, max_size=3))
    }
    return inputs, uniforms, running, running_for, available


def scalar_choices(brain, inputs, uniforms, running, running_for, available):
    """What the scalar brain chooses for each agent, as indices into brain.actions."""
    chosen = []
    for i in range(len(uniforms)):
        decision = brain.decide(
            {name: float(values[i]) for name, values in inputs.items()},
            float(uniforms[i]),
            running=brain.actions[running[i]] if running[i] >= 0 else None,
            running_for=int(running_for[i]),
            available=[a for a in ACTION_IDS if a not in available or available[a][i]],
        )
        chosen.append(brain.actions.index(decision.action) if decision.action else -1)
    return chosen


@PATHS
@pytest.mark.parametrize("kind", SELECTOR_KINDS)
@settings(max_examples=40, deadline=None)
@given(spec=SPECS, traits=TRAIT_VALUES, data=st.data())
def test_vectorised_choices_equal_scalar_choices(kind, up_to, spec, traits, data):
    spec["selector"]["kind"] = kind
    scalar = Brain(ROLE, spec, traits)
    vector = VectorBrain(ROLE, spec, traits, one_by_one_up_to=up_to)
    assert vector.actions == scalar.actions
    if not scalar.actions:
        assert vector.decide({}, np.array([0.5])).tolist() == [-1]
        return
    inputs, uniforms, running, running_for, available = data.draw(situations(len(scalar.actions)))
    chosen = vector.decide(
        inputs, uniforms, running=running, running_for=running_for, available=available
    )
    expected = scalar_choices(scalar, inputs, uniforms, running, running_for, available)
    assert chosen.tolist() == expected
    # The scores themselves agree bit for bit with the scalar trace.
    scores = vector.scores(
        inputs, len(uniforms), running=running, running_for=running_for, available=available
    )
    for i in range(len(uniforms)):
        trace = scalar.decide(
            {name: float(values[i]) for name, values in inputs.items()},
            float(uniforms[i]),
            running=scalar.actions[running[i]] if running[i] >= 0 else None,
            running_for=int(running_for[i]),
            available=[a for a in ACTION_IDS if a not in available or available[a][i]],
            trace=True,
        ).trace
        assert scores[:, i].tolist() == [c.score for c in trace.candidates]


# Every number at or near the end of what the schema accepts: scores must stay finite (the
# array brain's 0/1 blends rely on it) and both brains must still choose alike.
EXTREME = st.sampled_from([-MAX_PARAMETER, -1e-300, 0.0, 5e-324, 0.5, MAX_PARAMETER])
EXTREME_CURVES = st.one_of(
    st.fixed_dictionaries({"type": st.just("linear"), "slope": EXTREME, "intercept": EXTREME}),
    st.fixed_dictionaries(
        {
            "type": st.just("polynomial"),
            "exponent": st.sampled_from([5e-324, 1.0, 8.0, 100.0]),
            "slope": EXTREME,
            "x_shift": EXTREME,
            "intercept": EXTREME,
        }
    ),
    st.fixed_dictionaries({"type": st.just("logistic"), "midpoint": EXTREME, "steepness": EXTREME}),
    st.fixed_dictionaries(
        {
            "type": st.just("logit"),
            "midpoint": EXTREME,
            "steepness": st.sampled_from([5e-324, MAX_PARAMETER]),
        }
    ),
    st.fixed_dictionaries(
        {
            "type": st.just("normal"),
            "mean": EXTREME,
            "width": st.sampled_from([5e-324, MAX_PARAMETER]),
        }
    ),
    st.fixed_dictionaries({"type": st.just("sine"), "frequency": EXTREME, "phase": EXTREME}),
    st.just(
        {
            "type": "piecewise",
            "points": [
                [-MAX_PARAMETER, MAX_PARAMETER],
                [0.5, -MAX_PARAMETER],
                [MAX_PARAMETER, 0.0],
            ],
        }
    ),
)


@st.composite
def extreme_considerations(draw):
    low, high = draw(
        st.sampled_from([(-MAX_BOOKEND, MAX_BOOKEND), (MAX_BOOKEND, -MAX_BOOKEND), (0.0, 5e-324)])
    )
    curve = draw(EXTREME_CURVES)
    bindable = sorted(set(curve) - {"type", "invert", "points"})
    bind = {draw(st.sampled_from(bindable)): "boldness"} if bindable and draw(st.booleans()) else {}
    return {
        "input": draw(st.sampled_from(INPUT_NAMES)),
        "low": low,
        "high": high,
        "curve": curve,
        "bind": bind,
    }


EXTREME_SPECS = st.fixed_dictionaries(
    {
        "selector": st.fixed_dictionaries(
            {
                "kind": st.sampled_from(SELECTOR_KINDS),
                "n": st.sampled_from([1, 100]),
                "percent": st.sampled_from([5e-324, 1.0]),
                "temperature": st.sampled_from([5e-324, MAX_WEIGHT]),
            }
        ),
        "momentum": st.fixed_dictionaries(
            {"bonus": st.sampled_from([0.0, 100.0]), "ticks": st.sampled_from([0, MAX_HOURS])}
        ),
        "actions": st.fixed_dictionaries(
            {},
            optional=dict.fromkeys(
                ACTION_IDS,
                st.fixed_dictionaries(
                    {
                        "weight": st.sampled_from([5e-324, 1.0, MAX_WEIGHT]),
                        "priority": st.sampled_from([-MAX_PRIORITY, MAX_PRIORITY]),
                        "weight_trait": st.sampled_from([None, "boldness"]),
                        "considerations": st.lists(extreme_considerations(), max_size=3),
                    }
                ),
            ),
        ),
    }
)
EXTREME_SENSOR = st.sampled_from(
    [-MAX_BOOKEND, -1.0, 0.0, 5e-324, 1.0, 1e10, MAX_BOOKEND, 1e300, math.nan, math.inf]
)


@PATHS
@settings(max_examples=60, deadline=None)
@given(spec=EXTREME_SPECS, boldness=st.sampled_from([0.0, 10.0]), data=st.data())
def test_scores_at_the_schema_bounds_are_finite_and_both_brains_agree(up_to, spec, boldness, data):
    spec = role_model(ROLE).model_validate(spec)  # the schema accepts every one of them
    scalar = Brain(ROLE, spec, {"boldness": boldness})
    vector = VectorBrain(ROLE, spec, {"boldness": boldness}, one_by_one_up_to=up_to)
    if not scalar.actions:
        return
    count = data.draw(st.integers(1, 6))
    inputs = {
        name: np.array(data.draw(st.lists(EXTREME_SENSOR, min_size=count, max_size=count)))
        for name in INPUT_NAMES
    }
    uniforms = np.array(
        data.draw(st.lists(st.sampled_from([0.0, 0.5, 0.999]), min_size=count, max_size=count))
    )
    running = np.zeros(count, dtype=np.int64)  # the first action runs: momentum applies
    scores = vector.scores(inputs, count, running=running, running_for=np.zeros(count))
    assert np.isfinite(scores).all() and (scores >= 0).all()
    chosen = vector.decide(inputs, uniforms, running=running, running_for=np.zeros(count))
    expected = scalar_choices(scalar, inputs, uniforms, running, np.zeros(count, dtype=int), {})
    assert chosen.tolist() == expected


@pytest.mark.parametrize("kind", SELECTOR_KINDS)
def test_benchmark_spec_agrees_for_two_thousand_agents(kind):
    spec = vengeful_spec(kind)
    inputs = vengeful_inputs(2000, seed=3)
    inputs["health"][::97] = math.nan
    uniforms = np.random.default_rng(4).random(2000)
    chosen = VectorBrain(ROLE, spec).decide(inputs, uniforms)
    none = np.full(2000, -1)
    zero = np.zeros(2000, dtype=int)
    assert chosen.tolist() == scalar_choices(Brain(ROLE, spec), inputs, uniforms, none, zero, {})
    assert len(set(chosen.tolist())) >= 3  # a real mix of choices, not one action everywhere


@PATHS
def test_momentum_without_running_for_applies_to_every_running_agent(up_to):
    spec = {
        "momentum": {"bonus": 0.5, "ticks": 2},
        "actions": {"hunt": {"weight": 1.0}, "complain": {"weight": 1.2}},
    }
    vector = VectorBrain(ROLE, spec, one_by_one_up_to=up_to)
    uniforms = np.array([0.1, 0.2, 0.3])
    assert vector.decide({}, uniforms).tolist() == [1, 1, 1]
    running = np.array([0, -1, 1])  # hunt (boosted to 1.5), none, complain
    assert vector.decide({}, uniforms, running=running).tolist() == [0, 1, 1]
    old = np.array([2, 0, 0])  # hunt has run for 2 ticks: its bonus is spent
    assert vector.decide({}, uniforms, running=running, running_for=old).tolist() == [1, 1, 1]
    assert vector.decide({}, np.array([])).tolist() == []
    unknown = np.array([7, 7, 7])  # an index that is no action: nothing is boosted
    assert vector.decide({}, uniforms, running=unknown).tolist() == [1, 1, 1]


@PATHS
def test_a_scalar_input_is_broadcast_to_every_agent(up_to):
    spec = {
        "actions": {
            "answer_invite": {"considerations": [{"input": "invited", "curve": {"type": "step"}}]},
            "give_up": {"weight": 0.5},
        }
    }
    vector = VectorBrain(ROLE, spec, one_by_one_up_to=up_to)
    uniforms = np.array([0.1, 0.9])
    assert vector.decide({"invited": 1.0}, uniforms).tolist() == [1, 1]  # answer_invite
    assert vector.decide({"invited": 0.0}, uniforms).tolist() == [0, 0]  # give_up
    hunted = {"answer_invite": np.array([True, False])}  # a mask per agent, by action id
    assert vector.decide({"invited": 1.0}, uniforms, available=hunted).tolist() == [1, 0]
    with pytest.raises(ValueError):  # one value per agent, or one for all: nothing else
        vector.decide({"invited": np.ones(3)}, uniforms)


def test_small_crowds_decide_one_by_one_and_large_ones_on_arrays(monkeypatch):
    spec = vengeful_spec("softmax")
    vector = VectorBrain(ROLE, spec, one_by_one_up_to=8)
    arrays = VectorBrain(ROLE, spec, one_by_one_up_to=0)
    selections = []
    monkeypatch.setattr(vectorised, "select_array", lambda *a, **k: selections.append(1) or 0)
    for count in (1, 8, 9, 40):  # the array path ends in select_array: count its calls
        vector.decide(vengeful_inputs(count), np.full(count, 0.5))
    assert len(selections) == 2  # for 9 and 40 agents
    monkeypatch.undo()
    for count in (1, 8, 9, 40):
        inputs = vengeful_inputs(count, seed=count)
        uniforms = np.random.default_rng(count).random(count)
        expected = arrays.decide(inputs, uniforms).tolist()
        assert vector.decide(inputs, uniforms).tolist() == expected


def test_uniforms_are_validated():
    vector = VectorBrain(ROLE, {"actions": {"hunt": {}}})
    with pytest.raises(ValueError, match=r"\[0, 1\)"):
        vector.decide({}, np.array([0.2, 1.0]))
    with pytest.raises(ValueError, match="one-dimensional"):
        vector.decide({}, np.zeros((2, 2)))


def test_repeated_calls_do_not_leak_state_between_decisions():
    spec = vengeful_spec("softmax")
    vector = VectorBrain(ROLE, spec, one_by_one_up_to=0)
    big = vengeful_inputs(500, seed=1)
    small = vengeful_inputs(7, seed=2)
    uniforms = np.random.default_rng(0).random(500)
    first = vector.decide(small, uniforms[:7])
    vector.decide(big, uniforms)  # grows and dirties every scratch buffer
    assert vector.decide(small, uniforms[:7]).tolist() == first.tolist()
    assert first.tolist() == VectorBrain(ROLE, spec).decide(small, uniforms[:7]).tolist()
    assert first.tolist() == vector.decide(small, uniforms[:7]).tolist()


def test_brains_survive_pickling_and_deep_copies():
    spec = vengeful_spec("top_n")
    inputs = vengeful_inputs(50, seed=9)
    uniforms = np.random.default_rng(9).random(50)
    vector = VectorBrain(ROLE, spec, {"boldness": 1.5}, one_by_one_up_to=64)
    for clone in (pickle.loads(pickle.dumps(vector)), copy.deepcopy(vector)):
        assert clone.one_by_one_up_to == 64
        assert clone.decide(inputs, uniforms).tolist() == vector.decide(inputs, uniforms).tolist()
    scalar = Brain(ROLE, spec, {"boldness": 1.5})
    sensors = {name: float(values[0]) for name, values in inputs.items()}
    for clone in (pickle.loads(pickle.dumps(scalar)), copy.deepcopy(scalar)):
        assert clone.decide(sensors, 0.4, trace=True) == scalar.decide(sensors, 0.4, trace=True)
