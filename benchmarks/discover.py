"""Discover benchmarks: `callister discover`'s whole engine over a synthetic batch of N runs.

The store is built once per size, in a temporary directory, the way `callister batch` builds
one: an experiment file (an LHS design over five real parameter keys, 5 replicates per
point) is loaded, its base scenario prepared and checked, its design and manifest made by the
batch's own functions, and its runs written into a `ResultsStore` as the consolidated
`runs.parquet` a finished batch leaves, with the real schema (`run_schema`: every flag and
every event kind). Only the outcomes are synthetic: 10,000 real runs cost ~30 minutes on this
2-core VM, and the cost of discovery depends on the number of runs and points, not on how the
endings came about. They follow a known logistic driver plus noise: `crew_destroyed` is likely
where Walton's invite party weighs much and the captain raids little (see `ending_chance`).

Each timed call is one whole `discover(DIR, "ending=crew_destroyed")` with its defaults (PRIM,
50 stability resamples): reading the store, aggregating per point, PRIM, the resamples.

Cases (`python -m benchmarks discover`): `discover 1,000 runs` and `discover 10,000 runs`
(target 10 s, issue 15); with CALLISTER_BENCH_RESULTS=DIR also `discover on DIR` (a real
batch). `notes` splits each case's median call into its stages.
`python -m benchmarks.discover [--runs N ...] [--repeats R] [--results DIR]` prints the same
split for any sizes (the docs' growth table: 1,000 / 10,000 / 100,000 runs).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

import experiments.discover as discover_module
from benchmarks import Case, Result
from benchmarks.stages import StageClock, medians_text, sizes_main, timed_stages
from experiments import durable
from experiments.designs import Design, build_design
from experiments.manifest import build_manifest
from experiments.records import STATUS_OK, event_column, run_schema
from experiments.scenario import check_parameters, prepare_base
from experiments.seeds import plan_runs
from experiments.spec import load_experiment
from experiments.store import ResultsStore
from world.events import EVENT_KINDS

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = REPO / "configs" / "default.toml"
OUTCOME = "ending=crew_destroyed"
TARGET_S = 10.0
TARGET_RUNS = 10_000
REPLICATES = 5
SEED = 15  # the experiment's master seed
RESULTS_VARIABLE = "CALLISTER_BENCH_RESULTS"
INVITE = "agents.walton.actions.invite_party.weight"
ROB = "agents.captain.actions.rob_player.weight"
FBI = "realworld.fbi_rate"
PARAMETERS = {  # five keys a user would sweep, their ranges as an experiment file gives them
    INVITE: "{ low = 0.0, high = 2.0 }",
    ROB: "{ low = 0.3, high = 1.7 }",
    "characters.karl.resentment": "{ low = 0.5, high = 5.0 }",
    "economy.price_hike": "{ low = 0.05, high = 0.4 }",
    FBI: "{ low = 0.0005, high = 0.02, log = true }",
}
OTHER_ENDINGS = ("nanettes_head", "private_universe", "outlaws", "captain_alone", "collapse")
OTHER_SHARES = (0.5, 0.2, 0.15, 0.1, 0.05)
# Typical counts of a default run's commonest events; every other kind averages one.
EVENT_MEANS = {"robbery": 20, "ship_battle": 40, "battle_wound": 35, "complaint": 18}
OTHER_STAGE = "aggregation and output"  # what the stages wrapped leave: discover()'s own work
STAGES = ("reading", OTHER_STAGE, "PRIM", "resampling")


def ending_chance(values: np.ndarray) -> np.ndarray:
    """P(crew_destroyed) per point: a logistic in the invite weight (up) and raids (down)."""
    invite, rob = values[:, 0], values[:, 1]
    return 1.0 / (1.0 + np.exp(-(-1.0 + 2.5 * (invite - 1.0) - 2.0 * (rob - 1.0))))


def experiment_text(points: int) -> str:
    lines = [
        "[experiment]",
        f'name = "discover_bench_{points}"',
        f"config = {str(DEFAULT_CONFIG)!r}",
        'design = "lhs"',
        f"samples = {points}",
        f"replicates = {REPLICATES}",
        f"seed = {SEED}",
        "series_every = 0",
        "[parameters]",
        *(f'"{key}" = {value}' for key, value in PARAMETERS.items()),
    ]
    return "\n".join(lines) + "\n"


def create_store(directory: Path, runs: int) -> tuple[ResultsStore, Design, dict[str, Any]]:
    """An empty results directory DIR/out of `runs` planned runs (runs / 5 LHS points), made
    as `callister batch` makes one: its store, design and manifest (the lock is released)."""
    points = runs // REPLICATES
    path = directory / f"discover_bench_{points}.toml"
    path.write_text(experiment_text(points), encoding="utf-8")
    experiment = load_experiment(path)
    base = prepare_base(experiment)
    check_parameters(experiment, base)
    design = build_design(experiment.spec)
    manifest = build_manifest(experiment, base, design)
    store = ResultsStore(directory / "out")
    store.root.mkdir()
    with store.locked():
        store.create(manifest, experiment.text)
    return store, design, manifest


def build_store(directory: Path, runs: int, seed: int = 0) -> Path:
    """A finished batch of `runs` runs with synthetic outcomes in DIR/out; returns its path."""
    store, design, _ = create_store(directory, runs)
    rng = np.random.default_rng(seed)
    values = np.array(design.points, dtype=float)
    drivers = values[:, [design.keys.index(INVITE), design.keys.index(ROB)]]
    point_of = np.repeat(np.arange(len(design)), REPLICATES)
    driven = rng.random(len(point_of)) < ending_chance(drivers)[point_of]
    others = rng.choice(OTHER_ENDINGS, size=len(point_of), p=OTHER_SHARES)
    endings = np.where(driven, "crew_destroyed", others)
    arrest = 1.0 / (1.0 + np.exp(-(np.log(values[:, design.keys.index(FBI)]) + 5.5)))
    arrested = rng.random(len(point_of)) < arrest[point_of]
    with store.locked():  # as consolidation leaves a finished batch: one runs.parquet
        durable.write_table_atomic(store.runs_table, runs_table(design, endings, arrested, rng))
    return store.root


def runs_table(
    design: Design, endings: np.ndarray, arrested: np.ndarray, rng: np.random.Generator
) -> pa.Table:
    """Every run of `design` (5 replicates a point) as ok rows of runs.parquet, in run_id order:
    the given endings and arrests, every other outcome and count drawn plausibly."""
    planned = list(plan_runs(len(design), REPLICATES, SEED))
    count = len(planned)
    point_of = np.array([run.point for run in planned], dtype=np.int64)
    values = np.array(design.points, dtype=float)
    columns: dict[str, Any] = {
        "run_id": [run.run_id for run in planned],
        "point": point_of,
        "replicate": [run.replicate for run in planned],
        "seed": [run.seed for run in planned],
        **{key: values[point_of, i] for i, key in enumerate(design.keys)},
        "status": [STATUS_OK] * count,
        "ending": endings,
        "walton_arrested": arrested,
        "infinity_deleted": endings == "collapse",
        "company_folded": rng.random(count) < 0.2,
        "nanette_state": ["well"] * count,
        "crew_alive": np.where(endings == "crew_destroyed", 0, rng.integers(1, 5, count)),
        **{
            event_column(kind): rng.poisson(EVENT_MEANS.get(kind, 1), count) for kind in EVENT_KINDS
        },
        "ticks": rng.integers(900, 2161, count),
        "wall_s": rng.uniform(0.3, 1.0, count),
        "digest": [f"{number:032x}" for number in rng.integers(0, 2**62, count)],
        "error": [None] * count,
        "attempt": [1] * count,
        "code": ["0" * 16] * count,
    }
    schema = run_schema(design, EVENT_KINDS)
    return pa.table([pa.array(columns[f.name], f.type) for f in schema], schema=schema)


class DiscoverCall:
    """One whole `discover()` over a store built on first use; keeps each call's stages."""

    def __init__(self, runs: int | None = None, results: Path | None = None) -> None:
        self.runs, self.results = runs, results
        self.synthetic = results is None
        self.splits: list[dict[str, float]] = []
        self.boxes = 0

    def label(self) -> str:
        return f"{self.runs:,} runs (synthetic)" if self.synthetic else f"on {self.results}"

    def __call__(self) -> None:
        if self.results is None:
            assert self.runs is not None
            self._temporary = tempfile.TemporaryDirectory(prefix="callister-discover-")
            self.results = build_store(Path(self._temporary.name), self.runs)
        clock = StageClock(
            [
                (discover_module, "load_results", "reading"),
                (discover_module.METHODS, "prim", "PRIM"),
                (discover_module, "stability", "resampling"),
            ]
        )
        found, split = timed_stages(
            clock, lambda: discover_module.discover(self.results, OUTCOME), OTHER_STAGE
        )
        self.splits.append(split)
        self.boxes = len(found["boxes"])
        self.runs = found["runs"]


def cases() -> list[Case]:
    found = [
        Case("discover 1,000 runs (synthetic)", DiscoverCall(1_000), repeats=5),
        Case("discover 10,000 runs (synthetic)", DiscoverCall(TARGET_RUNS), TARGET_S, repeats=3),
    ]
    real = os.environ.get(RESULTS_VARIABLE)
    if real:
        call = DiscoverCall(results=Path(real))
        found.append(Case(f"discover on {real}", call, repeats=3))
    return found


def split_line(call: DiscoverCall) -> str:
    return (
        f"discover {call.label()} ({call.runs:,} ok runs, {call.boxes} boxes, {OUTCOME}), "
        + medians_text(call.splits, STAGES)
    )


def notes(results: list[Result]) -> list[str]:
    return [split_line(r.case.run) for r in results if isinstance(r.case.run, DiscoverCall)]


def main(argv: list[str] | None = None) -> int:
    return sizes_main(
        argv,
        "discover",
        [1_000, 10_000, 100_000],
        lambda runs, results: DiscoverCall(runs) if runs else DiscoverCall(results=results),
        split_line,
    )


if __name__ == "__main__":
    sys.exit(main())
