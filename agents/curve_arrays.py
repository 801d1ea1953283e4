"""Numpy response curves: groups of same-shaped curves evaluated by one kernel call.

Each kernel mirrors its scalar closure in `agents.curve_scalar` operation for operation, so a
vectorised brain scores exactly what the scalar brain scores.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from agents.curve_scalar import group_key, kernel_kind, segments
from agents.exactmath import exp_into, log_into, sin_cycles_into
from agents.spec import Curve
from agents.workspace import Workspace

# Kernel parameters, by name: floats for a single curve, (k, 1) columns for a group of k.

_PARAMS = {
    "linear": ("slope", "intercept"),
    "power_int": ("slope", "x_shift", "intercept"),
    "power_real": ("slope", "x_shift", "intercept", "exponent"),
    "logistic": ("midpoint", "steepness"),
    "logit": ("midpoint", "steepness"),
    "normal": ("mean", "width"),
    "sine": ("frequency", "phase"),
    "step": ("threshold", "below", "above"),
    "piecewise": (),
}


class CurveGroup:
    """Curves sharing one `group_key`, evaluated by one kernel call: row i of x through curve i.

    With a single curve x may have any shape; with several, x has shape (len(curves), n).
    Parameters are gathered into (k, 1) columns once, at construction.
    """

    __slots__ = ("curves", "kind", "params", "segments")

    def __init__(self, curves: Sequence[Curve]) -> None:
        if len({group_key(c) for c in curves}) != 1:
            raise ValueError("a CurveGroup needs curves that share one group_key")
        self.curves = tuple(curves)
        self.kind = kernel_kind(curves[0])
        names = _PARAMS[self.kind]
        if len(curves) == 1:
            self.params = {name: getattr(curves[0], name) for name in names}
        else:
            self.params = {
                name: np.array([getattr(c, name) for c in curves], dtype=np.float64)[:, None]
                for name in names
            }
        self.segments = None
        if self.kind == "piecewise":
            self.segments = tuple(np.array(v, dtype=np.float64) for v in segments(curves[0]))

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """Scores for finite x in [0, 1] into a new array."""
        x = np.asarray(x, dtype=np.float64)
        with np.errstate(all="ignore"):
            return self.into(x, np.empty_like(x), Workspace())

    def into(self, x: np.ndarray, out: np.ndarray, ws: Workspace) -> np.ndarray:
        """Scores for finite x in [0, 1] into `out` (x may not alias out): formula, then
        invert, then clamp. Callers silence numpy warnings (NaN params are legal input)."""
        _KERNELS[self.kind](self, x, out, ws, self.params)
        if self.curves[0].invert:
            np.subtract(1.0, out, out=out)
        return clamp_unit(out)


def clamp_unit(y: np.ndarray) -> np.ndarray:
    """In place, y > 0 ? min(y, 1) : 0 exactly as the scalar code does it (NaN -> 0).

    fmax drops NaN; adding 0.0 turns a -0.0 into +0.0 and changes nothing else. No masks:
    numpy's masked operations are ~10x slower than plain arithmetic on random masks.
    """
    np.fmax(y, 0.0, out=y)
    np.minimum(y, 1.0, out=y)
    return np.add(y, 0.0, out=y)


def clamp_base(b: np.ndarray) -> np.ndarray:
    """In place, b > 0 ? b : 0 (NaN -> 0), like the scalar `if not b > 0.0: b = 0.0`."""
    np.fmax(b, 0.0, out=b)
    return np.add(b, 0.0, out=b)


# Kernels write the raw formula into `out`; each line mirrors the scalar closure in
# `agents.curve_scalar` operation for operation (a*b == b*a and a+b == b+a exactly in IEEE).
# A scalar branch becomes a blend with a 0/1 mask m: a*m + b*(1-m) is exactly a or b for
# finite a and b, since x*1 == x and x + 0 == x; this avoids slow masked numpy calls.


def _linear(g: CurveGroup, x: np.ndarray, out: np.ndarray, ws: Workspace, p: dict) -> None:
    np.add(np.multiply(x, p["slope"], out=out), p["intercept"], out=out)


def _shifted_base(x: np.ndarray, ws: Workspace, p: dict) -> tuple[np.ndarray, np.ndarray]:
    """b = x - x_shift and the mask of b > 0 (NaN counts as not positive)."""
    b = np.subtract(x, p["x_shift"], out=ws.get("curve_b", x.shape))
    not_positive = np.greater(b, 0.0, out=ws.get("curve_b_mask", x.shape, np.bool_))
    np.logical_not(not_positive, out=not_positive)
    return b, not_positive


def _power_int(g: CurveGroup, x: np.ndarray, out: np.ndarray, ws: Workspace, p: dict) -> None:
    b = np.subtract(x, p["x_shift"], out=ws.get("curve_b", x.shape))
    clamp_base(b)
    np.copyto(out, b)
    for _ in range(int(g.curves[0].exponent) - 1):
        np.multiply(out, b, out=out)
    np.add(np.multiply(out, p["slope"], out=out), p["intercept"], out=out)


def _power_real(g: CurveGroup, x: np.ndarray, out: np.ndarray, ws: Workspace, p: dict) -> None:
    b, not_positive = _shifted_base(x, ws, p)
    np.copyto(b, 1.0, where=not_positive)  # any positive value: the result is zeroed below
    log_into(b, b, ws)
    exp_into(np.multiply(b, p["exponent"], out=b), out, ws)
    np.copyto(out, 0.0, where=not_positive)
    np.add(np.multiply(out, p["slope"], out=out), p["intercept"], out=out)


def _logistic(g: CurveGroup, x: np.ndarray, out: np.ndarray, ws: Workspace, p: dict) -> None:
    t = np.subtract(x, p["midpoint"], out=ws.get("curve_t", x.shape))
    np.multiply(t, p["steepness"], out=t)
    e = np.negative(np.abs(t, out=out), out=out)
    exp_into(e, e, ws)  # exp of a non-positive number: the numerically stable form
    # Scalar: (1 if t >= 0 else e) / (1 + e). Numerator as a blend: m + e*(1-m), m = [t >= 0].
    m = np.greater_equal(t, 0.0, out=ws.get("curve_m", x.shape, np.bool_))
    numerator = np.subtract(1.0, m, out=t)
    np.multiply(numerator, e, out=numerator)
    np.add(numerator, m, out=numerator)
    np.divide(numerator, np.add(e, 1.0, out=out), out=out)


def _logit(g: CurveGroup, x: np.ndarray, out: np.ndarray, ws: Workspace, p: dict) -> None:
    u = np.add(np.subtract(x, p["midpoint"], out=ws.get("curve_u", x.shape)), 0.5)
    below = np.less_equal(u, 0.0, out=ws.get("curve_below", x.shape, np.bool_))
    above = np.greater_equal(u, 1.0, out=ws.get("curve_above", x.shape, np.bool_))
    np.copyto(u, 0.5, where=below | above)  # outside (0, 1): the limits are set below
    q = np.subtract(1.0, u, out=ws.get("curve_q", x.shape))
    log_into(np.divide(u, q, out=q), out, ws)
    np.add(np.divide(out, p["steepness"], out=out), 0.5, out=out)
    np.copyto(out, 0.0, where=below)
    np.copyto(out, 1.0, where=above)


def _normal(g: CurveGroup, x: np.ndarray, out: np.ndarray, ws: Workspace, p: dict) -> None:
    z = np.divide(np.subtract(x, p["mean"], out=out), p["width"], out=out)
    exp_into(np.multiply(np.multiply(z, z, out=z), -0.5, out=z), out, ws)


def _sine(g: CurveGroup, x: np.ndarray, out: np.ndarray, ws: Workspace, p: dict) -> None:
    c = np.add(np.multiply(x, p["frequency"], out=out), p["phase"], out=out)
    sin_cycles_into(c, out, ws)
    np.add(np.multiply(out, 0.5, out=out), 0.5, out=out)


def _step(g: CurveGroup, x: np.ndarray, out: np.ndarray, ws: Workspace, p: dict) -> None:
    # below*m + above*(1-m), m = [x < threshold]: exact because below and above are finite
    # (the spec bounds them to [0, 1] and traits are finite)
    m = np.less(x, p["threshold"], out=ws.get("curve_m", x.shape, np.bool_))
    rest = np.subtract(1.0, m, out=ws.get("curve_rest", x.shape))
    np.multiply(rest, p["above"], out=rest)
    np.add(np.multiply(m, p["below"], out=out), rest, out=out)


def _piecewise(g: CurveGroup, x: np.ndarray, out: np.ndarray, ws: Workspace, p: dict) -> None:
    xs, ys, slopes = g.segments
    i = np.searchsorted(xs, x, side="right")
    j = np.clip(i - 1, 0, len(xs) - 2)
    np.add(ys[j], np.multiply(np.subtract(x, xs[j], out=out), slopes[j], out=out), out=out)
    np.copyto(out, ys[0], where=i == 0)
    np.copyto(out, ys[-1], where=i == len(xs))


_KERNELS = {
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
