"""The brain's generated (unrolled) decision against the plain loop it replaced, bit for bit."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agents.brain import NOTHING, Brain, Decision
from agents.candidates import make_candidate_selector
from agents.compiled import compensate
from agents.curves import bookended
from agents.selectors import SELECTOR_KINDS
from world.cast import CATALOGS

ROLE = CATALOGS["vengeful_player"]


def plain_decide(brain: Brain, inputs, uniform, running=None, running_for=0, available=None):
    """The untraced loop over (action, consideration) tuples that the generated code unrolls."""
    compiled = brain.compiled
    pick = make_candidate_selector(
        compiled.selector,
        n=compiled.top_n,
        percent=compiled.top_percent,
        temperature=compiled.temperature,
    )
    ticks = compiled.momentum_ticks if compiled.momentum_factor != 1.0 else 0
    boosted = running if running_for < ticks else None
    chosen, scores = [], []
    for index in compiled.tie_order:
        action = compiled.actions[index]
        if available is not None and action.id not in available:
            continue
        comp = action.compensation
        product = 1.0
        for c in action.considerations:
            _, _, at_low, at_high, formula = bookended(c.curve, c.low, c.span)
            x = (inputs[c.input] - c.low) / c.span
            if x > 0.0:
                factor = compensate(at_high if x >= 1.0 else formula(x), comp)
            elif x == x:
                factor = compensate(at_low, comp)
            else:
                break
            if factor == 0.0:
                break
            product *= factor
        else:
            score = action.weight * product
            if action.id == boosted:
                score = score * compiled.momentum_factor
            if score > 0.0:
                chosen.append(action.id)
                scores.append(score)
    position = pick(scores, uniform)
    return NOTHING if position < 0 else Decision(chosen[position], scores[position])


def curve(kind: str, **params) -> dict:
    return {"type": kind, **params}


# Every shape of consideration the generator writes: ends scoring 0 (a veto) or not, reversed
# bookends, curves inlined (linear, logistic, inverted or not) or called, one consideration (no
# compensation), none, and a weight scaled to 0 by a trait.
SPEC = {
    "momentum": {"bonus": 0.25, "ticks": 2},
    "actions": {
        "hunt": {
            "weight": 1.3,
            "considerations": [
                {"input": "grudge", "curve": curve("logistic", midpoint=0.4, steepness=12)},
                {"input": "hops_to_ship", "low": 12, "high": 0, "curve": curve("linear")},
                {"input": "ship_known", "curve": curve("step")},
            ],
        },
        "complain": {
            "considerations": [
                {"input": "complained", "curve": curve("step", below=1.0, above=0.0)},
                {"input": "health", "low": 0, "high": 100, "curve": curve("normal")},
            ],
        },
        "give_up": {
            "weight": 0.7,
            "considerations": [{"input": "grudge", "curve": curve("logit", invert=True)}],
        },
        "answer_invite": {"weight": 0.4, "weight_trait": "boldness"},
        "attack": {
            "considerations": [
                {"input": "same_planet", "curve": curve("step")},
                {
                    "input": "health",
                    "low": 0,
                    "high": 100,
                    "curve": curve("polynomial", exponent=1.5),
                },
                {
                    "input": "grudge",
                    "curve": curve("piecewise", points=[[0, 0.3], [0.6, 0.0], [1, 1]]),
                },
            ],
        },
    },
}
SENSORS = st.fixed_dictionaries(
    {
        name: st.one_of(
            st.floats(-0.5, 1.5),  # inside the (0, 1) bookends: the curves' formulas run
            st.floats(-5, 105),
            st.sampled_from([0.0, -0.0, 1.0, 12.0, 100.0, math.nan, math.inf, -math.inf]),
        )
        for name in ROLE.inputs
    }
)


@pytest.mark.parametrize("kind", SELECTOR_KINDS)
@settings(max_examples=200, deadline=None)
@given(
    SENSORS,
    st.floats(0.0, 1.0, exclude_max=True),
    st.sampled_from([None, "hunt", "attack", "give_up"]),
    st.integers(0, 3),
    st.sampled_from([None, ["hunt", "give_up"], ("complain", "attack", "answer_invite"), []]),
    st.sampled_from([0.0, 1.0, 2.5]),
)
def test_unrolled_decide_is_the_plain_loop(kind, inputs, u, running, age, available, boldness):
    selector = {"kind": kind, "temperature": 0.15, "n": 2, "percent": 0.3}
    b = Brain(ROLE, {**SPEC, "selector": selector}, {"boldness": boldness})
    decision = b.decide(inputs, u, running=running, running_for=age, available=available)
    expected = plain_decide(b, inputs, u, running, age, available)
    assert decision.action == expected.action
    assert decision.score.hex() == expected.score.hex()  # same bits, not just close


def test_brains_differing_only_in_numbers_share_their_source_not_their_numbers():
    timid = Brain(ROLE, SPEC, {"boldness": 0.5})
    bold = Brain(ROLE, SPEC, {"boldness": 4.0})
    assert timid.decide_source == bold.decide_source and "def decide(" in timid.decide_source
    inputs, only = dict.fromkeys(ROLE.inputs, 0.0), ["answer_invite"]
    assert timid.decide(inputs, 0.5, available=only).score == 0.2
    assert bold.decide(inputs, 0.5, available=only).score == 1.6
