"""Selectors turn action scores into one choice, deterministically from one uniform draw.

Scalar functions take a list of scores and the tie-break `order` (indices, best first on equal
scores); array functions take a (actions, agents) matrix whose rows are already in tie-break
order. Both use the same arithmetic in the same sequence, so they choose the same action:
weighted selectors walk the cumulative weights in tie-break order and pick the first action
whose cumulative weight exceeds `uniform * total` (inverse CDF). Scores <= 0 are never chosen.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

import numpy as np

from agents.exactmath import exp, exp_into
from agents.workspace import Workspace

Selection = tuple[int, list[float] | None]  # chosen index (-1: none), probabilities (or None)
ScalarSelector = Callable[[Sequence[float], float, Sequence[int]], Selection]
SELECTOR_KINDS = ("argmax", "top_n", "top_percent", "softmax")


def tie_break_order(ids: Sequence[str], priorities: Sequence[int]) -> tuple[int, ...]:
    """Indices ranked for equal scores: higher priority first, then the id that sorts first
    alphabetically ("attack" beats "hunt"). Ids are unique, so the order is total."""
    return tuple(sorted(range(len(ids)), key=lambda i: (-priorities[i], ids[i])))


# --- scalar: `probabilities=False` skips the probability vector (None) on the hot path ---------


def argmax(
    scores: Sequence[float], uniform: float, order: Sequence[int], *, probabilities: bool = True
) -> Selection:
    """The best score; ties go to the earliest index in `order`. Ignores `uniform`."""
    best, best_score = -1, 0.0
    for i in order:
        if scores[i] > best_score:
            best, best_score = i, scores[i]
    if not probabilities:
        return best, None
    return best, [1.0 if i == best else 0.0 for i in range(len(scores))]


def top_n(
    scores: Sequence[float],
    uniform: float,
    order: Sequence[int],
    n: int,
    *,
    probabilities: bool = True,
) -> Selection:
    """Weighted random (P ∝ score) among the n best by the total order."""
    # sorted() is stable, so equal scores keep their tie-break order.
    ranked = sorted((i for i in order if scores[i] > 0.0), key=lambda i: -scores[i])
    kept = set(ranked[:n])
    weights = [s if i in kept else 0.0 for i, s in enumerate(scores)]
    return weighted_pick(weights, uniform, order, probabilities=probabilities)


def top_percent(
    scores: Sequence[float],
    uniform: float,
    order: Sequence[int],
    percent: float,
    *,
    probabilities: bool = True,
) -> Selection:
    """Weighted random (P ∝ score) among scores >= (1 - percent) * best."""
    threshold = (1.0 - percent) * max(scores, default=0.0)
    weights = [s if s > 0.0 and s >= threshold else 0.0 for s in scores]
    return weighted_pick(weights, uniform, order, probabilities=probabilities)


def softmax(
    scores: Sequence[float],
    uniform: float,
    order: Sequence[int],
    temperature: float,
    *,
    probabilities: bool = True,
) -> Selection:
    """P ∝ exp(score / T) over scores > 0; shifted by the best score so exp never overflows."""
    best = max(scores, default=0.0)
    # exp(0) is exactly 1 (also in exp_into), so the best score skips the call.
    weights = [
        (1.0 if s == best else exp((s - best) / temperature)) if s > 0.0 else 0.0 for s in scores
    ]
    return weighted_pick(weights, uniform, order, probabilities=probabilities)


def weighted_pick(
    weights: Sequence[float], uniform: float, order: Sequence[int], *, probabilities: bool = True
) -> Selection:
    """Inverse CDF over `weights` accumulated in `order`; -1 when every weight is 0."""
    total = 0.0
    for i in order:
        total += weights[i]
    if not total > 0.0:
        return -1, [0.0] * len(weights) if probabilities else None
    shares = [w / total for w in weights] if probabilities else None
    target = uniform * total
    cumulative, last = 0.0, -1
    for i in order:
        w = weights[i]
        cumulative += w
        if w > 0.0:
            if target < cumulative:
                return i, shares
            last = i
    return last, shares  # uniform * total rounded up to total: the last candidate


def make_selector(
    kind: str,
    *,
    n: int = 3,
    percent: float = 0.1,
    temperature: float = 0.1,
    probabilities: bool = True,
) -> ScalarSelector:
    """A selector with its parameters bound: f(scores, uniform, order) -> (index, probs)."""
    if kind == "argmax":
        return partial(argmax, probabilities=probabilities)
    if kind == "top_n":
        return partial(top_n, n=n, probabilities=probabilities)
    if kind == "top_percent":
        return partial(top_percent, percent=percent, probabilities=probabilities)
    if kind == "softmax":
        return partial(softmax, temperature=temperature, probabilities=probabilities)
    raise ValueError(f"unknown selector {kind!r} (known: {', '.join(SELECTOR_KINDS)})")


# --- arrays: rows are actions in tie-break order, columns are agents; scratch from `ws` ------


def argmax_array(scores: np.ndarray, ws: Workspace) -> np.ndarray:
    """Row of the best score per column (first row wins ties), -1 where nothing is > 0."""
    count = scores.shape[1]
    best = np.full(count, -1, dtype=np.int64)
    best_score = ws.get("select_best", (count,))
    best_score.fill(0.0)
    better = ws.get("select_better", (count,), np.bool_)
    step = ws.get("select_step", (count,), np.int64)
    for row in range(scores.shape[0]):
        np.greater(scores[row], best_score, out=better)
        # best = row where better, else unchanged: integer blend, exact and branch-free
        np.multiply(np.subtract(row, best, out=step), better, out=step)
        best += step
        np.maximum(best_score, scores[row], out=best_score)
    return best


def top_n_array(scores: np.ndarray, uniforms: np.ndarray, n: int, ws: Workspace) -> np.ndarray:
    """`top_n` per column: rank = rows beating this one (higher score, or equal and earlier)."""
    rows, count = scores.shape
    weights = ws.get("select_weights", scores.shape)
    np.copyto(weights, scores)
    kept = ws.get("select_kept", (count,), np.bool_)
    rank = ws.get("select_rank", (count,), np.int64)
    beats = ws.get("select_beats", (count,), np.bool_)
    for a in range(rows):
        np.greater(scores[a], 0.0, out=kept)
        if n < rows:
            rank.fill(0)
            for b in range(rows):
                if b != a:
                    compare = np.greater_equal if b < a else np.greater
                    rank += compare(scores[b], scores[a], out=beats)
            kept &= np.less(rank, n, out=beats)
        np.multiply(weights[a], kept, out=weights[a])  # scores are finite: x*0 == 0, x*1 == x
    return weighted_pick_array(weights, uniforms, ws)


def top_percent_array(
    scores: np.ndarray, uniforms: np.ndarray, percent: float, ws: Workspace
) -> np.ndarray:
    """`top_percent` per column."""
    best = np.max(scores, axis=0, out=ws.get("select_best", (scores.shape[1],)))
    threshold = np.multiply(np.maximum(best, 0.0, out=best), 1.0 - percent, out=best)
    weights = ws.get("select_weights", scores.shape)
    np.multiply(scores, (scores > 0.0) & (scores >= threshold), out=weights)
    return weighted_pick_array(weights, uniforms, ws)


def softmax_array(
    scores: np.ndarray, uniforms: np.ndarray, temperature: float, ws: Workspace
) -> np.ndarray:
    """`softmax` per column."""
    best = np.max(scores, axis=0, out=ws.get("select_best", (scores.shape[1],)))
    np.maximum(best, 0.0, out=best)
    weights = ws.get("select_weights", scores.shape)
    np.divide(np.subtract(scores, best, out=weights), temperature, out=weights)
    exp_into(weights, weights, ws)  # exp of numbers <= 0: finite, so the mask can multiply
    np.multiply(weights, scores > 0.0, out=weights)
    return weighted_pick_array(weights, uniforms, ws)


def weighted_pick_array(weights: np.ndarray, uniforms: np.ndarray, ws: Workspace) -> np.ndarray:
    """`weighted_pick` per column, accumulating rows top to bottom (the tie-break order)."""
    count = weights.shape[1]
    total = ws.get("select_total", (count,))
    total.fill(0.0)
    for row in weights:
        total += row
    target = np.multiply(uniforms, total, out=ws.get("select_target", (count,)))
    cumulative = ws.get("select_cumulative", (count,))
    cumulative.fill(0.0)
    chosen = np.full(count, -1, dtype=np.int64)
    last = ws.get("select_last", (count,), np.int64)
    last.fill(-1)
    positive = ws.get("select_positive", (count,), np.bool_)
    hit = ws.get("select_hit", (count,), np.bool_)
    step = ws.get("select_step", (count,), np.int64)
    for r, row in enumerate(weights):
        cumulative += row
        np.greater(row, 0.0, out=positive)
        np.less(target, cumulative, out=hit)
        hit &= positive
        hit &= chosen < 0
        # chosen = r where hit and last = r where positive: exact integer blends, no masks
        chosen += np.multiply(np.subtract(r, chosen, out=step), hit, out=step)
        last += np.multiply(np.subtract(r, last, out=step), positive, out=step)
    # uniform * total rounded up to total: the last candidate, as in the scalar version
    np.copyto(chosen, last, where=(chosen < 0) & (total > 0.0))
    return chosen


def select_array(
    kind: str,
    scores: np.ndarray,
    uniforms: np.ndarray,
    *,
    n: int = 3,
    percent: float = 0.1,
    temperature: float = 0.1,
    ws: Workspace | None = None,
) -> np.ndarray:
    """Chosen row per column (-1: nothing scored > 0) for the named selector."""
    ws = Workspace() if ws is None else ws
    with np.errstate(all="ignore"):
        if kind == "argmax":
            return argmax_array(scores, ws)
        if kind == "top_n":
            return top_n_array(scores, uniforms, n, ws)
        if kind == "top_percent":
            return top_percent_array(scores, uniforms, percent, ws)
        if kind == "softmax":
            return softmax_array(scores, uniforms, temperature, ws)
    raise ValueError(f"unknown selector {kind!r} (known: {', '.join(SELECTOR_KINDS)})")
