"""exp, log and sin for Python floats and numpy arrays that agree bit for bit.

Why not `math.exp` / `np.exp`: libm and numpy's SIMD kernels may differ in the last bit, and a
one-ulp difference can flip a near tie. These use only correctly rounded IEEE-754 arithmetic
(+ - * /) and exact steps (floor, frexp, scaling by 2**k), in the same order in the scalar
and the array versions, so the scalar and the vectorised brain agree exactly, on any machine.
Accuracy is about an ulp, far below anything a utility curve can notice.
"""

from __future__ import annotations

import math
from math import floor, ldexp  # bound once: `exp` is called ~20,000 times a run

import numpy as np

from agents.workspace import Workspace

INV_LN2 = 1.4426950408889634
# Cody-Waite split of ln 2: k * LN2_HI is exact for |k| < 2**20, so range reduction loses nothing.
LN2_HI = 6.93147180369123816490e-01
LN2_LO = 1.90821492927058770002e-10
LN2 = 0.6931471805599453
SQRT_HALF = 0.7071067811865476
TWO_PI = 6.283185307179586
EXP_MAX = 709.0  # above this the result is treated as inf (the true limit is ~709.78)
EXP_MIN = -750.0  # below this exp underflows to 0 even as a subnormal

# exp(r), |r| <= ln2/2: fdlibm's rational form (e_exp.c), < 1 ulp, with a polynomial in r*r.
P1 = 1.66666666666666019037e-01
P2 = -2.77777777770155933842e-03
P3 = 6.61375632143793436117e-05
P4 = -1.65339022054652515390e-06
P5 = 4.13813679705723846039e-08
_EXP_COEFFS = (P5, P4, P3, P2, P1)  # highest order first, for Horner
# ln m = 2 atanh(f), f = (m-1)/(m+1), |f| <= 0.1716: 2f * sum f^2k / (2k+1), k <= 9.
_LOG_COEFFS = tuple(1.0 / (2 * k + 1) for k in range(9, -1, -1))
# sin a for |a| <= pi/2: sum (-1)^k a^(2k+1) / (2k+1)!, k <= 11.
_SIN_COEFFS = tuple((-1.0) ** k / math.factorial(2 * k + 1) for k in range(11, -1, -1))


def _horner(coeffs: tuple[float, ...], r):
    """Polynomial in r (float or array); the same operator sequence for both."""
    p = coeffs[0]
    for c in coeffs[1:]:
        p = p * r + c
    return p


def _log_core(m, e):
    f = (m - 1.0) / (m + 1.0)
    return e * LN2 + 2.0 * f * _horner(_LOG_COEFFS, f * f)


def _sin_cycles_core(r):
    a = r * TWO_PI
    return a * _horner(_SIN_COEFFS, a * a)


def exp(t: float) -> float:
    """e**t for a Python float; never raises (overflow -> inf, NaN -> NaN)."""
    if t > EXP_MAX:
        return math.inf
    if not t >= EXP_MIN:
        return 0.0 if t == t else math.nan
    k = floor(t * INV_LN2 + 0.5)
    # Inlined (the hottest function of the scalar brain); `exp_into` runs the same steps.
    hi = t - k * LN2_HI
    lo = k * LN2_LO
    r = hi - lo
    s = r * r
    c = r - s * (P1 + s * (P2 + s * (P3 + s * (P4 + s * P5))))
    return ldexp(1.0 - ((lo - (r * c) / (2.0 - c)) - hi), k)


def log(q: float) -> float:
    """Natural log of a Python float; 0 -> -inf, negative or NaN -> NaN, inf -> inf."""
    if not 0.0 < q < math.inf:
        if q == 0.0:
            return -math.inf
        return math.inf if q == math.inf else math.nan
    m, e = math.frexp(q)
    if m < SQRT_HALF:
        m *= 2.0
        e -= 1
    return _log_core(m, e)


def sin_cycles(c: float) -> float:
    """sin(2*pi*c) for a Python float: the argument is in cycles, so reduction is exact."""
    if not -math.inf < c < math.inf:
        return math.nan
    r = c - math.floor(c + 0.5)
    if r > 0.25:
        r = 0.5 - r
    elif r < -0.25:
        r = -0.5 - r
    return _sin_cycles_core(r)


# --- arrays: results written into `out` (which may alias the argument), scratch from `ws`. ---
# Special values raise numpy warnings mid-way; callers run these under np.errstate(all="ignore").


def _horner_into(coeffs: tuple[float, ...], r: np.ndarray, out: np.ndarray) -> np.ndarray:
    """`_horner` in place: the same multiply-then-add sequence as the scalar version."""
    np.multiply(r, coeffs[0], out=out)
    np.add(out, coeffs[1], out=out)
    for c in coeffs[2:]:
        np.multiply(out, r, out=out)
        np.add(out, c, out=out)
    return out


def exp_into(t: np.ndarray, out: np.ndarray, ws: Workspace) -> np.ndarray:
    """Element-wise `exp` into `out`, bit-identical to the scalar version."""
    overflow = None
    if not t.max(initial=-math.inf) <= EXP_MAX:  # NaN or too large: remember where
        overflow = np.greater(t, EXP_MAX, out=ws.get("exp_over", t.shape, np.bool_))
    t = np.clip(t, EXP_MIN, EXP_MAX, out=ws.get("exp_t", t.shape))
    k = np.multiply(t, INV_LN2, out=ws.get("exp_k", t.shape))
    np.add(k, 0.5, out=k)
    np.floor(k, out=k)
    # The scalar steps one by one: hi, lo, r, s, c, then 1 - ((lo - r*c/(2-c)) - hi).
    hi = np.subtract(t, np.multiply(k, LN2_HI, out=out), out=t)
    lo = np.multiply(k, LN2_LO, out=ws.get("exp_lo", t.shape))
    r = np.subtract(hi, lo, out=ws.get("exp_r", t.shape))
    s = np.multiply(r, r, out=ws.get("exp_s", t.shape))
    c = np.multiply(_horner_into(_EXP_COEFFS, s, out), s, out=out)
    np.subtract(r, c, out=c)
    np.multiply(r, c, out=r)  # r*c
    np.subtract(2.0, c, out=c)
    np.divide(r, c, out=r)  # (r*c) / (2-c)
    np.subtract(lo, r, out=lo)
    np.subtract(lo, hi, out=lo)
    np.subtract(1.0, lo, out=out)
    _scale_by_power_of_two(out, k, ws)
    if overflow is not None:
        np.copyto(out, math.inf, where=overflow)
    return out


def _scale_by_power_of_two(y: np.ndarray, k: np.ndarray, ws: Workspace) -> None:
    """y *= 2**k in place, rounded once, i.e. exactly `math.ldexp` (np.ldexp is ~20x slower).

    2**k is built from its exponent bits, which covers k >= -1022; below that y is first
    scaled exactly by 2**(k + 64), leaving the single rounding to the final 2**-64.
    """
    k_int = ws.get("exp_k_int", k.shape, np.int64)
    np.copyto(k_int, k, casting="unsafe")  # NaN -> garbage, but NaN * anything stays NaN
    bits = ws.get("exp_bits", k.shape, np.int64)
    if k_int.min(initial=0) < -1021:
        split = np.less(k_int, -1021, out=ws.get("exp_split", k.shape, np.bool_))
        np.multiply(split, 64, out=bits)
        np.add(k_int, bits, out=k_int)  # k + 64 where split
        np.multiply(y, _power_of_two(k_int, bits), out=y)  # exact: the result is normal
        np.multiply(split, -64, out=k_int)  # 2**-64 where split, else 2**0
    np.multiply(y, _power_of_two(k_int, bits), out=y)


def _power_of_two(k: np.ndarray, bits: np.ndarray) -> np.ndarray:
    """2.0**k for integer -1022 <= k <= 1023, via the IEEE-754 exponent field (into `bits`)."""
    np.add(k, 1023, out=bits)
    np.left_shift(bits, 52, out=bits)
    return bits.view(np.float64)


def log_into(q: np.ndarray, out: np.ndarray, ws: Workspace) -> np.ndarray:
    """Element-wise `log` into `out`, bit-identical to the scalar version."""
    special = None
    if not (q.min(initial=math.inf) > 0.0 and q.max(initial=0.0) < math.inf):
        special = (q == 0.0, q == math.inf, ~(q >= 0.0))  # -inf, inf, NaN (rare: allocate)
    m = ws.get("log_m", q.shape)
    e = ws.get("log_e", q.shape, np.int32)
    np.frexp(q, out=(m, e))
    low = np.less(m, SQRT_HALF, out=ws.get("log_low", q.shape, np.bool_))
    np.multiply(m, 2.0, out=m, where=low)
    np.subtract(e, 1, out=e, where=low)
    f = np.subtract(m, 1.0, out=ws.get("log_f", q.shape))
    np.divide(f, np.add(m, 1.0, out=m), out=f)
    _horner_into(_LOG_COEFFS, np.multiply(f, f, out=m), out)
    np.multiply(np.multiply(f, 2.0, out=f), out, out=out)
    e_float = ws.get("log_e_float", q.shape)
    np.copyto(e_float, e)
    np.add(np.multiply(e_float, LN2, out=e_float), out, out=out)
    if special is not None:
        for mask, value in zip(special, (-math.inf, math.inf, math.nan), strict=True):
            np.copyto(out, value, where=mask)
    return out


def sin_cycles_into(c: np.ndarray, out: np.ndarray, ws: Workspace) -> np.ndarray:
    """Element-wise `sin_cycles` into `out`, bit-identical (non-finite c gives NaN naturally)."""
    r = ws.get("sin_r", c.shape)
    np.subtract(c, np.floor(np.add(c, 0.5, out=r), out=r), out=r)
    high = np.greater(r, 0.25, out=ws.get("sin_high", c.shape, np.bool_))
    low = np.less(r, -0.25, out=ws.get("sin_low", c.shape, np.bool_))
    np.subtract(0.5, r, out=r, where=high)
    np.subtract(-0.5, r, out=r, where=low)
    np.multiply(r, TWO_PI, out=r)
    _horner_into(_SIN_COEFFS, np.multiply(r, r, out=ws.get("sin_r2", c.shape)), out)
    return np.multiply(r, out, out=out)


def ieee_div(a: float, b: float) -> float:
    """a / b with IEEE semantics (x/0 -> ±inf or NaN) where Python would raise."""
    try:
        return a / b
    except ZeroDivisionError:
        if a != a or a == 0.0:
            return math.nan
        negative = (a < 0.0) != (math.copysign(1.0, b) < 0.0)
        return -math.inf if negative else math.inf
