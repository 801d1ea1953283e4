"""Batch benchmarks: parallel speed-up, 1,000 default runs, and the driver's flat memory.

Every timed call is one real `callister batch` in a subprocess, into a fresh directory, from
the command's start to its exit (interpreter start, imports and worker start-up included),
with Python's bytecode cache on as on any normal install (see `BatchCall`).
All runs are default 90-day runs (configs/default.toml, nothing overridden).

- `batch 40 runs, 1 worker`    report only; its median sets the next target
- `batch 40 runs, 2 workers`   target: the 1-worker median / 1.8 (1.8x faster end to end)
- `... steady-state`           2 vs 1 worker throughput between the first and the last result,
                               i.e. without the fixed start-up (workers importing the world)
- `batch 100 runs, 2 workers`  report only; records the driver's peak memory
- `batch 1000 runs, 2 workers` target: 600 s; records the driver's peak memory
- `batch driver RSS ...`       peak RSS of the driver for 1,000 runs over 100 runs (<= 1.2x)

The start-up, steady-state and memory figures come from the batch's own sessions.jsonl.
`python -m benchmarks.batch` runs the same cases without the table.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from benchmarks import Case, format_seconds, measure

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = REPO / "configs" / "default.toml"
SPEEDUP_TARGET = 1.8
THOUSAND_RUNS_TARGET_S = 600.0
MEMORY_BUDGET = 1.2
WARM_UP_RUNS = 4


class BatchCall:
    """One `callister batch` of `runs` default runs on `workers` workers, timed by the caller.

    The benchmark harness makes one untimed warm-up call first; for the long cases that call
    runs only a few runs (it warms the page cache and imports; repeating 1,000 runs would only
    burn ten minutes). Each call records the driver's peak RSS and the batch's own run phase.
    """

    def __init__(self, runs: int, workers: int, full_warm_up: bool = True) -> None:
        self.runs, self.workers, self.full_warm_up = runs, workers, full_warm_up
        self.calls = 0
        self.peak_rss_mb: list[float] = []
        self.startup_s: list[float] = []
        self.steady_s: list[float] = []  # from the first result to the last
        self.wall_s: list[float] = []
        self._tmp = Path(tempfile.mkdtemp(prefix="callister-bench-"))
        # As on a normal install, Python caches compiled bytecode (kept out of the checkout, in
        # a temporary directory). Environments that set PYTHONDONTWRITEBYTECODE would otherwise
        # recompile every module in every process: seconds of start-up per batch and worker.
        self._env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        self._env["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "callister-pycache")

    def __call__(self) -> None:
        warm_up = self.calls == 0
        self.calls += 1
        runs = self.runs if (self.full_warm_up or not warm_up) else WARM_UP_RUNS
        name = f"bench{runs}x{self.workers}-{self.calls}"
        experiment = self._tmp / f"{name}.toml"
        experiment.write_text(
            f'[experiment]\nname = "{name}"\nconfig = "{DEFAULT_CONFIG}"\nreplicates = {runs}\n'
            "seed = 1\n",
            encoding="utf-8",
        )
        out = self._tmp / name
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "callister", "batch", str(experiment), "--workers",
             str(self.workers), "--out", str(out), "--quiet"],
            capture_output=True, text=True, check=False, env=self._env,
        )  # fmt: skip
        elapsed = time.perf_counter() - started
        if done.returncode != 0:
            raise RuntimeError(f"callister batch failed ({done.returncode}): {done.stderr}")
        if not warm_up:
            end = [json.loads(line) for line in (out / "sessions.jsonl").read_text().splitlines()]
            self.peak_rss_mb.append(end[-1]["driver_peak_rss_mb"])
            self.startup_s.append(end[-1]["startup_s"])
            self.steady_s.append(end[-1]["between_first_and_last_result_s"])
            self.wall_s.append(elapsed)


def cases() -> Iterator[Case]:
    """The cases, lazily: a target can depend on a case measured before it."""
    one = BatchCall(40, 1)
    yield Case("batch 40 runs, 1 worker", one, repeats=5)
    two = BatchCall(40, 2)
    target = statistics.median(one.wall_s) / SPEEDUP_TARGET if one.wall_s else None
    yield Case(f"batch 40 runs, 2 workers (>= {SPEEDUP_TARGET}x)", two, target, repeats=5)
    steady = _report_speedup(one, two)
    if steady is not None:
        yield _verdict(f"batch 2 vs 1 worker steady-state {steady:.2f}x", steady >= SPEEDUP_TARGET)
    hundred = BatchCall(100, 2, full_warm_up=False)
    yield Case("batch 100 runs, 2 workers", hundred, repeats=3)
    thousand = BatchCall(1000, 2, full_warm_up=False)
    yield Case("batch 1000 runs, 2 workers", thousand, THOUSAND_RUNS_TARGET_S, repeats=3)
    ratio = _report_memory(hundred, thousand)
    if ratio is not None:
        yield _verdict(f"batch driver RSS 1000/100 runs {ratio:.2f}x", ratio <= MEMORY_BUDGET)


def _verdict(name: str, passed: bool) -> Case:
    """A table row for a ratio: the table only times calls, so the row's no-op "run" meets a
    1 s target when the ratio is within its budget and misses a 0 s one when it is not; the
    measured ratio itself is in the name."""
    return Case(name, lambda: None, 1.0 if passed else 0.0, repeats=1)


def _report_speedup(one: BatchCall, two: BatchCall) -> float | None:
    if not (one.wall_s and two.wall_s):
        return None
    wall = statistics.median(one.wall_s) / statistics.median(two.wall_s)
    # Steady-state throughput: runs per second between the first and the last result, once
    # the workers have imported the world (a fixed cost of a few seconds). With w workers the
    # first w results arrive together, so (runs - w) results fall in that span.
    rate_one = (one.runs - one.workers) / statistics.median(one.steady_s)
    rate_two = (two.runs - two.workers) / statistics.median(two.steady_s)
    steady = rate_two / rate_one
    verdict = "pass" if wall >= SPEEDUP_TARGET else "FAIL"
    print(
        f"[batch] speed-up 2 vs 1 worker, 40 runs: {wall:.2f}x end to end ({verdict}, target "
        f"{SPEEDUP_TARGET}x); {steady:.2f}x in steady-state throughput; start-up median "
        f"{statistics.median(one.startup_s):.1f} s (1 worker), "
        f"{statistics.median(two.startup_s):.1f} s (2 workers)",
        file=sys.stderr,
    )
    return steady


def _report_memory(hundred: BatchCall, thousand: BatchCall) -> float | None:
    if not (hundred.peak_rss_mb and thousand.peak_rss_mb):
        return None
    small, large = statistics.median(hundred.peak_rss_mb), statistics.median(thousand.peak_rss_mb)
    ratio = large / small
    verdict = "pass" if ratio <= MEMORY_BUDGET else "FAIL"
    print(
        f"[batch] driver peak RSS: {small:.1f} MB for 100 runs, {large:.1f} MB for 1000 runs: "
        f"{ratio:.3f}x ({verdict}, budget {MEMORY_BUDGET}x)",
        file=sys.stderr,
    )
    return ratio


def main() -> int:
    failed = False
    for case in cases():
        result = measure(case)
        print(
            f"{case.name}: median {format_seconds(result.median_s)} (min "
            f"{format_seconds(result.min_s)}, max {format_seconds(result.max_s)})",
            file=sys.stderr,
        )
        failed |= result.passed is False
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
