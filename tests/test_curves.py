"""Response curves and the exact elementary functions under them."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from agents import exactmath
from agents.curves import (
    CurveGroup,
    bind_traits,
    bookended,
    evaluate,
    group_key,
    scalar_consideration,
)
from agents.spec import (
    LinearCurve,
    LogisticCurve,
    LogitCurve,
    NormalCurve,
    PiecewiseCurve,
    PolynomialCurve,
    SineCurve,
    StepCurve,
)
from agents.workspace import Workspace

ANY_FLOAT = st.floats(allow_nan=True, allow_infinity=True)
UNIT = st.floats(0.0, 1.0)
MODERATE = st.floats(-50.0, 50.0)


def raw_curves(floats: st.SearchStrategy[float] = ANY_FLOAT) -> st.SearchStrategy:
    """Every curve type with any parameters, bypassing validation as trait binding can."""
    invert = st.booleans()
    return st.one_of(
        st.builds(LinearCurve.model_construct, slope=floats, intercept=floats, invert=invert),
        st.builds(
            PolynomialCurve.model_construct,
            exponent=st.one_of(st.integers(1, 8).map(float), floats),
            slope=floats,
            x_shift=floats,
            intercept=floats,
            invert=invert,
        ),
        st.builds(LogisticCurve.model_construct, midpoint=floats, steepness=floats, invert=invert),
        st.builds(LogitCurve.model_construct, midpoint=floats, steepness=floats, invert=invert),
        st.builds(NormalCurve.model_construct, mean=floats, width=floats, invert=invert),
        st.builds(SineCurve.model_construct, frequency=floats, phase=floats, invert=invert),
        st.builds(
            StepCurve.model_construct, threshold=floats, below=UNIT, above=UNIT, invert=invert
        ),
        st.lists(st.tuples(MODERATE, MODERATE), min_size=2, max_size=6, unique_by=lambda p: p[0])
        .map(lambda points: sorted(points))
        .map(lambda points: PiecewiseCurve(points=points)),
    )


@settings(max_examples=300, deadline=None)
@given(raw_curves(), st.lists(ANY_FLOAT, min_size=1, max_size=8))
def test_every_curve_stays_in_unit_interval_for_any_input_and_params(curve, xs):
    scalars = [evaluate(curve, x) for x in xs]
    assert all(isinstance(y, float) and 0.0 <= y <= 1.0 for y in scalars)
    array = evaluate(curve, np.array(xs))
    assert array.shape == (len(xs),)
    # Both paths agree bit for bit, whatever the parameters.
    assert array.tolist() == scalars


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_non_finite_input_scores_zero(bad):
    for curve in (LinearCurve(intercept=1.0), StepCurve(threshold=0.0), NormalCurve(mean=1.0)):
        assert evaluate(curve, bad) == 0.0
        assert evaluate(curve.model_copy(update={"invert": True}), bad) == 0.0
        assert evaluate(curve, np.array([bad, 1.0]))[0] == 0.0


def test_inputs_outside_the_unit_interval_are_clamped():
    curve = LinearCurve(slope=0.5, intercept=0.25)
    assert evaluate(curve, -3.0) == evaluate(curve, 0.0) == 0.25
    assert evaluate(curve, 7.0) == evaluate(curve, 1.0) == 0.75


VALID_CURVES = st.one_of(
    st.builds(LinearCurve, slope=MODERATE, intercept=MODERATE),
    st.builds(
        PolynomialCurve,
        exponent=st.floats(0.1, 8),
        slope=MODERATE,
        x_shift=st.floats(-1, 1),
        intercept=MODERATE,
    ),
    st.builds(LogisticCurve, midpoint=MODERATE, steepness=MODERATE),
    st.builds(LogitCurve, midpoint=MODERATE, steepness=st.floats(0.01, 50)),
    st.builds(NormalCurve, mean=MODERATE, width=st.floats(0.001, 5)),
    st.builds(SineCurve, frequency=MODERATE, phase=MODERATE),
    st.builds(StepCurve, threshold=MODERATE, below=UNIT, above=UNIT),
)


@settings(max_examples=200, deadline=None)
@given(VALID_CURVES, st.lists(st.floats(-1.0, 2.0), min_size=1, max_size=10))
def test_invert_flips_the_clamped_output(curve, xs):
    # Invert is applied before clamping; y -> 1 - y commutes with clamping to [0, 1], so the
    # result is exactly 1 - (the plain clamped output) wherever the formula is a number.
    inverted = curve.model_copy(update={"invert": True})
    for x in xs:
        assert evaluate(inverted, x) == 1.0 - evaluate(curve, x)


def test_known_values_follow_the_spec_formulas():
    assert evaluate(LinearCurve(slope=0.5, intercept=0.2), 0.6) == pytest.approx(0.5)
    assert evaluate(PolynomialCurve(exponent=2), 0.5) == 0.25
    assert evaluate(PolynomialCurve(exponent=3, x_shift=0.5, slope=8), 1.0) == 1.0
    assert evaluate(PolynomialCurve(exponent=2.5, x_shift=0.2), 0.1) == 0.0
    assert evaluate(LogisticCurve(midpoint=0.3), 0.3) == 0.5
    assert evaluate(LogisticCurve(midpoint=0.3, steepness=10), 0.4) == pytest.approx(
        1 / (1 + math.exp(-1.0)), abs=1e-15
    )
    assert evaluate(LogitCurve(midpoint=0.4), 0.4) == 0.5
    assert evaluate(LogitCurve(midpoint=0.4), 0.9) == 1.0  # u = 1: the +inf limit
    assert evaluate(LogitCurve(midpoint=0.6), 0.1) == 0.0  # u = 0: the -inf limit
    assert evaluate(NormalCurve(mean=0.7, width=0.1), 0.7) == 1.0
    assert evaluate(NormalCurve(mean=0.7, width=0.1), 0.8) == pytest.approx(math.exp(-0.5))
    assert evaluate(SineCurve(), 0.25) == 1.0
    assert evaluate(SineCurve(phase=0.5), 0.25) == 0.0
    assert evaluate(StepCurve(threshold=0.4, below=0.2, above=0.9), 0.39) == 0.2
    assert evaluate(StepCurve(threshold=0.4, below=0.2, above=0.9), 0.4) == 0.9
    piecewise = PiecewiseCurve(points=[(0.2, 0.1), (0.6, 0.9), (0.8, 0.5)])
    assert evaluate(piecewise, 0.0) == 0.1  # flat before the first point
    assert evaluate(piecewise, 0.4) == pytest.approx(0.5)
    assert evaluate(piecewise, 0.7) == pytest.approx(0.7)
    assert evaluate(piecewise, 1.0) == 0.5  # flat after the last point


REFERENCE = {
    "linear": lambda c, x: c.slope * x + c.intercept,
    "polynomial": lambda c, x: c.slope * max(x - c.x_shift, 0.0) ** c.exponent + c.intercept,
    "logistic": lambda c, x: 1 / (1 + math.exp(-c.steepness * (x - c.midpoint))),
    "normal": lambda c, x: math.exp(-0.5 * ((x - c.mean) / c.width) ** 2),
    "sine": lambda c, x: 0.5 + 0.5 * math.sin(2 * math.pi * (c.frequency * x + c.phase)),
}


@settings(max_examples=200, deadline=None)
@given(raw_curves(st.floats(-3.0, 3.0)), UNIT)
def test_curves_match_reference_formulas_from_math(curve, x):
    if curve.type == "logit":
        u = x - curve.midpoint + 0.5
        assume(0.001 < u < 0.999 and abs(curve.steepness) > 0.01)
        raw = 0.5 + math.log(u / (1 - u)) / curve.steepness
    elif curve.type in REFERENCE:
        assume(not (curve.type == "normal" and abs(curve.width) < 0.01))
        assume(not (curve.type == "polynomial" and curve.exponent <= 0))
        raw = REFERENCE[curve.type](curve, x)
    else:
        return
    expected = min(max(1 - raw if curve.invert else raw, 0.0), 1.0)
    assert evaluate(curve, x) == pytest.approx(expected, abs=1e-12)


def _ordered_outputs(curve, xs):
    return [evaluate(curve, x) for x in sorted(xs)]


MONOTONE = st.one_of(
    st.builds(LinearCurve, slope=st.floats(0.001, 10), intercept=st.floats(-1, 1)),
    st.builds(
        PolynomialCurve,
        exponent=st.floats(0.1, 8),
        slope=st.floats(0.0, 10),
        x_shift=st.floats(-1, 1),
        intercept=st.floats(-1, 1),
    ),
    st.builds(LogisticCurve, midpoint=st.floats(-1, 2), steepness=st.floats(0.001, 100)),
    st.builds(LogitCurve, midpoint=st.floats(-1, 2), steepness=st.floats(0.01, 100)),
    st.builds(StepCurve, threshold=st.floats(-1, 2), below=st.floats(0, 0.5), above=UNIT).filter(
        lambda c: c.above >= c.below
    ),
)


@settings(max_examples=200, deadline=None)
@given(MONOTONE, st.lists(UNIT, min_size=2, max_size=20), st.booleans())
def test_monotone_curves_are_monotone_and_invert_reverses_them(curve, xs, invert):
    curve = curve.model_copy(update={"invert": invert})
    ys = _ordered_outputs(curve, xs)
    steps = [b - a for a, b in itertools.pairwise(ys)]
    tolerance = 1e-15  # transcendental kernels are within an ulp, not correctly rounded
    if invert:
        assert all(step <= tolerance for step in steps)
    else:
        assert all(step >= -tolerance for step in steps)


def test_logit_is_the_inverse_of_the_logistic_around_the_midpoint():
    logit = LogitCurve(midpoint=0.5, steepness=4.0)
    logistic = LogisticCurve(midpoint=0.5, steepness=4.0)
    for y in (0.3, 0.45, 0.5, 0.6, 0.7):
        assert evaluate(logit, evaluate(logistic, y)) == pytest.approx(y, abs=1e-12)


def test_consideration_applies_reversed_bookends_and_nan():
    score = scalar_consideration(LinearCurve(), low=150.0, span=-150.0)  # 150 -> 0, 0 -> 1
    assert score(150.0) == 0.0
    assert score(0.0) == 1.0
    assert score(37.5) == 0.75
    assert score(-20.0) == 1.0  # beyond the high bookend: clamped
    assert score(math.nan) == 0.0
    assert score(math.inf) == 0.0 and score(-math.inf) == 1.0  # infinities clamp to a bookend


@settings(max_examples=300, deadline=None)
@given(
    raw_curves(),
    st.sampled_from([(0.0, 1.0), (150.0, -150.0), (-2.0, 0.5), (0.0, 5e-324)]),
    st.lists(st.one_of(ANY_FLOAT, st.sampled_from([0.0, 1.0, 150.0, -2.0])), min_size=1),
)
def test_a_consideration_scores_what_the_array_kernel_scores(curve, bookends, values):
    """The scalar shortcut (end scores computed once) against the independent numpy path."""
    low, span = bookends
    ends = bookended(curve, low, span)
    reference = CurveGroup([curve])
    assert (ends.at_low, ends.at_high) == tuple(reference(np.array([0.0, 1.0])).tolist())
    score = scalar_consideration(curve, low, span)
    with np.errstate(all="ignore"):
        x = (np.array(values) - low) / span
    finite = ~np.isnan(x)
    expected = np.where(finite, reference(np.where(finite, np.clip(x, 0.0, 1.0), 0.0)), 0.0)
    assert [score(v) for v in values] == expected.tolist()


def test_bind_traits_scales_bound_parameters_only_and_leaves_the_original():
    curve = LogisticCurve(midpoint=0.4, steepness=10.0)
    bound = bind_traits(curve, {"steepness": "boldness"}, {"boldness": 1.5, "fear": 3.0})
    assert bound.steepness == 15.0 and bound.midpoint == 0.4
    assert curve.steepness == 10.0
    assert bind_traits(curve, {"midpoint": "greed"}, {}).midpoint == 0.4  # missing trait = 1
    assert bind_traits(curve, {}, {"boldness": 2.0}) is curve


def test_curve_groups_evaluate_rows_like_single_curves():
    curves = [LogisticCurve(midpoint=m, steepness=s) for m, s in ((0.2, 5), (0.5, -8), (0.9, 30))]
    assert len({group_key(c) for c in curves}) == 1
    x = np.random.default_rng(0).random((3, 50))
    grouped = CurveGroup(curves)(x)
    for row, curve in enumerate(curves):
        assert grouped[row].tolist() == evaluate(curve, x[row]).tolist()
    with pytest.raises(ValueError, match="group_key"):
        CurveGroup([LinearCurve(), StepCurve()])


def _into_new_array(kernel, values: np.ndarray) -> np.ndarray:
    """Run one of exactmath's in-place array kernels into a fresh array."""
    with np.errstate(all="ignore"):
        return kernel(values, np.empty_like(values), Workspace())


@settings(max_examples=300, deadline=None)
@given(st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=1, max_size=20))
def test_exact_math_scalar_and_array_agree_bit_for_bit(values):
    array = np.array(values, dtype=np.float64)
    for scalar, kernel in (
        (exactmath.exp, exactmath.exp_into),
        (exactmath.log, exactmath.log_into),
        (exactmath.sin_cycles, exactmath.sin_cycles_into),
    ):
        expected = np.array([scalar(v) for v in values])
        assert np.array_equal(_into_new_array(kernel, array), expected, equal_nan=True)


@settings(max_examples=300, deadline=None)
@given(st.floats(-700.0, 700.0), st.floats(1e-300, 1e300), st.floats(-1e3, 1e3))
def test_exact_math_matches_libm_within_a_few_ulps(t, q, c):
    assert exactmath.exp(t) == pytest.approx(math.exp(t), rel=4e-16)
    assert exactmath.log(q) == pytest.approx(math.log(q), rel=4e-16, abs=1e-300)
    # sin(2 pi c) loses precision in libm itself (2 pi c rounds); compare absolutely.
    assert exactmath.sin_cycles(c) == pytest.approx(math.sin(2 * math.pi * c), abs=1e-12)


def test_exact_math_special_values():
    assert exactmath.exp(0.0) == 1.0 and exactmath.exp(-math.inf) == 0.0
    assert exactmath.exp(800.0) == math.inf and math.isnan(exactmath.exp(math.nan))
    assert exactmath.log(1.0) == 0.0 and exactmath.log(0.0) == -math.inf
    assert math.isnan(exactmath.log(-1.0)) and exactmath.log(math.inf) == math.inf
    assert exactmath.sin_cycles(0.25) == 1.0 and math.isnan(exactmath.sin_cycles(math.inf))
    assert exactmath.ieee_div(1.0, 0.0) == math.inf and exactmath.ieee_div(-1.0, 0.0) == -math.inf
    assert exactmath.ieee_div(1.0, -0.0) == -math.inf and math.isnan(exactmath.ieee_div(0.0, 0.0))
