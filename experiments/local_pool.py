"""Local worker processes that take one run at a time, so the driver knows which run each holds.

`concurrent.futures.ProcessPoolExecutor` cannot say which task a dead worker was running: one
worker killed (SIGKILL, the kernel's out-of-memory killer) breaks the whole pool and fails
every run in flight, so a batch could only stop. This pool talks to each worker over its own
pipe instead:

- a worker that dies fails only its own run's future, with `WorkerDied` (signal or exit code),
  and a fresh worker takes its place;
- a run that is still going `KILL_GRACE_S` after the time limit has its worker killed, and its
  future fails with `RunTimedOut` (a run checks the limit itself between ticks: the kill is
  for one stuck inside a step);
- a worker that dies before it is ready (its initializer failed) fails every run still
  waiting for a worker, and every later one, with `WorkerStartFailed`: the machinery is
  broken, not a run. Runs already going on other workers still finish.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import pickle
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.context import BaseContext
from multiprocessing.process import BaseProcess
from typing import Any

from experiments.run_failures import RunTimedOut, WorkerDied, WorkerStartFailed, describe_exit

KILL_GRACE_S = 2.0
_READY = "ready"
_JOIN_S = 5.0


@dataclass
class _Job:
    future: cf.Future
    function: Callable[..., Any]
    arguments: tuple[Any, ...]


@dataclass
class _Worker:
    process: BaseProcess
    connection: Connection
    ready: bool = False
    job: _Job | None = None
    started: float = 0.0  # time.monotonic() when `job` was handed over


def _serve(connection: Connection, initializer: Callable[[], None] | None) -> None:
    """A worker's life: initialise, say so, then run what arrives until told to stop."""
    if initializer is not None:
        initializer()
    connection.send(_READY)
    while True:
        try:
            message = connection.recv()
        except EOFError:  # the driver is gone
            message = None
        if message is None:
            return
        function, arguments = message
        try:
            reply = (True, function(*arguments))
        except Exception as error:  # the driver decides what an exception means
            reply = (False, error)
        except BaseException as error:  # SystemExit must not end the driver
            reply = (False, RuntimeError(f"the run raised {error!r}"))
        try:
            connection.send(reply)
        except Exception as error:  # an unpicklable result or exception
            connection.send((False, RuntimeError(f"the result could not be sent: {error!r}")))


def _settle(future: cf.Future, result: Any = None, error: BaseException | None = None) -> None:
    """Give `future` its outcome once; a future already settled (or cancelled) keeps its own."""
    if future.done():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)


class LocalPool(cf.Executor):
    """Up to `workers` processes of `context`, started as needed, one job at a time each."""

    def __init__(
        self,
        workers: int,
        context: BaseContext,
        initializer: Callable[[], None] | None = None,
        time_limit_s: float | None = None,
    ) -> None:
        self.workers = workers
        self.time_limit_s = time_limit_s
        self._context = context
        self._initializer = initializer
        self._queue: deque[_Job] = deque()
        self._lock = threading.Lock()
        self._running: list[_Worker] = []
        self._stopping = False
        self._broken: str | None = None
        self._wake_reader, self._wake_writer = context.Pipe(duplex=False)
        self._thread = threading.Thread(target=self._manage, name="local-pool", daemon=True)
        self._thread.start()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> cf.Future:
        if kwargs:
            raise TypeError("LocalPool.submit takes positional arguments only")
        future: cf.Future = cf.Future()
        with self._lock:
            if self._stopping:
                raise RuntimeError("cannot submit to a pool that is shutting down")
            if self._broken is not None:
                future.set_exception(WorkerStartFailed(self._broken))
                return future
            self._queue.append(_Job(future, fn, args))
        self._wake()
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        with self._lock:
            self._stopping = True
            if cancel_futures:
                while self._queue:
                    self._queue.popleft().future.cancel()
        self._wake()
        if wait:
            self._thread.join()

    def terminate(self) -> None:
        """Kill every worker now (Ctrl-C, an error): nobody will collect their results."""
        self.shutdown(wait=False, cancel_futures=True)
        for worker in list(self._running):
            with contextlib.suppress(Exception):
                worker.process.kill()

    # -- the manager thread: the only one that touches workers and their pipes ------------

    def _wake(self) -> None:
        with contextlib.suppress(OSError):  # the manager has finished: nothing to wake
            self._wake_writer.send_bytes(b"")

    def _manage(self) -> None:
        try:
            while True:
                with self._lock:
                    self._dispatch()
                    busy = any(worker.job is not None for worker in self._running)
                    if self._stopping and not busy and not self._queue:
                        return
                handles: list[Any] = [self._wake_reader]
                for worker in self._running:
                    handles += [worker.connection, worker.process.sentinel]
                ready = wait(handles, timeout=self._next_deadline())
                while self._wake_reader.poll():
                    self._wake_reader.recv_bytes()
                for worker in list(self._running):
                    if worker.connection in ready or worker.process.sentinel in ready:
                        self._hear(worker)
                self._enforce_time_limit()
        except BaseException as error:  # never leave a future waiting on a dead manager
            self._fail_everything(f"the local worker pool failed: {error!r}")
            raise
        finally:
            self._stop_workers()

    def _dispatch(self) -> None:
        """Hand queued jobs to idle ready workers; start workers while there is work for them."""
        idle = [w for w in self._running if w.ready and w.job is None]
        while self._queue and idle:
            job = self._queue.popleft()
            if not job.future.set_running_or_notify_cancel():
                continue
            worker = idle.pop()
            worker.job, worker.started = job, time.monotonic()
            with contextlib.suppress(OSError, ValueError):  # it just died: its sentinel says so
                worker.connection.send((job.function, job.arguments))
        starting = sum(not w.ready for w in self._running)
        while len(self._running) < self.workers and starting < len(self._queue):
            self._start_worker()
            starting += 1

    def _start_worker(self) -> None:
        ours, theirs = self._context.Pipe()
        process = self._context.Process(
            target=_serve, args=(theirs, self._initializer), name="callister-worker", daemon=True
        )
        process.start()
        theirs.close()
        self._running.append(_Worker(process, ours))

    def _hear(self, worker: _Worker) -> None:
        """A message from `worker`, or its death."""
        try:
            data = worker.connection.recv_bytes()
        except (EOFError, OSError):
            self._bury(worker)
            return
        try:
            message = pickle.loads(data)
        except Exception as error:  # a reply this process cannot rebuild
            message = (False, RuntimeError(f"the worker's reply could not be read: {error!r}"))
        if message == _READY:
            worker.ready = True
            return
        job, worker.job = worker.job, None
        if job is not None:
            succeeded, payload = message
            _settle(job.future, payload if succeeded else None, None if succeeded else payload)

    def _bury(self, worker: _Worker) -> None:
        """`worker` died: fail its job, or the whole pool if it never became ready."""
        worker.process.join(_JOIN_S)
        exit_code = worker.process.exitcode
        self._forget(worker)
        if not worker.ready:
            if not self._stopping:
                self._fail_everything(
                    f"a worker process died while starting ({describe_exit(exit_code)})"
                )
            return
        if worker.job is not None:
            _settle(worker.job.future, error=WorkerDied(exit_code))

    def _fail_everything(self, reason: str) -> None:
        """No worker can start: fail what waits for one; runs already going may finish."""
        with self._lock:
            self._broken = reason
            jobs = list(self._queue)
            self._queue.clear()
        for job in jobs:
            _settle(job.future, error=WorkerStartFailed(reason))

    def _next_deadline(self) -> float | None:
        """Seconds until the first run in flight must be killed (None: no limit, or idle)."""
        started = [w.started for w in self._running if w.job is not None]
        if self.time_limit_s is None or not started:
            return None
        return max(0.0, min(started) + self.time_limit_s + KILL_GRACE_S - time.monotonic())

    def _enforce_time_limit(self) -> None:
        if self.time_limit_s is None:
            return
        now = time.monotonic()
        for worker in list(self._running):
            job = worker.job
            if job is None or now - worker.started < self.time_limit_s + KILL_GRACE_S:
                continue
            worker.process.kill()
            worker.process.join(_JOIN_S)
            self._forget(worker)
            _settle(job.future, error=RunTimedOut(self.time_limit_s))

    def _forget(self, worker: _Worker) -> None:
        self._running.remove(worker)
        worker.connection.close()
        with contextlib.suppress(ValueError):  # still running after the join timeout
            worker.process.close()

    def _stop_workers(self) -> None:
        """Ask idle workers to leave, kill busy or starting ones, and wait for all of them."""
        for worker in self._running:
            with contextlib.suppress(OSError, ValueError):
                if worker.job is None and worker.ready:
                    worker.connection.send(None)
                else:
                    worker.process.kill()
        deadline = time.monotonic() + _JOIN_S
        for worker in self._running:
            worker.process.join(max(0.0, deadline - time.monotonic()))
            if worker.process.exitcode is None:
                worker.process.kill()
                worker.process.join()
            if worker.job is not None:
                _settle(worker.job.future, error=WorkerDied(worker.process.exitcode))
            worker.connection.close()
        self._running.clear()
        # The writer stays open: a late `_wake` from the driver then fails quietly (EPIPE).
        self._wake_reader.close()
