"""A decision recorded as plain data, to answer "why this action, and why not that one?".

Every number is a Python float (never numpy) and `to_dict()` gives JSON-ready dicts in which a
non-finite number (a NaN sensor, say) becomes None. The numbers reproduce the decision exactly:
`product` is the running product of `compensated` in consideration order, and
`score = weight * product * momentum` for an available candidate (0 for an unavailable one).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any


def _number(value: float) -> float | None:
    """A JSON-safe number: non-finite values have no JSON spelling, so they become None."""
    value = float(value)
    return value if math.isfinite(value) else None


# Per-candidate records are not frozen only because frozen dataclasses take ~5x longer to build
# (a traced decision makes dozens); treat them as read-only like the frozen DecisionTrace.


@dataclass(slots=True)
class ConsiderationTrace:
    """One consideration of one candidate: sensor value -> x -> curve -> compensated score."""

    input: str
    raw: float  # the sensor value, in real units
    x: float  # normalised by the bookends and clamped to [0, 1]; NaN for a NaN sensor
    curve: float  # response-curve output in [0, 1]; 0 vetoes the action
    compensated: float  # s + s(1 - s)(1 - 1/n)

    def to_dict(self) -> dict[str, Any]:
        return {
            "input": self.input,
            "raw": _number(self.raw),
            "x": _number(self.x),
            "curve": self.curve,
            "compensated": self.compensated,
        }


@dataclass(slots=True)
class CandidateTrace:
    """One action as scored in this decision, including unavailable ones (score 0)."""

    action: str
    available: bool
    considerations: tuple[ConsiderationTrace, ...]
    product: float  # product of the compensated scores (1 with no considerations)
    weight: float  # after the character's weight trait
    momentum: float  # 1 + bonus if this is the running action within its ticks, else 1
    score: float
    probability: float  # chance the selector gave this action

    def to_dict(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "available": self.available,
            "considerations": [c.to_dict() for c in self.considerations],
            "product": self.product,
            "weight": self.weight,
            "momentum": self.momentum,
            "score": self.score,
            "probability": self.probability,
        }


@dataclass(frozen=True, slots=True)
class DecisionTrace:
    """Every candidate of one decision, the winner and its margin over the runner-up.

    The runner-up is the best-ranked other candidate scoring > 0 (score, then tie-break
    order); `margin` is winner score minus runner-up score (a missing runner-up counts as 0,
    no winner gives 0). With a random selector the margin can be negative.
    """

    role: str
    selector: str
    uniform: float
    candidates: tuple[CandidateTrace, ...]
    winner: str | None
    runner_up: str | None
    margin: float

    def candidate(self, action: str) -> CandidateTrace:
        """The trace of one action by id (KeyError if it is not configured)."""
        for candidate in self.candidates:
            if candidate.action == action:
                return candidate
        raise KeyError(action)

    def to_dict(self) -> dict[str, Any]:
        return {
            "role": self.role,
            "selector": self.selector,
            "uniform": self.uniform,
            "winner": self.winner,
            "runner_up": self.runner_up,
            "margin": self.margin,
            "candidates": [c.to_dict() for c in self.candidates],
        }
