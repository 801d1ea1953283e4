"""Where `callister verify` runs: design points inside a discovered box and in its complement.

Each swept parameter has a domain from the original experiment file: a grid's levels, an
`integer` range's whole numbers, or a continuous (possibly log) range. A box limits some of
them; a limit at the edge of the range the discovery saw is open (the box does not restrict
that side), so it reaches the edge of the domain. Inside: a Latin hypercube over the part of
each domain the box holds, so every point is inside and the levels come out balanced. The
complement: Latin hypercubes over the whole domains, keeping the points outside the box, in
order, until there are enough. Levels keep their own type (a grid's `true` stays a boolean).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from configuration.errors import UserError
from experiments.samplers import latin_hypercube
from experiments.spec import ParameterRange

# Complement draws per batch (at least): a box holding 99% of the space still fills fast.
DRAW_BATCH = 1024
# Give up on the complement after this many draws: the box holds (nearly) all of the space.
MAX_DRAWS = 1_000_000


@dataclass(frozen=True)
class Domain:
    """The values of one parameter: `levels` (discrete) or `low`..`high` (continuous)."""

    levels: tuple[Any, ...] | None = None
    low: float = 0.0
    high: float = 0.0
    log: bool = False

    def within(self, low: float, high: float) -> Domain:
        """The part of the domain in [low, high] (inclusive)."""
        if self.levels is not None:
            return Domain(levels=tuple(v for v in self.levels if low <= float(v) <= high))
        return Domain(low=max(self.low, low), high=min(self.high, high), log=self.log)

    def is_empty(self) -> bool:
        return not self.levels if self.levels is not None else self.low > self.high

    def pick(self, unit: np.ndarray) -> list[Any]:
        """Map draws in [0, 1) onto the domain: equal strata per level, (log-)uniform values."""
        if self.levels is not None:
            chosen = np.minimum((unit * len(self.levels)).astype(np.int64), len(self.levels) - 1)
            return [self.levels[i] for i in chosen]
        if self.log:
            span = math.log(self.high) - math.log(self.low)
            return [float(v) for v in np.exp(math.log(self.low) + unit * span)]
        return [float(v) for v in self.low + unit * (self.high - self.low)]


def domain_of(values: list[Any] | Mapping[str, Any]) -> Domain:
    """The domain of a parameter as the experiment file gives it: a list or a range table."""
    if isinstance(values, list):
        return Domain(levels=tuple(values))
    value_range = ParameterRange.model_validate(values)
    if value_range.integer:
        first, last = math.ceil(value_range.low), math.floor(value_range.high)
        return Domain(levels=tuple(range(first, last + 1)))
    return Domain(low=value_range.low, high=value_range.high, log=value_range.log)


@dataclass(frozen=True)
class BoxLimits:
    """A box over the swept parameters: per parameter low and high, infinite where open."""

    keys: tuple[str, ...]
    low: np.ndarray
    high: np.ndarray

    def holds(self, rows: Sequence[Sequence[Any]]) -> np.ndarray:
        """Which rows (one value per key) lie inside the box."""
        values = np.array([[float(v) for v in row] for row in rows], dtype=float)
        values = values.reshape(len(rows), len(self.keys))
        return np.all((values >= self.low) & (values <= self.high), axis=1)


def open_limits(
    keys: Sequence[str], limits: Mapping[str, Sequence[float]], seen: Mapping[str, Sequence[float]]
) -> BoxLimits:
    """The box's limits with every side at (or beyond) the range the discovery saw left open."""
    low = np.full(len(keys), -math.inf)
    high = np.full(len(keys), math.inf)
    for index, key in enumerate(keys):
        if key not in limits:
            continue
        (box_low, box_high), (seen_low, seen_high) = limits[key], seen[key]
        if box_low > seen_low:
            low[index] = box_low
        if box_high < seen_high:
            high[index] = box_high
    return BoxLimits(tuple(keys), low, high)


def sample_inside(
    domains: Sequence[Domain], box: BoxLimits, count: int, rng: np.random.Generator
) -> list[tuple[Any, ...]]:
    """`count` points inside the box: a Latin hypercube over the box's part of each domain."""
    parts = [d.within(lo, hi) for d, lo, hi in zip(domains, box.low, box.high, strict=True)]
    empty = [key for key, part in zip(box.keys, parts, strict=True) if part.is_empty()]
    if empty:
        raise UserError(
            f"the box holds no value of {', '.join(empty)} that the experiment can take; "
            "nothing to sample inside it."
        )
    return _rows(parts, latin_hypercube(count, len(parts), rng))


def sample_complement(
    domains: Sequence[Domain], box: BoxLimits, count: int, rng: np.random.Generator
) -> list[tuple[Any, ...]]:
    """`count` points of the whole space outside the box (Latin hypercubes, rejecting inside)."""
    if all(d.within(lo, hi) == d for d, lo, hi in zip(domains, box.low, box.high, strict=True)):
        raise UserError(
            "the box holds every value of every parameter: its complement is empty, so there "
            "is nothing to compare it with."
        )
    kept: list[tuple[Any, ...]] = []
    drawn = 0
    while len(kept) < count:
        if drawn >= MAX_DRAWS:
            raise UserError(
                f"the box holds nearly all of the parameter space: {len(kept)} of {drawn:,} "
                "draws fell outside it; too few to sample its complement."
            )
        batch = max(DRAW_BATCH, 4 * count)
        rows = _rows(domains, latin_hypercube(batch, len(domains), rng))
        drawn += batch
        outside = ~box.holds(rows)
        kept.extend(row for row, out in zip(rows, outside, strict=True) if out)
    return kept[:count]


def _rows(domains: Sequence[Domain], unit: np.ndarray) -> list[tuple[Any, ...]]:
    columns = [d.pick(unit[:, j]) for j, d in enumerate(domains)]
    return list(zip(*columns, strict=True)) if columns else []
