"""What a worker process does for one run: build its config, simulate, summarise, never raise.

This module is imported once per worker process (the local pool's initializer imports it; a
Dask worker imports it with the first task), so the world's modules stay warm between runs.
Tasks carry plain data only (the base scenario as a raw TOML table), so they pickle the same
way to a local process or to a Dask worker on another machine.
"""

from __future__ import annotations

import functools
import gc
import math
import os
import pickle
import select
import signal
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa

from configuration.errors import UserError
from configuration.loading import ConfigError
from experiments.codehash import code_fingerprint
from experiments.records import (
    STATUS_FAILED,
    STATUS_OK,
    event_column,
    events_table,
    parameter_cell,
)
from experiments.run_failures import RunTimedOut
from experiments.scenario import run_config

MAX_ERROR_CHARS = 4000


@dataclass(frozen=True, slots=True)
class RunTask:
    """Everything a worker needs for one run (plain, picklable data)."""

    run_id: int
    point: int
    replicate: int
    seed: int
    attempt: int
    values: dict[str, Any]
    base_raw: dict[str, Any]
    base_source: str
    series_every: int = 24
    series_columns: tuple[str, ...] = ()
    time_limit_s: float | None = None  # `--run-timeout`: the run stops itself between ticks
    keep_events: bool = False  # return the run's events for events.parquet


@dataclass(slots=True)
class RunOutcome:
    """What comes back from a worker: the run's summary and its downsampled series."""

    run_id: int
    status: str
    wall_s: float
    ending: str | None = None
    digest: str | None = None
    ticks: int | None = None
    crew_alive: int | None = None
    flags: dict[str, Any] = field(default_factory=dict)
    event_counts: dict[str, int] = field(default_factory=dict)
    error: str | None = None
    series: pa.Table | None = None
    code: str | None = None
    events: pa.Table | None = None

    def row(self, task: RunTask, schema: pa.Schema) -> dict[str, Any]:
        """The runs.parquet row of one finished run (identity, design values, outcome)."""
        row: dict[str, Any] = {
            "run_id": task.run_id,
            "point": task.point,
            "replicate": task.replicate,
            "seed": task.seed,
            "attempt": task.attempt,
            "status": self.status,
            "ending": self.ending,
            "digest": self.digest,
            "ticks": self.ticks,
            "crew_alive": self.crew_alive,
            "wall_s": None if math.isnan(self.wall_s) else round(self.wall_s, 4),
            "error": self.error,
            "code": self.code,
        }
        for key, value in task.values.items():
            row[key] = parameter_cell(value, schema.field(key).type)
        for name, value in self.flags.items():
            if schema.get_field_index(name) >= 0:
                row[name] = value
        for kind, count in self.event_counts.items():
            row[event_column(kind)] = count
        return row


def local_initializer() -> Callable[[], None]:
    """What each local worker runs first, bound to this (the driver's) process id."""
    return functools.partial(warm_up, os.getpid())


def warm_up(driver: int) -> None:
    """Local pool initializer: leave Ctrl-C to the driver, exit with it, load the world now."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _exit_with_driver(driver)
    import world.simulate  # noqa: F401  (seconds of imports, paid once per worker)
    from world.population import compiled_hour

    # numba and the compiled players' hour before the first run: already there when forked
    # from the forkserver (it preloads them), ~0.6 s in a spawned worker (Windows)
    compiled_hour()
    code_fingerprint()  # hash the code as it is when imported, not minutes later
    # What is loaded now lives as long as the worker: out of the collector's sight, the
    # full collections of later runs need not walk it again (a default run's collections
    # took 4.4 ms of CPU, 2.0 ms so). When the collector runs changes no result.
    gc.freeze()


def _exit_with_driver(driver: int, poll_s: float = 1.0) -> None:
    """Exit as soon as the driver (process id `driver`) is gone, say after a `kill -9` of it.

    Nobody would collect this worker's results any more, and a pool worker whose driver died
    otherwise waits forever on its task queue. The driver need not be the parent: workers are
    forked by a forkserver, which in turn stays up for as long as any worker does.
    """
    try:
        handle = os.pidfd_open(driver)  # Linux: readable once the driver has exited
    except (AttributeError, OSError):
        handle = None

    def watch() -> None:
        if handle is not None:
            select.select([handle], [], [])
        else:  # elsewhere: poll (a zombie driver counts as alive until reaped)
            while _alive(driver):
                time.sleep(poll_s)
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-driver", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, PermissionError):  # gone, or its pid now someone else's
        return False
    return True


def execute_run(task: RunTask) -> RunOutcome:
    """Run one simulation. Any exception becomes a failed outcome carrying its error text."""
    # Imported here, not at module level: the batch driver imports this module for the task
    # types and needs only the cast's catalogs (for the schema), not the simulation's rules;
    # workers have it warm already.
    from world.simulate import simulate

    started = time.perf_counter()
    try:
        config = _point_config(pickle.dumps((task.base_raw, task.base_source, task.values)))
        result = simulate(config, seed=task.seed, observers=_deadline(task, started))
    except Exception as error:  # a failing run is data: the batch goes on
        return RunOutcome(
            run_id=task.run_id,
            status=STATUS_FAILED,
            wall_s=time.perf_counter() - started,
            error=str(error) if isinstance(error, RunTimedOut) else error_text(error),
            code=code_fingerprint(),
        )
    return RunOutcome(
        run_id=task.run_id,
        status=STATUS_OK,
        wall_s=time.perf_counter() - started,
        ending=result.ending,
        digest=result.digest,
        ticks=int(result.ticks),
        crew_alive=sum(bool(member.get("alive")) for member in result.crew),
        flags=dict(result.flags),
        event_counts={kind: int(n) for kind, n in result.event_counts.items()},
        series=downsample(result.metrics, task.run_id, task.series_every, task.series_columns),
        code=code_fingerprint(),
        events=events_table(task.run_id, result.events) if task.keep_events else None,
    )


@functools.lru_cache(maxsize=8)
def _point_config(task_scenario: bytes) -> Any:
    """The validated scenario of a design point (base, source and values, pickled), traces off.

    Validating a scenario costs a tenth of a default run, and every replicate of a point runs
    the same one: a worker validates each point once. Equal pickles are equal scenarios; the
    models are frozen, so runs can share one.
    """
    base_raw, source, values = pickle.loads(task_scenario)
    return run_config(base_raw, source, {**values, "simulation.trace": "off"})


def _deadline(task: RunTask, started: float) -> tuple[Callable[[Any], None], ...]:
    """An observer that stops the run once it has taken longer than its time limit, if any.

    Checked between ticks, so it works on every backend (Dask cannot kill a running task);
    a run stuck inside one tick is the local pool's to kill.
    """
    limit = task.time_limit_s
    if limit is None:
        return ()
    deadline = started + limit

    def check(model: Any) -> None:
        if time.perf_counter() > deadline:
            raise RunTimedOut(limit)

    return (check,)


def downsample(metrics: Any, run_id: int, every: int, columns: tuple[str, ...]) -> pa.Table | None:
    """Every `every`-th tick of the per-tick metrics (and the last one), as float columns.

    Columns are cast to float64 so that every run's series has the same schema whatever
    values it happened to take; `tick` and `run_id` stay integers.
    """
    if every <= 0 or metrics is None or len(metrics) == 0:
        return None
    frame = metrics.reset_index(drop="tick" in metrics.columns)
    if "tick" not in frame.columns:
        frame = frame.rename(columns={frame.columns[0]: "tick"})
    ticks = frame["tick"].to_numpy(dtype=np.int64)
    keep = (ticks % every == 0) | (np.arange(len(ticks)) == len(ticks) - 1)
    chosen = [c for c in (columns or frame.columns) if c != "tick" and c in frame.columns]
    numeric = [c for c in chosen if _is_numeric(frame[c].dtype)]
    arrays = {
        "run_id": pa.array(np.full(int(keep.sum()), run_id, dtype=np.int64)),
        "tick": pa.array(ticks[keep]),
    }
    for column in numeric:
        arrays[str(column)] = pa.array(frame[column].to_numpy(dtype=np.float64)[keep])
    return pa.table(arrays)


def _is_numeric(dtype: Any) -> bool:
    return np.issubdtype(np.dtype(dtype), np.number) or np.dtype(dtype) == np.bool_


def error_text(error: BaseException) -> str:
    """The message users need; for code errors also where it happened (last frames)."""
    if isinstance(error, ConfigError):  # the base file's path is the same for every run: omit it
        issues = "; ".join(f"{issue.key}: {issue.message}" for issue in error.issues)
        return f"invalid config for this run: {issues}"
    if isinstance(error, UserError):
        return f"invalid config for this run: {error}"
    frames = traceback.format_exception(type(error), error, error.__traceback__, limit=-4)
    text = "".join(frames).strip()
    return text if len(text) <= MAX_ERROR_CHARS else "..." + text[-MAX_ERROR_CHARS:]
