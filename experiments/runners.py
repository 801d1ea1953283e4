"""Executors: local worker processes or a Dask cluster, behind `concurrent.futures`.

Both backends hand out a `concurrent.futures.Executor`, so the batch loop is the same:

- local (default): a `LocalPool` (local_pool.py) of `--workers` processes kept warm for the
  whole batch, each given one run at a time, so a worker that dies costs only its own run and
  a run over the time limit can be killed. Workers are forked from a `forkserver` that
  imported the world once (never a fork of the threaded driver), so N workers do not each
  spend a second importing it, all at once, on the same cores; `spawn` where there is no
  forkserver (Windows);
- `--dask local`: a `LocalCluster` of `--workers` single-threaded worker processes;
- `--dask tcp://HOST:PORT`: an existing scheduler (`dask scheduler` + `dask worker`, or
  dask-jobqueue on SLURM); capacity follows the cluster as workers join or leave.

`drive()` keeps a bounded number of runs in flight (about two per worker slot), so the driver
holds O(workers) results at a time and its memory does not grow with the number of runs. A run
whose worker died is given to another worker once; if that one dies too, the run is recorded
as failed and the batch goes on.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import logging
import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from configuration.errors import UserError
from experiments.local_pool import LocalPool
from experiments.run_failures import RunTimedOut, WorkerDied, WorkerStartFailed

IN_FLIGHT_PER_SLOT = 2
# What a local worker imports before its first run: the world, a second of imports. Mesa
# first: its import calls `inspect.stack()`, which walks every module already loaded, so it
# costs half as much (70 ms less, `python -X importtime`) before pydantic and pyarrow load.
# Then the compiled players' hour: numba and LLVM start once, in the forkserver, not in each
# worker (no threads are started, so forking after them is safe).
WORKER_MODULES = ("mesa", "experiments.worker", "world.simulate", "world.players_hour")
CAPACITY_REFRESH_S = 5.0


class BackendFailure(Exception):
    """The execution backend itself broke (a worker process died, the cluster went away)."""


@dataclass
class Backend:
    """An open executor, a description for humans, and how many runs it can take at once."""

    executor: cf.Executor
    description: str
    slots: Callable[[], int]


def default_workers() -> int:
    """The cores this process may use (respects taskset/cgroup affinity where visible)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@contextlib.contextmanager
def open_backend(
    workers: int,
    dask: str | None,
    initializer: Callable[[], None],
    time_limit_s: float | None = None,
) -> Iterator[Backend]:
    """The executor for `--workers` / `--dask`; shut down (runs in flight cancelled) on exit.

    `time_limit_s`: the local pool kills a run's worker shortly after it (runs stop themselves
    at the limit between ticks; Dask cannot kill a running task, so there that is all).
    """
    if dask is None:
        with _local_pool(workers, initializer, time_limit_s) as backend:
            yield backend
    else:
        with _dask(workers, dask) as backend:
            yield backend


def start_worker_imports() -> None:
    """Start importing what local workers need now, in the background (the forkserver).

    Called before the driver's own imports and validation, so that the two overlap: both
    take a second or so, and a batch of a few dozen runs feels every second of start-up.
    """
    _local_context()


def stop_worker_imports() -> None:
    """Stop the forkserver now (its workers are gone), not whenever it notices we have exited.

    Mid-import it notices nothing: after bad input, `callister batch ... | tee log` would wait
    a second and a half for it to let go of the pipe it inherited.
    """
    from multiprocessing import forkserver

    server = forkserver._forkserver  # the module's own singleton; no public handle exists
    pid = getattr(server, "_forkserver_pid", None)
    if pid is None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    stop = getattr(server, "_stop", None)  # CPython 3.8+: reaps it and forgets it, so a later
    if stop is not None:  # batch in this process starts a new one
        stop()


def _local_context() -> multiprocessing.context.BaseContext:
    if "forkserver" not in multiprocessing.get_all_start_methods():  # pragma: no cover
        return multiprocessing.get_context("spawn")  # Windows
    from multiprocessing import forkserver

    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(list(WORKER_MODULES))
    forkserver.ensure_running()  # a no-op when it already runs
    return context


@contextlib.contextmanager
def _local_pool(
    workers: int, initializer: Callable[[], None], time_limit_s: float | None
) -> Iterator[Backend]:
    pool = LocalPool(workers, _local_context(), initializer, time_limit_s)
    try:
        noun = "process" if workers == 1 else "processes"
        yield Backend(pool, f"{workers} local worker {noun}", lambda: workers)
    except BaseException:
        # Stop the runs in flight now (Ctrl-C, an error): nobody would collect their results.
        # Workers ignore SIGINT (the driver alone decides), so without this a Ctrl-C would
        # wait for every run in flight to finish.
        pool.terminate()
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


@contextlib.contextmanager
def _dask(workers: int, address: str) -> Iterator[Backend]:
    try:
        from distributed import Client, LocalCluster
    except ImportError:  # pragma: no cover - dask[distributed] is a dependency
        raise UserError("--dask needs the dask[distributed] package") from None
    with contextlib.ExitStack() as stack:
        if address == "local":
            cluster = stack.enter_context(
                LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=":0",  # any free port: never clash with another cluster
                    silence_logs=logging.ERROR,
                )
            )
            client = stack.enter_context(Client(cluster))
            description = f"a local Dask cluster of {workers} worker processes"
        else:
            try:
                client = stack.enter_context(Client(address, timeout="10s"))
            except (OSError, TimeoutError, ValueError) as error:
                raise UserError(
                    f"--dask {address}: cannot reach a Dask scheduler there ({error}). Start one "
                    "with `dask scheduler` and workers with `dask worker ADDRESS`, or use "
                    "--dask local."
                ) from None
            description = f"the Dask cluster at {address}"
        # pure=False: identical arguments must still run (and never be served from a cache).
        executor = client.get_executor(pure=False)

        def slots() -> int:
            return max(1, sum(client.nthreads().values()))

        try:
            yield Backend(executor, description, slots)
        finally:
            executor.shutdown(wait=False)


def drive(
    backend: Backend,
    function: Callable[[Any], Any],
    tasks: Iterable[Any],
    on_result: Callable[[Any, Any], None],
    on_crash: Callable[[Any, str], None],
    on_idle: Callable[[], None] | None = None,
) -> None:
    """Submit `function(task)` for every task with bounded concurrency; call `on_result`.

    `on_result(task, result)` runs in the driver, in completion order; anything that must not
    depend on that order (file names, tables) is keyed by the task's run_id. `function` never
    raises for a bad run, so a failed future means the machinery broke. When the broken run is
    known, `on_crash(task, message)` records it and the batch goes on: a local worker that
    died running it (the run is tried once more first, on another worker), a local run killed
    over the time limit, a run that killed its Dask workers repeatedly (Dask's KilledWorker).
    Anything else (workers that cannot start, a lost cluster) raises `BackendFailure`.

    `on_idle()` is called once, when every task has been handed out and a worker slot stands
    idle while the last runs finish: end-of-batch work done then costs no time at the end.
    """
    pending: dict[cf.Future, Any] = {}
    died_once: set[int] = set()  # run_ids whose worker died once already
    task_iter = iter(tasks)
    exhausted = False
    slots, checked = backend.slots(), time.monotonic()
    while True:
        while not exhausted and len(pending) < _limit(slots):
            task = next(task_iter, None)
            if task is None:
                exhausted = True
                break
            pending[backend.executor.submit(function, task)] = task
        if not pending:
            return
        if on_idle is not None and exhausted and len(pending) < slots:
            on_idle()
            on_idle = None
        done, _ = cf.wait(pending, timeout=CAPACITY_REFRESH_S, return_when=cf.FIRST_COMPLETED)
        for future in sorted(done, key=lambda f: pending[f].run_id):
            task = pending.pop(future)
            try:
                result = future.result()
            except WorkerDied as error:
                if task.run_id not in died_once:  # maybe not its fault: try it once more
                    died_once.add(task.run_id)
                    pending[backend.executor.submit(function, task)] = task
                    continue
                on_crash(task, f"{error} twice; killed from outside, or out of memory?")
                continue
            except RunTimedOut as error:
                on_crash(task, str(error))
                continue
            except Exception as error:
                if type(error).__name__ == "KilledWorker":
                    on_crash(task, f"the run killed its Dask worker repeatedly ({error})")
                    continue
                raise BackendFailure(_describe_failure(error)) from error
            on_result(task, result)
        if time.monotonic() - checked >= CAPACITY_REFRESH_S:
            slots, checked = backend.slots(), time.monotonic()


def _limit(slots: int) -> int:
    return max(2, IN_FLIGHT_PER_SLOT * slots)


def _describe_failure(error: BaseException) -> str:
    if isinstance(error, WorkerStartFailed):
        return str(error)
    return f"the execution backend failed: {type(error).__name__}: {error}"
