"""Experimental designs: the parameter values of every design point.

A grid is the full factorial of the value lists (the first key varies slowest). Every other
design samples the unit cube (`samplers`) and maps each sample onto its `{low, high}` range
(log-uniformly with `log = true`, rounded with `integer = true`). All sampling draws from the
experiment's design stream (`seeds.design_rng`), so the same file always yields the same points.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any

from experiments.samplers import GRID, SAMPLERS
from experiments.seeds import design_rng
from experiments.spec import ExperimentFile, ParameterRange


@dataclass(frozen=True)
class Design:
    """The design points of an experiment: `points[i][key]` is key's value at point i."""

    kind: str
    keys: tuple[str, ...]
    points: tuple[tuple[Any, ...], ...]
    base_samples: int | None = None  # sobol only: N of Saltelli's scheme

    def __len__(self) -> int:
        return len(self.points)

    def values(self, point: int) -> dict[str, Any]:
        """The dotted-key overrides of one design point."""
        return dict(zip(self.keys, self.points[point], strict=True))

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "keys": list(self.keys),
            "points": [list(p) for p in self.points],
            "base_samples": self.base_samples,
        }


def build_design(spec: ExperimentFile) -> Design:
    """The design of an experiment file (deterministic in the file's content)."""
    kind, keys = spec.experiment.design, tuple(spec.parameters)
    if kind == GRID:
        lists = [spec.parameters[key] for key in keys]
        return Design(kind, keys, tuple(itertools.product(*lists)))
    ranges = [spec.parameters[key] for key in keys]
    assert all(isinstance(r, ParameterRange) for r in ranges)  # guaranteed by the spec
    samples = spec.experiment.samples or 0
    unit = SAMPLERS[kind](samples, len(keys), design_rng(spec.experiment.seed))
    points = tuple(
        tuple(scale(float(u), r) for u, r in zip(row, ranges, strict=True))  # type: ignore[arg-type]
        for row in unit
    )
    return Design(kind, keys, points, base_samples=samples if kind == "sobol" else None)


def scale(unit: float, value_range: ParameterRange) -> float | int:
    """Map u in [0, 1) onto a range: uniform or log-uniform, rounded for integer ranges."""
    low, high = value_range.low, value_range.high
    if value_range.integer:
        # Equal-width bins over the whole numbers low..high keep every integer equally likely.
        first, last = math.ceil(low), math.floor(high)
        return min(first + int(unit * (last - first + 1)), last)
    if value_range.log:
        return float(math.exp(math.log(low) + unit * (math.log(high) - math.log(low))))
    return float(low + unit * (high - low))
