"""Two futures of one replicate, replayed side by side: recomputed in this process, recorded.

A fork's report keeps each future's ending, not its story. To show the two futures of one
replicate, the page plays that pair again here with recorders watching: the prefix once (the
original run to T), then the baseline and the branch from copies of it, exactly as the
workers did (`experiments.fork_pairs.continue_pair`), so the digests match the report's.
Each future gets its own copy of the prefix's recording, so both start with the same past.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import pandas as pd

from experiments.fork_pairs import Fork, PairOutcome, continue_pair, simulate_prefix
from views.live_data import cast_rows, event_tuples, metrics_table
from world.record import ReplayRecorder, galaxy_snapshot
from world.simulate import collect_result

# The dashboard's futures keep every candidate of every decision, as the live page does.
FUTURES_TRACE = "full"


class FutureRecorder:
    """What one future looked like hour by hour: the replay's snapshots and the cast."""

    def __init__(self) -> None:
        self.replay = ReplayRecorder()
        self.casts: list[list[dict]] = []  # per hour: each character alive, health, doing

    def __call__(self, model) -> None:
        self.replay(model)
        self.casts.append(cast_rows(model))


class TwoRecorders:
    """An observer that records the first model it watches into one recorder, the next into
    another: `continue_pair` plays the baseline to its end, then the branch."""

    def __init__(self, baseline: FutureRecorder, branch: FutureRecorder) -> None:
        self.recorders = [baseline, branch]
        self.watching = None
        self.turn = -1

    def __call__(self, model) -> None:
        if model is not self.watching:
            self.watching, self.turn = model, self.turn + 1
        self.recorders[self.turn](model)


@dataclass
class RecordedFuture:
    """One future as the page draws it at any tick (1 … `ticks`)."""

    name: str  # "baseline" or "branch"
    digest: str
    ending: str
    ending_tick: int | None
    flags: dict
    metrics: pd.DataFrame  # indexed by tick
    events: list[tuple[int, str, str]]
    galaxy: dict  # `world.record.galaxy_snapshot`, every planet it ever had
    planets: dict[int, pd.DataFrame]  # tick -> planets rows
    scene: pd.DataFrame  # indexed by tick
    casts: list[list[dict]]  # casts[tick - 1]

    @property
    def ticks(self) -> int:
        return len(self.metrics)


@dataclass
class TwoFutures:
    """The baseline and the branch of one replicate, and where they part."""

    replicate: int
    at: int
    diverged_at: int | None
    baseline: RecordedFuture
    branch: RecordedFuture

    @property
    def ticks(self) -> int:
        return max(self.baseline.ticks, self.branch.ticks)


def _recorded(name: str, model, recorder: FutureRecorder) -> RecordedFuture:
    result = collect_result(model, 0.0)
    planets = recorder.replay.planets_frame()
    return RecordedFuture(
        name=name,
        digest=result.digest,
        ending=result.ending,
        ending_tick=result.ending_tick,
        flags=dict(result.flags),
        metrics=metrics_table(model),
        events=event_tuples(model),
        galaxy=galaxy_snapshot(model.galaxy),
        planets={int(tick): rows for tick, rows in planets.groupby("tick")},
        scene=recorder.replay.scene.frame().set_index("tick"),
        casts=recorder.casts,
    )


def replay_pair(fork: Fork, replicate: int, branch_config) -> tuple[TwoFutures, PairOutcome]:
    """Play replicate `replicate` of `fork` again, recording both futures from tick 1."""
    prefix_recorder = FutureRecorder()
    prefix = simulate_prefix(fork, trace=FUTURES_TRACE, observers=(prefix_recorder,))
    baseline, branch = copy.deepcopy(prefix_recorder), copy.deepcopy(prefix_recorder)
    kept: list = []
    try:
        outcome = continue_pair(
            prefix,
            fork,
            replicate,
            branch_config,
            observers=(TwoRecorders(baseline, branch),),
            keep=kept,
        )
        futures = TwoFutures(
            replicate=replicate,
            at=fork.at,
            diverged_at=outcome.diverged_at,
            baseline=_recorded("baseline", kept[0], baseline),
            branch=_recorded("branch", kept[1], branch),
        )
    finally:
        for model in (prefix, *kept):
            model.release()
    return futures, outcome


def cast_at(future: RecordedFuture, tick: int) -> list[dict]:
    """Who was alive, their health and what each was doing at `tick` (its last, if later)."""
    if not future.casts:
        return []
    return future.casts[min(max(tick, 1), len(future.casts)) - 1]


def events_until(future: RecordedFuture, tick: int) -> list[tuple[int, str, str]]:
    return [event for event in future.events if event[0] <= tick]
