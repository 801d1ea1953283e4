"""Response curves: a spec curve turns a normalised input x in [0, 1] into a score in [0, 1].

This is the public face: `evaluate` for floats or arrays, and trait binding. The scalar
closures live in `agents.curve_scalar`, the numpy kernels in `agents.curve_arrays`; both share
`agents.exactmath` and agree bit for bit. Finishing rule: `invert` (y -> 1 - y) first, then
clamp to [0, 1]; NaN -> 0, +inf -> 1, -inf -> 0.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from agents.curve_arrays import CurveGroup
from agents.curve_scalar import (
    Bookended,
    ScalarCurve,
    bookended,
    group_key,
    kernel_kind,
    scalar_consideration,
    scalar_curve,
)
from agents.spec import Curve

__all__ = [
    "Bookended",
    "CurveGroup",
    "ScalarCurve",
    "bind_traits",
    "bookended",
    "evaluate",
    "group_key",
    "kernel_kind",
    "scalar_consideration",
    "scalar_curve",
]


def bind_traits(curve: Curve, bind: Mapping[str, str], traits: Mapping[str, float]) -> Curve:
    """The curve with each bound parameter multiplied by its trait (missing trait = 1)."""
    if not bind:
        return curve
    update = {
        param: getattr(curve, param) * traits.get(trait, 1.0) for param, trait in bind.items()
    }
    return curve.model_copy(update=update)


def evaluate(curve: Curve, x: float | np.ndarray) -> float | np.ndarray:
    """Score of x through the curve; x is clamped into [0, 1] and a non-finite x scores 0.

    A float gives a float (scalar path), an array an array of the same shape (array path);
    both give bit-identical numbers.
    """
    if not isinstance(x, np.ndarray):
        x = float(x)
        if not math.isfinite(x):
            return 0.0
        return scalar_curve(curve)(min(x, 1.0) if x > 0.0 else 0.0)
    x = np.asarray(x, dtype=np.float64)
    finite = np.isfinite(x)
    clamped = np.where(finite & (x > 0.0), np.minimum(x, 1.0), 0.0)
    y = CurveGroup([curve])(clamped)
    return np.where(finite, y, 0.0)
