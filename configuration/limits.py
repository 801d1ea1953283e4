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
# Galaxy sizes the program serves. Building links every pair of planets (nearest lanes and a
# spanning tree), so it grows faster than the square: 500 planets build in ~2 s, 1,000 in
# ~7 s, 2,000 in ~50 s, 5,000 took 152 s and 5 GB. Each planet Daly adds resets the hop
# caches, so a growing galaxy costs more every hour: 2,000 planets is ~15 ms an hour.
MAX_INITIAL_PLANETS = 100_000
MAX_PLANETS = 100_000
# Every character decides on its own each hour it thinks, and a full trace keeps ~8 kB per
# decision: 30 characters thinking every hour for 20,000 hours is ~5 GB of trace.
MAX_CAST = 30
# Registered players never exceed this: more people than there are, and far inside int64, so
# per-planet counts cannot overflow however long players keep joining.
PLAYER_CEILING = 10_000_000_000


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
