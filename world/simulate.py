"""One run, start to finish: the run loop every front door uses, and the run's result.

`advance` is the only loop that steps a model: the CLI (`play_out`), the Live page (a few
hours at a time) and the batch worker (`simulate`) all call it, with observers that watch
each hour (the story teller, the replay recorder, a deadline).

The digest hashes the whole trajectory (every metric of every tick, every event, the ending
and flags), so two runs with the same config and seed can be compared across processes.
"""

from __future__ import annotations

import gc
import hashlib
import json
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from configuration.loading import dump_resolved, validate_raw
from configuration.overrides import apply_overrides
from world.endings import HORIZON_ENDING
from world.endings import flags as ending_flags
from world.events import Event
from world.model import CallisterModel
from world.record_minds import belief_rows, feeling_rows

# Called with the model after every hour it advances.
Observer = Callable[[CallisterModel], None]


@dataclass
class RunResult:
    seed: int
    ticks: int
    ending: str
    ending_tick: int | None
    flags: dict[str, bool | str]
    crew: list[dict]
    events: list[Event]
    event_counts: dict[str, int]
    digest: str
    wall_s: float
    metrics: pd.DataFrame
    decisions: list[dict] = field(default_factory=list)
    beliefs_held: list[int] = field(default_factory=list)  # per decision: beliefs held then
    beliefs: list[dict] = field(default_factory=list)  # world.record_minds.belief_rows
    feelings: list[dict] = field(default_factory=list)  # every change of trust and grievance

    def summary(self) -> dict:
        """The JSON object `callister run --json` prints."""
        return {
            "seed": self.seed,
            "ticks": self.ticks,
            "ending": self.ending,
            "ending_tick": self.ending_tick,
            "flags": self.flags,
            "crew": self.crew,
            "events": [
                {"tick": e.tick, "kind": e.kind, "actors": list(e.actors), "text": e.text}
                for e in self.events
            ],
            "event_counts": self.event_counts,
            "digest": self.digest,
            "wall_s": round(self.wall_s, 4),
        }


def configure(config, *, ticks: int | None = None, trace: str | None = None):
    """The config with run-level overrides applied, validated like any `--set`."""
    overrides = {"simulation.ticks": ticks, "simulation.trace": trace}
    chosen = {key: value for key, value in overrides.items() if value is not None}
    return validate_raw(apply_overrides(dump_resolved(config), chosen), "run options")


def build_model(
    config, *, seed: int | None = None, ticks: int | None = None, trace: str | None = None
) -> CallisterModel:
    if ticks is not None or trace is not None:
        config = configure(config, ticks=ticks, trace=trace)
    with _collector_paused():
        return CallisterModel(config, seed=seed)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a model is built.

    A big galaxy allocates tens of thousands of objects that all live on; the collector would
    walk them again and again and find nothing (at 5,000 planets, nearly half the build).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def advance(
    model: CallisterModel, ticks: int | None = None, observers: Sequence[Observer] = ()
) -> int:
    """Step `model` up to `ticks` hours, or until it stops (None); returns how many ran.

    After each hour every observer sees the model, in order; one that raises stops the loop
    (the exception propagates, `model.steps` naming the hour it happened in).
    """
    ran = 0
    while model.running and (ticks is None or ran < ticks):
        model.step()
        ran += 1
        for observe in observers:
            observe(model)
    return ran


def play_out(
    model: CallisterModel, started: float, observers: Sequence[Observer] = ()
) -> RunResult:
    """Advance `model` to its end and collect its result; the model is released either way.

    `started` is the `time.perf_counter()` reading when the run began, for its wall time.
    """
    try:
        advance(model, observers=observers)
        return collect_result(model, time.perf_counter() - started)
    finally:
        model.release()


def simulate(
    config,
    *,
    seed: int | None = None,
    ticks: int | None = None,
    trace: str | None = None,
    observers: Sequence[Observer] = (),
) -> RunResult:
    """Run one simulation to its end (ending plus epilogue, or the horizon)."""
    started = time.perf_counter()
    return play_out(build_model(config, seed=seed, ticks=ticks, trace=trace), started, observers)


def collect_result(model: CallisterModel, wall_s: float) -> RunResult:
    metrics = model.datacollector.get_model_vars_dataframe()
    metrics.index = pd.RangeIndex(1, len(metrics) + 1, name="tick")
    flags = ending_flags(model)
    crew = [
        {"name": p.display_name, "role": p.role, "alive": bool(p.alive)}
        for p in [*model.fallen, model.captain, *model.crew]
    ]
    return RunResult(
        seed=int(model.seed),
        ticks=model.steps,
        ending=model.ending or HORIZON_ENDING,
        ending_tick=model.story.ending_tick,
        flags=flags,
        crew=crew,
        events=list(model.events.events),
        event_counts=dict(model.events.counts),
        digest=trajectory_digest(metrics, model.events.events, model.ending, flags),
        wall_s=wall_s,
        metrics=metrics,
        decisions=model.decisions,
        beliefs_held=list(model.beliefs_held),
        beliefs=belief_rows(model),
        feelings=feeling_rows(model),
    )


def trajectory_digest(
    metrics: pd.DataFrame, events: list[Event], ending: str | None, flags: dict
) -> str:
    digest = hashlib.sha256()
    digest.update(json.dumps(list(metrics.columns)).encode())
    digest.update(np.ascontiguousarray(metrics.to_numpy(dtype=np.float64)).tobytes())
    for event in events:
        digest.update(json.dumps([event.tick, event.kind, list(event.actors), event.text]).encode())
    digest.update(json.dumps([ending, flags], sort_keys=True).encode())
    return digest.hexdigest()[:32]
