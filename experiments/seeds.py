"""Seeds and run ids: every run's identity is a pure function of the experiment, never of timing.

All randomness of an experiment descends from its master seed through numpy's `SeedSequence`:

    root = SeedSequence(master_seed)
    design stream         = root.spawn(2)[0]                    spawn key (0,)
    run (point, replicate) = root.spawn(2)[1].spawn(P)[point].spawn(R)[replicate]
                                                                spawn key (1, point, replicate)

Spawned children are fully determined by (entropy, spawn key), so the seed of run (p, r) is
computed directly from its spawn key, without spawning every sibling first, and it does not
depend on how many points or replicates the experiment has. Replicates of different design
points get independent streams (not common random numbers), which keeps the between-condition
tests of the report valid.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

DESIGN_STREAM = 0
RUN_STREAM = 1
# Seeds stay below 2**53 so they are exact wherever they travel (JSON, JavaScript, spreadsheets)
# while 53 bits keep accidental collisions negligible even for millions of runs.
SEED_BITS = 53
SEED_SCHEME = (
    "numpy SeedSequence(master_seed, spawn_key=(1, point, replicate)).generate_state(2, uint32) "
    f"folded into {SEED_BITS} bits; design sampling uses spawn_key=(0,)"
)


@dataclass(frozen=True, slots=True)
class PlannedRun:
    """One run of the experiment: where it sits in the design and the seed it gets."""

    run_id: int
    point: int
    replicate: int
    seed: int


def design_rng(master_seed: int) -> np.random.Generator:
    """The generator that samples LHS / Sobol / random design points."""
    return np.random.default_rng(np.random.SeedSequence(master_seed, spawn_key=(DESIGN_STREAM,)))


def run_seed(master_seed: int, point: int, replicate: int) -> int:
    """The seed of replicate `replicate` at design point `point` (a non-negative int < 2**53)."""
    sequence = np.random.SeedSequence(master_seed, spawn_key=(RUN_STREAM, point, replicate))
    high, low = (int(word) for word in sequence.generate_state(2, np.uint32))
    return ((high << 32) | low) >> (64 - SEED_BITS)


def run_id_of(point: int, replicate: int, replicates: int) -> int:
    """Runs are numbered point-major: all replicates of point 0, then of point 1, ..."""
    return point * replicates + replicate


def plan_runs(n_points: int, replicates: int, master_seed: int) -> Iterator[PlannedRun]:
    """Every run of the experiment in run_id order (lazily: the plan is never held in memory)."""
    for point in range(n_points):
        for replicate in range(replicates):
            yield PlannedRun(
                run_id=run_id_of(point, replicate, replicates),
                point=point,
                replicate=replicate,
                seed=run_seed(master_seed, point, replicate),
            )
