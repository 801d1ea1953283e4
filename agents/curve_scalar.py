"""Scalar response curves: each spec curve compiled once into a fast closure x -> score.

The formulas are the docstrings in `agents.spec`, written with `agents.exactmath` so they match
the numpy kernels in `agents.curve_arrays` bit for bit. Finishing rule: `invert` (y -> 1 - y)
first, then clamp to [0, 1]; NaN -> 0, +inf -> 1, -inf -> 0.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Hashable
from typing import NamedTuple

from agents.exactmath import exp, ieee_div, log, sin_cycles
from agents.spec import Curve

ScalarCurve = Callable[[float], float]
MAX_INT_EXPONENT = 8  # integral exponents up to this use repeated products: exact and fast


def kernel_kind(curve: Curve) -> str:
    """Which formula evaluates the curve; polynomials split by integral exponent."""
    if curve.type == "polynomial":
        e = curve.exponent
        integral = 1 <= e <= MAX_INT_EXPONENT and e == int(e)  # NaN and inf fail the range test
        return "power_int" if integral else "power_real"
    return curve.type


def group_key(curve: Curve) -> Hashable:
    """Curves with equal keys are evaluated together by one kernel call."""
    kind = kernel_kind(curve)
    extra: Hashable = None
    if kind == "power_int":
        extra = int(curve.exponent)
    elif kind == "piecewise":
        extra = tuple(map(tuple, curve.points))
    return (kind, curve.invert, extra)


class Bookended(NamedTuple):
    """A curve behind its bookends: x = (value - low) / span, clamped to [0, 1], NaN -> 0.

    Most sensor values fall outside the bookends (flags, empty counts, full tanks), so the
    scores at x = 0 and x = 1 are computed once: the formula only runs for x strictly inside.
    """

    low: float
    span: float
    at_low: float  # the score at x = 0: every value at or beyond the low bookend
    at_high: float  # the score at x = 1: every value at or beyond the high bookend
    formula: ScalarCurve  # x in [0, 1] -> score, finishing rule included


def scalar_formula(curve: Curve) -> ScalarCurve:
    """A fast closure x -> score for x already in [0, 1] (the parameters are read once)."""
    return _SCALAR_FACTORIES[kernel_kind(curve)](curve)


def bookended(curve: Curve, low: float, span: float) -> Bookended:
    """The curve with its bookends (low, low + span) and its two end scores."""
    formula = scalar_formula(curve)
    return Bookended(low, span, formula(0.0), formula(1.0), formula)


def scalar_consideration(curve: Curve, low: float, span: float) -> ScalarCurve:
    """A closure sensor value -> score: bookends (low, low + span), then the curve."""
    _, _, at_low, at_high, formula = bookended(curve, low, span)

    def score(value: float) -> float:
        x = (value - low) / span
        if x > 0.0:
            return at_high if x >= 1.0 else formula(x)
        return at_low if x == x else 0.0  # NaN scores 0

    return score


def scalar_curve(curve: Curve) -> ScalarCurve:
    """A closure x -> score; x is clamped into [0, 1], NaN scores 0."""
    return scalar_consideration(curve, 0.0, 1.0)


# The closures' steps as source lines (x -> s), for brains that generate their decision
# (`agents.unrolled`): no call per evaluation. Parameters are read as globals named
# prefix + parameter; each template must stay step for step the closure below it.
_FINISH = "s = (1.0 if y > 1.0 else y) if y > 0.0 else 0.0"
_TEMPLATES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "linear": (("slope", "intercept"), ("y = {p}slope * x + {p}intercept",)),
    "logistic": (
        ("midpoint", "steepness"),
        (
            "t = {p}steepness * (x - {p}midpoint)",
            "e = exp(-abs(t))",
            "y = 1.0 / (1.0 + e) if t >= 0.0 else e / (1.0 + e)",
        ),
    ),
}


def inline_key(curve: Curve) -> tuple[str, bool] | None:
    """(kernel kind, invert) when the curve can be written inline; None: call the closure."""
    kind = kernel_kind(curve)
    return (kind, curve.invert) if kind in _TEMPLATES else None


def inline_parameters(curve: Curve, prefix: str) -> dict[str, float]:
    """The globals the inline lines of this curve read."""
    return {prefix + name: getattr(curve, name) for name in _TEMPLATES[kernel_kind(curve)][0]}


def inline_lines(key: tuple[str, bool], prefix: str) -> list[str]:
    """Lines computing s from x in [0, 1]; they need `exp` (agents.exactmath) as a global."""
    kind, invert = key
    lines = [step.format(p=prefix) for step in _TEMPLATES[kind][1]]
    return [*lines, "y = 1.0 - y", _FINISH] if invert else [*lines, _FINISH]


def _linear(c: Curve) -> ScalarCurve:
    slope, intercept, inv = c.slope, c.intercept, c.invert

    def f(x: float) -> float:
        y = slope * x + intercept
        if inv:
            y = 1.0 - y
        return (1.0 if y > 1.0 else y) if y > 0.0 else 0.0

    return f


def _power_int(c: Curve) -> ScalarCurve:
    slope, shift, intercept, inv = c.slope, c.x_shift, c.intercept, c.invert
    repeats = range(int(c.exponent) - 1)

    def f(x: float) -> float:
        b = x - shift
        if not b > 0.0:
            b = 0.0
        p = b
        for _ in repeats:
            p = p * b
        y = slope * p + intercept
        if inv:
            y = 1.0 - y
        return (1.0 if y > 1.0 else y) if y > 0.0 else 0.0

    return f


def _power_real(c: Curve) -> ScalarCurve:
    slope, shift, intercept, exponent, inv = c.slope, c.x_shift, c.intercept, c.exponent, c.invert

    def f(x: float) -> float:
        b = x - shift
        p = exp(exponent * log(b)) if b > 0.0 else 0.0
        y = slope * p + intercept
        if inv:
            y = 1.0 - y
        return (1.0 if y > 1.0 else y) if y > 0.0 else 0.0

    return f


def _logistic(c: Curve) -> ScalarCurve:
    midpoint, steepness, inv = c.midpoint, c.steepness, c.invert

    def f(x: float) -> float:
        t = steepness * (x - midpoint)
        e = exp(-abs(t))  # exp of a non-positive number: the numerically stable form
        y = 1.0 / (1.0 + e) if t >= 0.0 else e / (1.0 + e)
        if inv:
            y = 1.0 - y
        return (1.0 if y > 1.0 else y) if y > 0.0 else 0.0

    return f


def _logit(c: Curve) -> ScalarCurve:
    """y = 0.5 + ln(u / (1 - u)) / steepness with u = x - midpoint + 0.5 (so y = 0.5 at the
    midpoint, as the spec says); outside 0 < u < 1 the formula's limits, 0 and 1."""
    midpoint, steepness, inv = c.midpoint, c.steepness, c.invert

    def f(x: float) -> float:
        u = (x - midpoint) + 0.5
        if u <= 0.0:
            y = 0.0  # the limit of the formula (-inf), before inversion
        elif u >= 1.0:
            y = 1.0  # the limit (+inf)
        else:
            y = 0.5 + ieee_div(log(u / (1.0 - u)), steepness)
        if inv:
            y = 1.0 - y
        return (1.0 if y > 1.0 else y) if y > 0.0 else 0.0

    return f


def _normal(c: Curve) -> ScalarCurve:
    mean, width, inv = c.mean, c.width, c.invert

    def f(x: float) -> float:
        z = ieee_div(x - mean, width)
        y = exp(-0.5 * (z * z))
        if inv:
            y = 1.0 - y
        return (1.0 if y > 1.0 else y) if y > 0.0 else 0.0

    return f


def _sine(c: Curve) -> ScalarCurve:
    frequency, phase, inv = c.frequency, c.phase, c.invert

    def f(x: float) -> float:
        y = 0.5 + 0.5 * sin_cycles(frequency * x + phase)
        if inv:
            y = 1.0 - y
        return (1.0 if y > 1.0 else y) if y > 0.0 else 0.0

    return f


def _step(c: Curve) -> ScalarCurve:
    threshold, below, above, inv = c.threshold, c.below, c.above, c.invert

    def f(x: float) -> float:
        y = below if x < threshold else above
        if inv:
            y = 1.0 - y
        return (1.0 if y > 1.0 else y) if y > 0.0 else 0.0

    return f


def _piecewise(c: Curve) -> ScalarCurve:
    xs, ys, slopes = segments(c)
    inv, last = c.invert, len(xs)

    def f(x: float) -> float:
        i = bisect_right(xs, x)
        if i == 0:
            y = ys[0]
        elif i == last:
            y = ys[-1]
        else:
            y = ys[i - 1] + (x - xs[i - 1]) * slopes[i - 1]
        if inv:
            y = 1.0 - y
        return (1.0 if y > 1.0 else y) if y > 0.0 else 0.0

    return f


def segments(c: Curve) -> tuple[tuple[float, ...], tuple[float, ...], tuple[float, ...]]:
    """Points split into xs, ys and per-segment slopes (computed once, shared by both paths)."""
    xs = tuple(float(x) for x, _ in c.points)
    ys = tuple(float(y) for _, y in c.points)
    slopes = tuple(ieee_div(ys[i + 1] - ys[i], xs[i + 1] - xs[i]) for i in range(len(xs) - 1))
    return xs, ys, slopes


_SCALAR_FACTORIES: dict[str, Callable[[Curve], ScalarCurve]] = {
    "linear": _linear,
    "power_int": _power_int,
    "power_real": _power_real,
    "logistic": _logistic,
    "logit": _logit,
    "normal": _normal,
    "sine": _sine,
    "step": _step,
    "piecewise": _piecewise,
}
