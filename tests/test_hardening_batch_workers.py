"""A run that kills its local worker, or runs too long, costs only itself.

The driver's bookkeeping is checked through `drive()` with module-level functions (workers
import this module to unpickle them): a run that kills its worker is tried once more on
another, then recorded as failed; every other run finishes. One end-to-end batch checks a real
`--run-timeout`.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from configuration.errors import UserError
from experiments.batch import BatchOptions, run_batch
from experiments.run_failures import WorkerDied, WorkerStartFailed
from experiments.runners import BackendFailure, drive, open_backend

RUNS = 6
DOOMED = 3  # the run_id that kills its worker


pytestmark = pytest.mark.usefixtures("workers_from_a_plain_process")


@dataclass(frozen=True)
class Task:
    run_id: int
    log: Path  # each attempt appends its run_id here, so the test can count them
    behaviour: str = "kill"


def ready() -> None:
    """The workers' initializer: nothing to load."""


def broken_start() -> None:
    raise RuntimeError("this worker cannot start")


def run(task: Task) -> str:
    with task.log.open("a") as log:
        log.write(f"{task.run_id}\n")
    if task.run_id == DOOMED:
        tries = task.log.read_text().count(f"{DOOMED}\n")
        if task.behaviour == "kill" or (task.behaviour == "kill once" and tries == 1):
            os.kill(os.getpid(), signal.SIGKILL)
        if task.behaviour == "hang":
            time.sleep(600)
    return f"run {task.run_id} done"


def drive_all(tmp_path: Path, behaviour: str, time_limit_s: float | None = None, start=ready):
    log = tmp_path / "attempts.log"
    tasks = [Task(run_id, log, behaviour) for run_id in range(RUNS)]
    results: dict[int, str] = {}
    crashes: dict[int, str] = {}
    with open_backend(2, None, start, time_limit_s) as backend:
        drive(backend, run, tasks, lambda t, r: results.__setitem__(t.run_id, r),
              lambda t, m: crashes.__setitem__(t.run_id, m))  # fmt: skip
    attempts = [int(line) for line in log.read_text().split()] if log.exists() else []
    return results, crashes, attempts


def test_a_run_that_kills_its_worker_is_retried_once_then_recorded_as_failed(tmp_path):
    results, crashes, attempts = drive_all(tmp_path, "kill")
    assert crashes == {DOOMED: crashes[DOOMED]}
    assert crashes[DOOMED].startswith("worker process died (signal 9) twice")
    assert attempts.count(DOOMED) == 2  # once, and once more on a fresh worker
    assert results == {i: f"run {i} done" for i in range(RUNS) if i != DOOMED}
    assert sorted(attempts) == sorted([*range(RUNS), DOOMED])  # nothing else ran twice


def test_a_run_whose_worker_died_once_succeeds_on_its_retry(tmp_path):
    results, crashes, attempts = drive_all(tmp_path, "kill once")
    assert crashes == {} and attempts.count(DOOMED) == 2
    assert results == {i: f"run {i} done" for i in range(RUNS)}


@pytest.mark.timeout(120)  # not the 600 s the run would sleep
def test_a_run_stuck_past_the_time_limit_has_its_worker_killed(tmp_path):
    results, crashes, _ = drive_all(tmp_path, "hang", time_limit_s=0.5)
    assert crashes == {DOOMED: "timed out after 0.5 s"}
    assert results == {i: f"run {i} done" for i in range(RUNS) if i != DOOMED}


def test_workers_that_cannot_start_stop_the_batch(tmp_path):
    with pytest.raises(BackendFailure, match=r"a worker process died while starting"):
        drive_all(tmp_path, "kill", start=broken_start)


@pytest.mark.parametrize("seconds", [0, -3, float("nan"), float("inf")])
def test_a_run_timeout_must_be_a_positive_number_of_seconds(tmp_path, seconds):
    options = BatchOptions(experiment=tmp_path / "x.toml", run_timeout=seconds)
    with pytest.raises(UserError, match=r"--run-timeout .*: give a positive number of seconds"):
        run_batch(options)


@pytest.mark.slow
def test_a_batch_stops_a_run_over_its_time_limit_and_finishes_the_rest(
    tmp_path, default_config_path
):
    """End to end: run 1 takes ~10 s here (20,000 hours, the crew never finding the way to the
    Heart), run 0 ~0.1 s; a 2 s limit stops 1."""
    shutil.copyfile(default_config_path, tmp_path / "base.toml")
    experiment = tmp_path / "long.toml"
    experiment.write_text(
        '[experiment]\nname = "long"\nconfig = "base.toml"\nseed = 2\n'
        '[parameters]\n"simulation.ticks" = [30, 20000]\n'
        '[fixed]\n"world.epilogue" = 20000\n"world.quarters_discovery_chance" = 0\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "callister", "batch", str(experiment), "--out", str(out),
         "--workers", "2", "--run-timeout", "2", "--quiet"],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr  # finished, with a failed run
    assert "1 failed in all" in done.stderr and "Traceback" not in done.stderr
    runs = pq.read_table(out / "runs.parquet").to_pandas().set_index("run_id")
    assert runs.loc[0, "status"] == "ok"
    assert runs.loc[1, "status"] == "failed" and runs.loc[1, "error"] == "timed out after 2 s"
    # Stopped by its own check between ticks (the worker lives on), not killed: a killed
    # run's row has no wall time and no code fingerprint.
    assert runs.loc[1, "wall_s"] >= 2 and runs.loc[1, "code"] == runs.loc[0, "code"]


def start_unless_flagged(flag: Path) -> None:
    """An initializer that fails once `flag` exists, like a replacement worker out of memory."""
    if flag.exists():
        raise SystemExit(3)


def sleep_then_answer(seconds: float) -> str:
    time.sleep(seconds)
    return "finished"


def flag_and_die(flag: Path) -> None:
    flag.touch()
    os.kill(os.getpid(), signal.SIGKILL)


def test_a_replacement_that_cannot_start_spares_the_runs_already_going(tmp_path):
    flag = tmp_path / "no-more-workers"
    with open_backend(2, None, partial(start_unless_flagged, flag), None) as backend:
        pool = backend.executor
        going = pool.submit(sleep_then_answer, 2.0)
        dying = pool.submit(flag_and_die, flag)
        waiting = pool.submit(sleep_then_answer, 0.0)
        with pytest.raises(WorkerDied):
            dying.result(timeout=60)
        with pytest.raises(WorkerStartFailed, match="died while starting"):
            waiting.result(timeout=60)
        assert going.result(timeout=60) == "finished"
        assert pool.submit(sleep_then_answer, 0.0).exception(timeout=5) is not None
