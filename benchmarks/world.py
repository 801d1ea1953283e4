"""World benchmarks: a default 90-day run, the cost of a tick at 30 k vs 30 M players, memory.

Targets (issue 3): a default 90-day run <= 1.0 s in-process; a tick at 30 M players costs
<= 1.2x a tick at 30 k; peak memory of `callister run` <= 400 MB.
"""

from __future__ import annotations

import itertools
import subprocess
import sys
from pathlib import Path

from benchmarks import Case, Result
from world.loading import load_config
from world.simulate import build_model, simulate

DEFAULT = Path(__file__).resolve().parents[1] / "configs" / "default.toml"
RUN_TARGET_S = 1.0
TICK_RATIO_TARGET = 1.2
MEMORY_TARGET_MB = 400
SEEDS = (0, 1, 2, 3, 4)
TICK_SAMPLE = 400  # hours stepped per timing of the tick cost
SMALL, LARGE = 30_000, 30_000_000


def _each_seed_in_turn():
    """One call = one default run; `number=len(SEEDS)` calls cover every seed once."""
    config = load_config(DEFAULT)
    seeds = itertools.cycle(SEEDS)
    return lambda: simulate(config, seed=next(seeds))


def _full_horizon():
    # A long epilogue keeps the real world running to the horizon: always 2160 ticks.
    config = load_config(DEFAULT, ["world.epilogue=2160"])
    return lambda: simulate(config, seed=1)


def _ticks_at(players: int):
    config = load_config(DEFAULT, [f"population.players={players}"])

    def run() -> None:
        model = build_model(config, seed=7)
        for _ in range(TICK_SAMPLE):
            model.step()

    return run


def cases() -> list[Case]:
    return [
        Case(
            "world: default run (mean over seeds 0-4)",
            _each_seed_in_turn(),
            target_s=RUN_TARGET_S,
            number=len(SEEDS),
            repeats=3,
        ),
        Case(
            "world: run to the 2160-tick horizon", _full_horizon(), target_s=RUN_TARGET_S, repeats=5
        ),
        Case(f"world: {TICK_SAMPLE} ticks at {SMALL:,} players", _ticks_at(SMALL), repeats=7),
        Case(f"world: {TICK_SAMPLE} ticks at {LARGE:,} players", _ticks_at(LARGE), repeats=7),
    ]


def peak_memory_mb() -> float:
    """Peak resident memory of a whole `callister run` process (default config), in MB."""
    code = (
        "import resource, subprocess, sys;"
        "subprocess.run([sys.executable, '-m', 'callister', 'run', '--json'],"
        " stdout=subprocess.DEVNULL, check=True);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return int(out.stdout.strip()) / 1024.0  # ru_maxrss is in KiB on Linux


def notes(results: list[Result]) -> list[str]:
    """Figures that are not a time per call: the tick-cost ratio and peak memory."""
    by_name = {r.case.name: r for r in results}
    small = by_name[f"world: {TICK_SAMPLE} ticks at {SMALL:,} players"].median_s
    large = by_name[f"world: {TICK_SAMPLE} ticks at {LARGE:,} players"].median_s
    ratio = large / small
    memory = peak_memory_mb()
    return [
        f"world: tick at 30 M / tick at 30 k = {ratio:.2f} (target <= {TICK_RATIO_TARGET}): "
        f"{'pass' if ratio <= TICK_RATIO_TARGET else 'FAIL'}; "
        f"{large / TICK_SAMPLE * 1e6:.0f} µs per tick at 30 M",
        f"world: peak memory of `callister run` {memory:.0f} MB "
        f"(target <= {MEMORY_TARGET_MB} MB): {'pass' if memory <= MEMORY_TARGET_MB else 'FAIL'}",
    ]
