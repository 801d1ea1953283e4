"""Limits of the scenario schema, in world units, and the one rule that ties two keys.

Every bound is far beyond any story yet keeps every sum of a run finite and every count
within int64, and every size is one the program builds in seconds; the schema-driven fuzz
test (tests/test_fuzz_schema.py) tries every key at and around them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import annotated_types
from pydantic import ValidationInfo

MAX_CREDITS = 1e9  # credits in the billions are plenty: the show's dangerous raid brought 34
MAX_SUPPLY = 1e6  # fuel units or rounds a ship can hold
HEALTH = 100  # every character's health scale, and the percent scale of hull and shields
MAX_PRICE_INDEX = 1_000  # Walton's multiplier: "everything costs double", not a trillion times
MIN_PRICE_INDEX = 0.01
# Galaxy sizes the program serves. Building is O(n log n) (a KD-tree for the nearest lanes,
# Delaunay edges for the spanning tree) and a run reads arrays, not networkx dicts: 20,000
# planets build in ~0.3 s and an hour there costs ~2 ms (`make bench`, docs/performance.md);
# a galaxy Daly grows to 40,000 keeps its hop counts current at ~1 ms a new planet and ~3 ms
# a new place to measure from.
MAX_INITIAL_PLANETS = 20_000
MAX_PLANETS = 40_000
# The cap on vengeful players materialised as Mesa agents: each decides every hour, so the
# hour costs grow with it (~0.1 ms a hundred players).
MAX_VENGEFUL = 40_000
# Every character decides on its own each hour it thinks, and a full trace keeps ~8 kB per
# decision: 30 characters thinking every hour for 20,000 hours is ~5 GB of trace.
MAX_CAST = 30
# Registered players never exceed this: more people than there are, and far inside int64, so
# per-planet counts cannot overflow however long players keep joining.
PLAYER_CEILING = 10_000_000_000


def fewer_than(section: str, other: str, reason: str, *, allow_equal: bool = False) -> Callable:
    """A field validator: the field must be < `other` (or <=), an earlier field of the section."""

    def check(cls, value: float, info: ValidationInfo) -> float:
        ceiling = info.data.get(other)  # absent when `other` itself failed validation
        too_many = ceiling is not None and (
            value > ceiling or (value == ceiling and not allow_equal)
        )
        if too_many:
            sign = "<=" if allow_equal else "<"
            raise ValueError(
                f"must be {sign} {section}.{other} ({ceiling:g}), got {value:g}: {reason}"
            )
        return value

    return check


def at_least(section: str, other: str, reason: str) -> Callable:
    """A field validator: the field must be >= `other`, an earlier field of the same section."""

    def check(cls, value: float, info: ValidationInfo) -> float:
        floor = info.data.get(other)  # absent when `other` itself failed validation
        if floor is not None and value < floor:
            raise ValueError(f"must be >= {section}.{other} ({floor:g}), got {value:g}: {reason}")
        return value

    return check


@dataclass(frozen=True)
class Bounds:
    """A numeric field's limits as the schema states them (None: that side is unbounded)."""

    lower: float | None = None
    lower_inclusive: bool = True
    upper: float | None = None
    upper_inclusive: bool = True

    def whole(self) -> tuple[int | None, int | None]:
        """The smallest and largest whole numbers inside the bounds (None: unbounded)."""
        low = self.lower if self.lower is None or self.lower_inclusive else self.lower + 1
        high = self.upper if self.upper is None or self.upper_inclusive else self.upper - 1
        return low, high


def bounds_of(metadata: Iterable[Any]) -> Bounds:
    """The `Bounds` in a pydantic field's metadata (`Field(ge=..., lt=...)` and the like)."""
    found: dict[str, Any] = {}
    for item in metadata:
        if isinstance(item, annotated_types.Ge):
            found.update(lower=item.ge, lower_inclusive=True)
        elif isinstance(item, annotated_types.Gt):
            found.update(lower=item.gt, lower_inclusive=False)
        elif isinstance(item, annotated_types.Le):
            found.update(upper=item.le, upper_inclusive=True)
        elif isinstance(item, annotated_types.Lt):
            found.update(upper=item.lt, upper_inclusive=False)
    return Bounds(**found)
