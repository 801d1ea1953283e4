"""Performance benchmarks: `python -m benchmarks [module ...]` times every registered case.

A benchmark module (`benchmarks/<name>.py`, listed in `benchmarks.__main__.MODULES`) defines
`cases() -> list[Case]`. Each case is a zero-argument callable timed `number` times per repeat;
the table shows the median, min and max time per call over `repeats` repeats and whether the
median meets `target_s` (seconds per call; None means "report only").
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Case:
    """One timed operation: `run` is called `number` times per repeat."""

    name: str
    run: Callable[[], object]
    target_s: float | None = None
    number: int = 1
    repeats: int = 7


@dataclass(frozen=True)
class Result:
    """Seconds per call over the repeats of one case."""

    case: Case
    median_s: float
    min_s: float
    max_s: float

    @property
    def passed(self) -> bool | None:
        """None when the case has no target."""
        if self.case.target_s is None:
            return None
        return self.median_s <= self.case.target_s


def measure(case: Case, repeats: int | None = None) -> Result:
    """Time a case like `timeit`: one warm-up call, garbage collection off while timing."""
    case.run()
    per_call = []
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        for _ in range(repeats or case.repeats):
            start = time.perf_counter()
            for _ in range(case.number):
                case.run()
            per_call.append((time.perf_counter() - start) / case.number)
    finally:
        if gc_was_enabled:
            gc.enable()
    return Result(case, statistics.median(per_call), min(per_call), max(per_call))


def format_seconds(seconds: float | None) -> str:
    """A duration with a readable unit (µs, ms or s)."""
    if seconds is None:
        return "-"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f} µs"
    if seconds < 1.0:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds:.2f} s"
