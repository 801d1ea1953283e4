"""The brain's fast selectors: the same choices as `agents.selectors`, over the candidates only.

A candidate is an action that scored > 0. The brain passes their scores in tie-break order,
which is all the scalar selectors look at: they never choose a score <= 0, and a weight of 0
adds nothing to their sums (0 + w == w exactly), so leaving those out changes no bit. What
comes back is a position in the candidate list (-1: none). Traced decisions keep using
`agents.selectors`, whose probabilities cover every action.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from functools import partial

from agents.exactmath import exp
from agents.selectors import SELECTOR_KINDS

CandidateSelector = Callable[[Sequence[float], float], int]


def best(scores: Sequence[float], uniform: float) -> int:
    """`selectors.argmax`: the best score, the earliest on ties. Ignores `uniform`."""
    chosen, best_score = -1, 0.0
    for position, score in enumerate(scores):
        if score > best_score:
            chosen, best_score = position, score
    return chosen


def weighted(weights: Sequence[float], uniform: float) -> int:
    """`selectors.weighted_pick`: inverse CDF over the weights in their order."""
    total = 0.0
    for weight in weights:
        total += weight
    if not total > 0.0:
        return -1
    target = uniform * total
    cumulative, last = 0.0, -1
    for position, weight in enumerate(weights):
        cumulative += weight
        if weight > 0.0:
            if target < cumulative:
                return position
            last = position
    return last  # uniform * total rounded up to total: the last candidate


def top_n(scores: Sequence[float], uniform: float, n: int) -> int:
    """`selectors.top_n`: weighted among the n best (sorted() is stable: ties keep order)."""
    if len(scores) <= n:
        return weighted(scores, uniform)
    kept = set(sorted(range(len(scores)), key=lambda p: -scores[p])[:n])
    return weighted([s if p in kept else 0.0 for p, s in enumerate(scores)], uniform)


def top_percent(scores: Sequence[float], uniform: float, percent: float) -> int:
    """`selectors.top_percent`: weighted among scores >= (1 - percent) * best."""
    threshold = (1.0 - percent) * max(scores, default=0.0)
    return weighted([s if s >= threshold else 0.0 for s in scores], uniform)


# exp(t) of recent softmax exponents. Clamped sensors make the same scores again and again:
# about half the exponents of a default run were seen before, and a look-up is ~10x cheaper
# than `exp`. A pure function's memo: what it returns never depends on what it holds.
SOFTMAX_MEMO_SIZE = 50_000  # a few MB at most; emptied when full
_SOFTMAX_WEIGHTS: dict[float, float] = {}


def softmax(scores: Sequence[float], uniform: float, temperature: float) -> int:
    """`selectors.softmax`: P ∝ exp((score - best) / T); the best skips exp (exp(0) is 1).

    `weighted` over those weights in one pass: the running sums are the same floats, and the
    first sum above the target is the first candidate whose weight reaches it.
    """
    count = len(scores)
    if count < 2:
        return count - 1  # a lone candidate has weight 1 and uniform * 1 < 1: it is chosen
    top = max(scores)
    total, cumulative = 0.0, []
    for score in scores:
        if score == top:
            total += 1.0
        else:
            t = (score - top) / temperature
            weight = _SOFTMAX_WEIGHTS.get(t)
            if weight is None:
                if len(_SOFTMAX_WEIGHTS) >= SOFTMAX_MEMO_SIZE:
                    _SOFTMAX_WEIGHTS.clear()
                weight = _SOFTMAX_WEIGHTS[t] = exp(t)
            total += weight
        cumulative.append(total)
    # The first running sum > target rose there (the one before is <= target): a weight > 0.
    # It exists: total >= 1 (the best weighs 1) and uniform < 1, so uniform * total < total
    # (short of total by half an ulp or more, which rounds down).
    return bisect_right(cumulative, uniform * total)


def make_candidate_selector(
    kind: str, *, n: int = 3, percent: float = 0.1, temperature: float = 0.1
) -> CandidateSelector:
    """A selector with its parameters bound: f(candidate scores, uniform) -> position."""
    if kind == "argmax":
        return best
    if kind == "top_n":
        return partial(top_n, n=n)
    if kind == "top_percent":
        return partial(top_percent, percent=percent)
    if kind == "softmax":
        return partial(softmax, temperature=temperature)
    raise ValueError(f"unknown selector {kind!r} (known: {', '.join(SELECTOR_KINDS)})")
