"""What a change did: per outcome, the share in each branch and the paired difference.

The two branches of a replicate share their random numbers, so their outcomes are paired;
the interval of the difference is Newcombe's hybrid score interval for paired proportions
(Newcombe 1998, Statistics in Medicine 17:2635, method 10). It uses the pairing (narrower than
two independent Wilson intervals when the branches mostly agree) and stays inside [-1, 1]
with sensible width at small n and at shares of 0 or 1, where a paired t-interval fails.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from experiments.statistics import wilson_interval
from world.endings import ENDINGS, RUN_FLAGS

INTERVAL_METHOD = "Newcombe (1998) hybrid score interval for paired proportions, method 10"
NANETTE_STATES = ("well", "coma", "dead", "fused")  # the words of the one word-valued flag


@dataclass(frozen=True, slots=True)
class Effect:
    """One outcome in both branches: shares, their difference and its 95% interval."""

    outcome: str  # "ending=ID", "flag=NAME", or "flag=NAME:WORD" for a word-valued flag
    baseline: float
    branch: float
    difference: float
    ci: tuple[float, float]

    def to_json(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome,
            "baseline": round(self.baseline, 6),
            "branch": round(self.branch, 6),
            "difference": round(self.difference, 6),
            "ci": [round(self.ci[0], 6), round(self.ci[1], 6)],
        }


def paired_difference_interval(
    both: int, first_only: int, second_only: int, neither: int, confidence: float = 0.95
) -> tuple[float, float]:
    """Interval of p(second) - p(first) from a paired 2x2 table (Newcombe's method 10)."""
    n = both + first_only + second_only + neither
    if n == 0:
        return math.nan, math.nan
    first, second = (both + first_only) / n, (both + second_only) / n
    low1, high1 = wilson_interval(both + first_only, n, confidence)
    low2, high2 = wilson_interval(both + second_only, n, confidence)
    phi = _phi(both, first_only, second_only, neither)
    difference = second - first
    below = _square_and_add(second - low2, high1 - first, phi)
    above = _square_and_add(high2 - second, first - low1, phi)
    return max(-1.0, difference - below), min(1.0, difference + above)


def _square_and_add(one: float, other: float, phi: float) -> float:
    return math.sqrt(max(0.0, one * one - 2 * phi * one * other + other * other))


def _phi(both: int, first_only: int, second_only: int, neither: int) -> float:
    """The correlation of the pair's outcomes, shrunk as Newcombe prescribes (0 if undefined)."""
    n = both + first_only + second_only + neither
    first, second = both + first_only, both + second_only
    margins = first * (n - first) * second * (n - second)
    if margins == 0:
        return 0.0
    cross = both * neither - first_only * second_only
    if cross > n / 2:
        cross -= n / 2
    elif cross >= 0:
        cross = 0
    return cross / math.sqrt(margins)


def outcome_tests(futures: Iterable[Any]) -> dict[str, Callable[[Any], bool]]:
    """Every outcome an effect is reported for: each ending, each flag (each word of a word)."""
    tests: dict[str, Callable[[Any], bool]] = {
        f"ending={ending}": (lambda future, e=ending: future.ending == e) for ending in ENDINGS
    }
    words = {name: list(NANETTE_STATES) for name, flag in RUN_FLAGS.items() if not flag.yes_no}
    for future in futures:  # a word no list above knows still gets its effect
        for name in words:
            if future.flags.get(name) not in words[name]:
                words[name].append(future.flags.get(name))
    for name, flag in RUN_FLAGS.items():
        if flag.yes_no:
            tests[f"flag={name}"] = lambda future, n=name: bool(future.flags.get(n))
        else:
            for word in words[name]:
                tests[f"flag={name}:{word}"] = lambda f, n=name, w=word: f.flags.get(n) == w
    return tests


def effects(pairs: Sequence[Any]) -> list[Effect]:
    """One effect per outcome over the pairs (each with `.baseline` and `.branch` futures)."""
    futures = [future for pair in pairs for future in (pair.baseline, pair.branch)]
    found = []
    for outcome, test in outcome_tests(futures).items():
        table = [0, 0, 0, 0]  # both, baseline only, branch only, neither
        for pair in pairs:
            base, branch = test(pair.baseline), test(pair.branch)
            if base and branch:
                table[0] += 1
            elif base:
                table[1] += 1
            elif branch:
                table[2] += 1
            else:
                table[3] += 1
        both, base_only, branch_only, neither = table
        n = len(pairs)
        base_share, branch_share = (both + base_only) / n, (both + branch_only) / n
        found.append(
            Effect(
                outcome,
                base_share,
                branch_share,
                branch_share - base_share,
                paired_difference_interval(both, base_only, branch_only, neither),
            )
        )
    return found
