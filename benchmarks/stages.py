"""Seconds spent in each stage of a function, by wrapping the functions it looks up.

A command's engine (`discover`, `batch_stories`) calls its stages through its module's
globals (or a dict of them): wrapping them there times each stage without changing what runs.
A stage called from inside another timed stage counts toward the outer one; a stage that is
a generator is read to its end inside its stage. Also what the discover and stories benches
share: a timed call's stages, their medians as one line, and the command line for sizes.
"""

from __future__ import annotations

import argparse
import contextlib
import inspect
import statistics
import sys
import time
from collections.abc import Callable, Iterator, MutableMapping, Sequence
from pathlib import Path
from typing import Any

from benchmarks import Case, format_seconds, measure


class StageClock:
    """`seconds[stage]` for the stages named in `targets`: (namespace, name, stage) each."""

    def __init__(self, targets: list[tuple[Any, str, str]]) -> None:
        self.targets = targets
        self.seconds = dict.fromkeys((stage for _, _, stage in targets), 0.0)
        self._depth = 0

    def _timed(self, stage: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if self._depth:  # inside another stage: its time is that stage's
                return function(*args, **kwargs)
            self._depth += 1
            started = time.perf_counter()
            try:
                result = function(*args, **kwargs)
                # a generator does its work as it is read: read it here, inside the stage
                return iter(list(result)) if inspect.isgenerator(result) else result
            finally:
                self.seconds[stage] += time.perf_counter() - started
                self._depth -= 1

        return wrapper

    @contextlib.contextmanager
    def installed(self) -> Iterator[None]:
        """The stages wrapped while inside the block, restored after it."""
        originals = [
            (namespace, name, _get(namespace, name)) for namespace, name, _ in self.targets
        ]
        for (namespace, name, stage), (_, _, function) in zip(self.targets, originals, strict=True):
            _set(namespace, name, self._timed(stage, function))
        try:
            yield
        finally:
            for namespace, name, function in originals:
                _set(namespace, name, function)


def _get(namespace: Any, name: str) -> Any:
    if isinstance(namespace, MutableMapping):
        return namespace[name]
    return getattr(namespace, name)


def _set(namespace: Any, name: str, value: Any) -> None:
    if isinstance(namespace, MutableMapping):
        namespace[name] = value
    else:
        setattr(namespace, name, value)


def timed_stages(clock: StageClock, run: Callable[[], Any], other: str) -> tuple[Any, dict]:
    """`run()` with `clock` installed: its result, and its wall time, CPU time and stages.

    `other` names what the wrapped stages leave of the wall time (the caller's own work).
    """
    started, cpu_started = time.perf_counter(), time.process_time()
    with clock.installed():
        result = run()
    total, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    stages = {**clock.seconds, other: total - sum(clock.seconds.values())}
    return result, {"total": total, "cpu": cpu, **stages}


def medians_text(splits: list[dict[str, float]], stages: Sequence[str]) -> str:
    """Each stage's median over the timed calls (the first call is the harness's warm-up)."""
    timed = splits[1:] or splits
    median = {key: statistics.median(s[key] for s in timed) for key in ("total", "cpu", *stages)}
    parts = ", ".join(f"{stage} {format_seconds(median[stage])}" for stage in stages)
    return (
        f"medians of {len(timed)}: total {format_seconds(median['total'])} = {parts}; "
        f"CPU time {format_seconds(median['cpu'])} (the machine is shared: wall time drifts)"
    )


def sizes_main(
    argv: list[str] | None,
    module: str,
    default_runs: list[int],
    make_call: Callable[[int | None, Path | None], Any],
    line: Callable[[Any], str],
) -> int:
    """`python -m benchmarks.MODULE [--runs N ...] [--repeats R] [--results DIR]`: one line
    per size (and for the real batch DIR), from `make_call(runs, results)`'s timed calls."""
    parser = argparse.ArgumentParser(prog=f"python -m benchmarks.{module}")
    parser.add_argument("--runs", type=int, nargs="*", default=default_runs)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--results", type=Path, help="a real batch's results directory")
    args = parser.parse_args(argv)
    calls = [make_call(runs, args.results) for runs in args.runs]
    if args.results:
        calls.append(make_call(None, args.results))
    for call in calls:
        measure(Case(call.label(), call), args.repeats)
        print(line(call), file=sys.stderr)
    return 0
