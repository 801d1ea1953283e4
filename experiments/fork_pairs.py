"""One replicate of a fork: the baseline's future and the branch's, from the same state at T.

Both futures start from a copy of the prefix model. Replicate 0 keeps the run's own random
streams (its baseline is the original run); replicate k > 0 reseeds both futures from
(seed, T, k), so the two differ only through the change. The branch then follows the
changed config and any forced choice. A worker keeps the prefix it simulated in memory and
copies it for every pair, so each future costs only its suffix.
"""

from __future__ import annotations

import functools
import pickle
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa

from configuration.loading import validate_raw
from configuration.overrides import apply_with_origins
from experiments.worker import downsample, error_text
from world.branching import StateTrail, change_rules, copy_model, force_choice, reseed
from world.model import CallisterModel
from world.simulate import Observer, advance, build_model, collect_result


@dataclass(frozen=True, slots=True)
class Fork:
    """What a fork is, as plain data a worker process can rebuild it from."""

    base_raw: dict[str, Any]  # the resolved scenario, every key (configuration.dump_resolved)
    source: str  # where the scenario came from, for messages
    seed: int
    at: int  # hours already played when the branches part
    sets: tuple[str, ...] = ()  # `--set key=value` texts, applied to the branch from T
    forces: tuple[tuple[str, str], ...] = ()  # (character or role, action) taken at T + 1

    def branch_config(self) -> Any:
        raw, origins = apply_with_origins(self.base_raw, list(self.sets))
        return validate_raw(raw, f"{self.source} with the fork's --set", origins=origins)


@dataclass(frozen=True, slots=True)
class PairTask:
    """One replicate for a worker."""

    run_id: int  # the replicate: the runners key tasks by run_id
    fork: Fork
    series_every: int = 24


@dataclass(slots=True)
class Future:
    """What one branch of one replicate came to."""

    digest: str
    ending: str
    ending_tick: int | None
    ticks: int
    flags: dict[str, Any]
    event_counts: dict[str, int]
    crew_alive: int
    wall_s: float
    series: pa.Table | None = None


@dataclass(slots=True)
class PairOutcome:
    """Both futures of one replicate, where they part, and what happened in the branch."""

    replicate: int
    baseline: Future
    branch: Future
    diverged_at: int | None
    branch_events: list[dict[str, Any]] = field(default_factory=list)


def simulate_prefix(
    fork: Fork, trace: str = "off", observers: Sequence[Observer] = ()
) -> CallisterModel:
    """The original run, played for `fork.at` hours (it may have stopped sooner).

    `observers` watch each of those hours (the dashboard records the prefix to replay it).
    """
    config = validate_raw(fork.base_raw, fork.source)
    model = build_model(config, seed=fork.seed, trace=trace)
    advance(model, fork.at, observers=observers)
    return model


def continue_pair(
    prefix: CallisterModel,
    fork: Fork,
    replicate: int,
    branch_config: Any,
    *,
    series_every: int = 0,
    observers: Sequence[Observer] = (),
    keep: list | None = None,
) -> PairOutcome:
    """Play both futures of `replicate` from `prefix` (left untouched) to their ends.

    `observers` watch the baseline's hours first, then the branch's (each observer is told
    apart by the caller); `keep`, if given, receives the two finished models (not released).
    """
    futures, trails, runs = [], [], []
    for branch in (False, True):
        started = time.perf_counter()
        model = start_future(prefix, fork, replicate, branch_config if branch else None)
        trail = StateTrail()
        advance(model, observers=(trail, *observers))
        result = collect_result(model, time.perf_counter() - started)
        if keep is not None:
            keep.append(model)
        else:
            model.release()
        trails.append(trail)
        # only what the comparison reads: the baseline's whole result would stay alive (and be
        # walked by the garbage collector) all through the branch's run
        runs.append((result.metrics.to_numpy(), result.events))
        futures.append(_future(result, series_every, replicate))
        del result
    events = [
        {"tick": event.tick, "kind": event.kind} for event in runs[1][1] if event.tick > fork.at
    ]
    return PairOutcome(
        replicate=replicate,
        baseline=futures[0],
        branch=futures[1],
        diverged_at=diverged_at(runs[0], runs[1], trails[0], trails[1], fork.at),
        branch_events=events,
    )


def start_future(
    prefix: CallisterModel, fork: Fork, replicate: int, branch_config: Any | None
) -> CallisterModel:
    """A copy of `prefix` ready to play one future: the baseline's (no `branch_config`) or
    the branch's (its rules and the fork's forced choices), on the replicate's streams."""
    model = copy_model(prefix)
    if replicate > 0:
        reseed(model, fork.seed, fork.at, replicate)
    if branch_config is not None:
        change_rules(model, branch_config)
        for who, action in fork.forces:
            force_choice(model, who, action)
    return model


def _future(result: Any, series_every: int, run_id: int) -> Future:
    return Future(
        digest=result.digest,
        ending=result.ending,
        ending_tick=result.ending_tick,
        ticks=int(result.ticks),
        flags=dict(result.flags),
        event_counts={kind: int(n) for kind, n in result.event_counts.items()},
        crew_alive=sum(bool(member["alive"]) for member in result.crew),
        wall_s=result.wall_s,
        series=downsample(result.metrics, run_id, series_every, ()) if series_every else None,
    )


def diverged_at(
    base: tuple[np.ndarray, list],
    branch: tuple[np.ndarray, list],
    base_trail: StateTrail,
    branch_trail: StateTrail,
    at: int,
) -> int | None:
    """The first hour after `at` whose state differs between the branches; None if none does.

    `base` and `branch`: each run's metrics table (hours x metrics) and its events.
    """
    candidates = []
    (first, first_events), (second, second_events) = base, branch
    shared = min(len(first), len(second))
    same = (first[:shared] == second[:shared]) | (
        np.isnan(first[:shared]) & np.isnan(second[:shared])
    )
    differing = np.flatnonzero(~same.all(axis=1))
    if len(differing):
        candidates.append(int(differing[0]) + 1)  # metrics rows are hours 1, 2, ...
    if len(first) != len(second):
        candidates.append(shared + 1)
    candidates.extend(_first_event_difference(first_events, second_events))
    for hour, (one, other) in enumerate(
        zip(base_trail.hours, branch_trail.hours, strict=False), at + 1
    ):
        if one != other:
            candidates.append(hour)
            break
    return min(candidates) if candidates else None


def _first_event_difference(first: list, second: list) -> list[int]:
    for one, other in zip(first, second, strict=False):
        if _event_key(one) != _event_key(other):
            return [min(one.tick, other.tick)]
    if len(first) != len(second):
        extra = first[len(second)] if len(first) > len(second) else second[len(first)]
        return [extra.tick]
    return []


def _event_key(event: Any) -> tuple:
    return (event.tick, event.kind, tuple(event.actors), event.text)


@dataclass(frozen=True, slots=True)
class PairFailure:
    """A replicate whose futures raised: the fork goes on without it, and says why."""

    replicate: int
    error: str


def execute_pair(task: PairTask) -> PairOutcome | PairFailure:
    """A worker's job: both futures of one replicate, from the prefix this worker keeps.

    Never raises for a failing future: a scenario the schema accepts may still fail in play,
    and that is a result to report, not a broken worker.
    """
    fork = task.fork
    key = pickle.dumps((fork.base_raw, fork.source, fork.seed, fork.at, fork.sets))
    try:
        prefix, branch_config = _prepared(key)
        return continue_pair(
            prefix, fork, task.run_id, branch_config, series_every=task.series_every
        )
    except Exception as error:
        return PairFailure(task.run_id, error_text(error))


@functools.lru_cache(maxsize=2)
def _prepared(key: bytes) -> tuple[CallisterModel, Any]:
    """The prefix model and the branch's config of a fork, made once per worker process."""
    base_raw, source, seed, at, sets = pickle.loads(key)
    fork = Fork(base_raw, source, seed, at, sets)
    return simulate_prefix(fork), fork.branch_config()
