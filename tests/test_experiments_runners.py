"""`drive`: every task runs once, results are handed back, and the idle tail is offered up."""

from __future__ import annotations

import concurrent.futures as cf
import threading
from dataclasses import dataclass, field

from experiments.runners import Backend, drive

LAST = 5  # the run_id of the last task


@dataclass(frozen=True)
class Task:
    run_id: int
    wait_s: float
    release: threading.Event = field(default_factory=threading.Event)


def run(task: Task) -> str:
    """Finish at once, except a task whose `release` is unset: it waits to be released."""
    if task.run_id == LAST:
        return "released" if task.release.wait(timeout=task.wait_s) else "never released"
    return "done"


def drive_tasks(slots: int, wait_s: float) -> tuple[dict[int, str], list[set[int]]]:
    """Drive 6 tasks on `slots` threads; the last one is released by `on_idle` only."""
    tasks = [Task(run_id, wait_s) for run_id in range(LAST + 1)]
    results: dict[int, str] = {}
    idle_calls: list[set[int]] = []

    def on_idle() -> None:
        idle_calls.append(set(results))  # which results were in when it was called
        tasks[LAST].release.set()

    with cf.ThreadPoolExecutor(max_workers=slots) as executor:
        backend = Backend(executor, f"{slots} threads", lambda: slots)
        drive(backend, run, tasks, lambda t, r: results.__setitem__(t.run_id, r),
              lambda t, m: None, on_idle)  # fmt: skip
    return results, idle_calls


def test_end_of_batch_work_runs_once_while_the_last_run_is_still_going():
    results, idle_calls = drive_tasks(slots=2, wait_s=60)  # a regression waits, then fails
    assert idle_calls == [{0, 1, 2, 3, 4}]  # once, every other result in, the last one not
    assert results == {0: "done", 1: "done", 2: "done", 3: "done", 4: "done", 5: "released"}


def test_a_single_worker_is_never_idle_before_the_end():
    results, idle_calls = drive_tasks(slots=1, wait_s=0.2)
    assert idle_calls == []  # its one slot is busy until the last result: nothing to overlap
    assert results[LAST] == "never released" and len(results) == LAST + 1
