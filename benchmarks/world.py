"""World benchmarks: a default 90-day run, the cost of a tick at 30 k vs 30 M players, memory.

Targets: a default 90-day run <= 1.0 s in-process and <= 3x Mesa's own Boltzmann wealth example
(100 agents, 500 steps; each default run timed beside one Boltzmann run, so the ratio holds on
any machine and through its drifts);
a tick at 30 M players costs <= 1.2x a tick at 30 k; peak memory of `callister run` <= 400 MB.
The default run is the mean over seeds 0-19: runs end when their story does, and their lengths
(and costs) vary several-fold from seed to seed.

The ratio is checked on the players' hour (`Population.step`), the only work whose input grows
with the player count. Whole-model ticks are reported too, but they are not comparable: with
30 k players a planet has a few hundred online, the crew finds little prey, robs less and is
hunted less, so the story (and its cost) differs.
"""

from __future__ import annotations

import itertools
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from mesa.examples.basic.boltzmann_wealth_model.model import BoltzmannWealth

from benchmarks import Case, Result
from configuration.loading import load_config
from configuration.sections_world import Galaxy as GalaxySettings
from configuration.sections_world import Population as PopulationSettings
from world.galaxy import Galaxy
from world.population import Population
from world.simulate import build_model, simulate

DEFAULT = Path(__file__).resolve().parents[1] / "configs" / "default.toml"
RUN_TARGET_S = 1.0
BOLTZMANN_RATIO_TARGET = 3.0
TICK_RATIO_TARGET = 1.2
MEMORY_TARGET_MB = 400
SEEDS = tuple(range(20))
TICK_SAMPLE = 400  # hours stepped per timing of the tick cost
SMALL, LARGE = 30_000, 30_000_000
DEFAULT_RUN = f"world: default run (mean over seeds 0-{len(SEEDS) - 1})"
BOLTZMANN = "world: 20 default runs, each beside Mesa's Boltzmann example (100 agents, 500 steps)"


def _each_seed_in_turn():
    """One call = one default run; `number=len(SEEDS)` calls cover every seed once."""
    config = load_config(DEFAULT)
    seeds = itertools.cycle(SEEDS)
    return lambda: simulate(config, seed=next(seeds))


def boltzmann_run(seed: int) -> None:
    """Mesa's Boltzmann wealth example as its docs run it: 100 agents, 500 steps."""
    model = BoltzmannWealth(n=100, width=10, height=10, seed=seed)
    for _ in range(500):
        model.step()


def _timed(run, *args, **kwargs) -> float:
    start = time.perf_counter()
    run(*args, **kwargs)
    return time.perf_counter() - start


class BesideBoltzmann:
    """Each default run (seeds 0-19) timed next to one Boltzmann run, alternating the order.

    The VM's speed drifts by 20% over minutes; timing one model now and the other later would
    fold that drift into their ratio, pairing run by run cancels it. One ratio per call.
    """

    def __init__(self) -> None:
        self.config = load_config(DEFAULT)
        self.ratios: list[float] = []

    def __call__(self) -> None:
        ours = theirs = 0.0
        for seed in SEEDS:
            if seed % 2:
                ours += _timed(simulate, self.config, seed=seed)
                theirs += _timed(boltzmann_run, seed)
            else:
                theirs += _timed(boltzmann_run, seed)
                ours += _timed(simulate, self.config, seed=seed)
        self.ratios.append(ours / theirs)


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


def _population_hours_at(players: int):
    rng = np.random.default_rng(1)
    population = Population(PopulationSettings(players=players), Galaxy(GalaxySettings(), rng), rng)
    ticks = iter(range(1, 10**9))
    return lambda: population.step(next(ticks), 2.0, rng)


def cases() -> list[Case]:
    return [
        Case(
            DEFAULT_RUN, _each_seed_in_turn(), target_s=RUN_TARGET_S, number=len(SEEDS), repeats=3
        ),
        Case(BOLTZMANN, BesideBoltzmann(), repeats=5),
        Case(
            "world: run to the 2160-tick horizon", _full_horizon(), target_s=RUN_TARGET_S, repeats=5
        ),
        Case(f"world: {TICK_SAMPLE} ticks at {SMALL:,} players", _ticks_at(SMALL), repeats=7),
        Case(f"world: {TICK_SAMPLE} ticks at {LARGE:,} players", _ticks_at(LARGE), repeats=7),
        Case(f"world: players' hour at {SMALL:,}", _population_hours_at(SMALL), number=2000),
        Case(f"world: players' hour at {LARGE:,}", _population_hours_at(LARGE), number=2000),
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
    hour_small = by_name[f"world: players' hour at {SMALL:,}"].median_s
    hour_large = by_name[f"world: players' hour at {LARGE:,}"].median_s
    ratio = hour_large / hour_small
    tick_small = by_name[f"world: {TICK_SAMPLE} ticks at {SMALL:,} players"].median_s
    tick_large = by_name[f"world: {TICK_SAMPLE} ticks at {LARGE:,} players"].median_s
    memory = peak_memory_mb()
    ratios = by_name[BOLTZMANN].case.run.ratios[1:]  # the harness's warm-up call left out
    boltzmann = statistics.median(ratios)
    return [
        f"world: default run / Mesa's Boltzmann example = {boltzmann:.2f}, median of "
        f"{len(ratios)} interleaved rounds ({min(ratios):.2f}-{max(ratios):.2f}) "
        f"(target <= {BOLTZMANN_RATIO_TARGET}): "
        f"{'pass' if boltzmann <= BOLTZMANN_RATIO_TARGET else 'FAIL'}",
        f"world: players' hour at 30 M / at 30 k = {ratio:.2f} (target <= {TICK_RATIO_TARGET}): "
        f"{'pass' if ratio <= TICK_RATIO_TARGET else 'FAIL'}",
        f"world: whole tick {tick_large / TICK_SAMPLE * 1e6:.0f} µs at 30 M, "
        f"{tick_small / TICK_SAMPLE * 1e6:.0f} µs at 30 k (different stories: see the docstring)",
        f"world: peak memory of `callister run` {memory:.0f} MB "
        f"(target <= {MEMORY_TARGET_MB} MB): {'pass' if memory <= MEMORY_TARGET_MB else 'FAIL'}",
    ]
