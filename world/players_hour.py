"""The players' hour over every planet in one compiled pass (numba), for `world.population`.

At 50 planets the same arithmetic as some thirty numpy calls cost more in the calls than in
the sums (40 µs an hour, a fifth of a default hour); compiled, it is one call. Every number is
the one numpy gave, bit for bit: each element goes through the same IEEE operations in the
same order (no fast-math, so nothing is fused or reordered), and the one float sum follows
numpy's own pairwise summation (`tests/test_players_hour.py` holds both to numpy).
Random draws stay with the caller, on the model's generator, in the order they always had.
"""

from __future__ import annotations

import math

import numba
import numpy as np

# numpy's pairwise summation: blocks of at most 128 in eight running sums, halves above that.
_BLOCK = 128
_LANES = 8
# Compiled on import for these exact types, or loaded from numba's cache in __pycache__
# (`make install` fills it: compiling takes ~10 s). Fixed types: an array of another dtype
# or layout is an error, never a silent recompile in the middle of a run (scalars are
# converted: callers pass Python ints and floats). error_model="numpy": a division by zero
# gives inf or nan, as in numpy, rather than raising.
_OPTIONS = {"cache": True, "error_model": "numpy"}
_PLAYERS, _FLOATS = "int64[::1]", "float64[::1]"


@numba.njit(f"float64({_FLOATS}, int64, int64)", **_OPTIONS)
def pairwise_sum(values, start, count):
    """The sum of `values[start:start + count]`, added in the order numpy's `add.reduce` adds."""
    if count < _LANES:
        total = -0.0  # numpy's start: a sum of nothing but -0.0s stays -0.0
        for i in range(start, start + count):
            total += values[i]
        return total
    if count <= _BLOCK:
        lane0, lane1, lane2, lane3 = values[start : start + 4]
        lane4, lane5, lane6, lane7 = values[start + 4 : start + 8]
        full = start + count - count % _LANES
        for i in range(start + _LANES, full, _LANES):
            lane0 += values[i]
            lane1 += values[i + 1]
            lane2 += values[i + 2]
            lane3 += values[i + 3]
            lane4 += values[i + 4]
            lane5 += values[i + 5]
            lane6 += values[i + 6]
            lane7 += values[i + 7]
        total = ((lane0 + lane1) + (lane2 + lane3)) + ((lane4 + lane5) + (lane6 + lane7))
        for i in range(full, start + count):
            total += values[i]
        return total
    half = count // 2
    half -= half % _LANES
    return pairwise_sum(values, start, half) + pairwise_sum(values, start + half, count - half)


@numba.njit(f"float64({_FLOATS})", **_OPTIONS)
def numpy_sum(values):
    """`np.add.reduce(values)` to the last bit: add's identity 0.0 plus the pairwise sum."""
    return 0.0 + pairwise_sum(values, 0, values.shape[0])


@numba.njit(f"void({_PLAYERS}, int64, {_FLOATS}, float64)", **_OPTIONS)
def allocate(counts, total, weights, weight_sum):
    """Add `total` players to `counts`, split by `weights / weight_sum` exactly.

    Largest remainder: every planet gets the whole part of its share, then the planets whose
    share lost most to rounding get one more (ties to the lower index), in linear time.
    """
    size = counts.shape[0]
    short = np.empty(size)  # whole part minus exact share: the most negative lost the most
    placed = 0
    for planet in range(size):
        exact = total * (weights[planet] / weight_sum)
        whole = np.int64(exact)  # shares are never negative: truncating is flooring
        short[planet] = whole - exact
        counts[planet] += whole
        placed += whole
    missing = total - placed
    if missing <= 0:
        return
    threshold = np.partition(short, missing - 1)[missing - 1]
    for planet in range(size):
        if short[planet] < threshold:
            counts[planet] += 1
            missing -= 1
    for planet in range(size):
        if missing == 0:
            break
        if short[planet] == threshold:
            counts[planet] += 1
            missing -= 1


@numba.njit(
    f"UniTuple(int64, 2)({_PLAYERS}, {_FLOATS}, {_FLOATS}, float64, float64, float64[:, ::1],"
    f" int64, {_FLOATS}, float64, float64)",
    **_OPTIONS,
)
def players_hour(
    players, fear, appeal, drift_rate, churn_rate, normals, joined, online, online_share, fade
):
    """One hour of every planet's players, in place; returns (players moved, players lost).

    Movers and churners are whole counts around their means (normal approximation, rounded,
    `normals` the caller's two rows of standard normal draws); movers and `joined` newcomers
    settle by the planets' pull. Then `online` is filled and `fear` fades by `fade`.
    """
    size = players.shape[0]
    weights = np.empty(size)
    for planet in range(size):
        weights[planet] = appeal[planet] * (1.0 - fear[planet])
    weight_sum = numpy_sum(weights)
    if not weight_sum > 0.0:  # no planet draws anyone (all feared to the full): as at the start,
        weights[:] = 1.0  # every planet alike (`Population._shares`)
        weight_sum = float(size)
    moved = 0
    lost = 0
    for planet in range(size):
        here = players[planet]
        mean_movers = drift_rate * here
        mean_lost = churn_rate * here
        mean_lost *= 1.0 + fear[planet]
        movers = np.rint(math.sqrt(mean_movers) * normals[0, planet] + mean_movers)
        leavers = np.rint(math.sqrt(mean_lost) * normals[1, planet] + mean_lost)
        going = min(here, np.int64(max(movers, 0.0)))
        staying = here - going
        gone = min(staying, np.int64(max(leavers, 0.0)))
        players[planet] = staying - gone
        moved += going
        lost += gone
        fear[planet] *= fade
    allocate(players, moved + joined, weights, weight_sum)
    for planet in range(size):
        online[planet] = players[planet] * online_share
    return moved, lost
