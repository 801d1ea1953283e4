"""Batches started from the dashboard: a background `callister batch` process per results dir.

The batch runs as its own process (`python -m callister batch EXP --out DIR --quiet`) in its
own session, so a page change, a rerun, a closed tab or even a stopped dashboard never stops
it. Progress is read from the results store itself (the manifest's planned runs and the
committed run fragments), so it is the truth on disk and survives anything the UI does; a
batch that was started elsewhere (the CLI, another tab) shows up too, through its lock file.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from experiments.store import ResultsStore
from views.configs import REPO, results_dir
from world.errors import UserError

JOBS_KEY = "batch_jobs"
LOG_DIR = ".dashboard-logs"  # beside the results dirs: a batch refuses a non-empty new DIR


@dataclass
class BatchJob:
    """A batch this session started (it keeps the process handle, to reap and to stop it)."""

    experiment: Path
    out: Path
    log: Path
    process: subprocess.Popen
    started: float

    def exit_code(self) -> int | None:
        return self.process.poll()


@dataclass(frozen=True)
class BatchProgress:
    """What the store says: planned runs (None until the manifest exists), done, failed."""

    out: Path
    planned: int | None
    done: int
    failed: int
    running: bool

    @property
    def fraction(self) -> float:
        return min(1.0, self.done / self.planned) if self.planned else 0.0


def jobs() -> dict[str, BatchJob]:
    return st.session_state.setdefault(JOBS_KEY, {})


def start_batch(experiment: Path, out: Path, workers: int | None = None) -> BatchJob:
    """Start `callister batch` in the background; `UserError` if DIR is busy already."""
    if not experiment.is_file():
        raise UserError(f"{experiment}: no such experiment file.")
    if batch_running(out):
        raise UserError(f"{out}: a batch is already writing there; wait for it or pick another.")
    log_dir = out.parent / LOG_DIR
    log_dir.mkdir(parents=True, exist_ok=True)
    log = log_dir / f"{out.name}.log"
    command = [sys.executable, "-m", "callister", "batch", str(experiment), "--out", str(out)]
    command += ["--quiet"] + (["--workers", str(workers)] if workers else [])
    with log.open("ab") as stream:
        stream.write(f"\n$ {' '.join(command)}\n".encode())
        stream.flush()
        process = subprocess.Popen(
            command,
            cwd=REPO,
            stdout=stream,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: survives the dashboard
        )
    job = BatchJob(experiment, out, log, process, time.time())
    jobs()[str(out)] = job
    return job


def stop_batch(job: BatchJob) -> None:
    """Interrupt a batch this session started, like Ctrl-C: finished runs are kept."""
    if job.exit_code() is None:
        os.killpg(job.process.pid, signal.SIGINT)


def _lock_holder(store: ResultsStore) -> int | None:
    """PID of the `callister batch` holding DIR's lock, if that process is still alive."""
    try:
        pid = int(store.lock_path.read_text().strip() or 0)
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
    except (OSError, ValueError):
        return None
    return pid if pid and b"batch" in command else None


def batch_running(out: Path) -> bool:
    job = jobs().get(str(out))
    if job is not None and job.exit_code() is None:
        return True
    return _lock_holder(ResultsStore(out)) is not None


def progress(out: Path) -> BatchProgress:
    """Planned, done and failed runs of DIR, read from disk (cheap: names and 3 columns)."""
    store = ResultsStore(out)
    planned = None
    if store.exists():
        try:
            planned = int(store.read_manifest()["runs"])
        except (UserError, KeyError, ValueError):
            planned = None
    try:
        finished = store.finished()
    except OSError:
        finished = {}
    failed = sum(status == "failed" for _, status in finished.values())
    return BatchProgress(out, planned, len(finished), failed, batch_running(out))


def results_dirs() -> list[Path]:
    """Batch results directories under the results root, newest first."""
    root = results_dir()
    if not root.is_dir():
        return []
    found = [p.parent for p in root.glob("*/manifest.json")]
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)


def running_elsewhere() -> list[Path]:
    """Results dirs a batch is writing into that this session did not start."""
    mine = set(jobs())
    found = [p for p in results_dirs() if str(p) not in mine and batch_running(p)]
    root = results_dir()
    if root.is_dir():  # a starting batch may not have written its manifest yet
        found += [
            p.parent
            for p in root.glob("*/.lock")
            if str(p.parent) not in mine and p.parent not in found and batch_running(p.parent)
        ]
    return found


def log_tail(job: BatchJob, lines: int = 15) -> str:
    try:
        text = job.log.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])
