"""Batches started from the dashboard: a background `callister` process per results dir.

A batch (`python -m callister batch EXP --out DIR --quiet`) or the verification of a discovered
box (`python -m callister verify RESULTS --box K ... --out DIR`, whose DIR is a batch store
too) runs as its own process in its own session, so a page change, a rerun, a closed tab or
even a stopped dashboard never stops it. Progress is read from the results store itself (the
manifest's planned runs and the committed run fragments), so it is the truth on disk and
survives anything the UI does; a batch that was started elsewhere (the CLI, another tab) shows
up too, through its lock file.

Every write stays inside the results root (`views.configs.results_dir`): a batch's directory
is a name directly inside it, and its log goes to the root's `.dashboard-logs/`. Before a
batch starts, its directory is checked as `callister batch` would: empty, or a store of this
very experiment (resumed); anything else is refused in the page (`world.outputs` policy). A
verification's directory must be empty or a verification store (the command itself refuses
one of another verification).
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

from configuration.errors import UserError
from experiments.designs import build_design
from experiments.manifest import build_manifest, check_same_experiment
from experiments.scenario import prepare_base
from experiments.spec import Experiment
from experiments.store import ResultsStore, is_batch_directory
from views.configs import REPO, results_dir
from world.outputs import check_output_directory, check_output_file, written_with

JOBS_KEY = "batch_jobs"
# In the results root, not in a batch's directory: a batch refuses a non-empty new DIR.
LOG_DIR = ".dashboard-logs"
# Every log starts with the command that wrote it; these are the commands the page starts.
COMMANDS = ("batch", "verify")
LOG_MARKERS = tuple(f" -m callister {command} ".encode() for command in COMMANDS)
VERIFY_SECTION = "verify"  # the manifest section `callister verify` writes in its store


@dataclass
class BatchJob:
    """A batch this session started (it keeps the process handle, to reap and to stop it).

    `command` is its argv after `python -m callister` (`batch EXP --out DIR ...`)."""

    command: list[str]
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


def results_directory(requested: str) -> Path:
    """The batch directory `requested` names: a name (or a path) directly inside the results root.

    Anything resolving elsewhere (an absolute path, `..`, a symbolic link out, the root
    itself, its hidden entries such as the logs) is a `UserError`: a page that others may
    reach must not write where they choose.
    """
    root, text = results_dir(), requested.strip()
    if not text:
        raise UserError(f"Results directory: give a name, e.g. invite_ablation (kept in {root}).")
    try:
        typed = Path(text).expanduser()
        resolved = (typed if typed.is_absolute() else root / typed).resolve()
    except (OSError, RuntimeError):  # RuntimeError: `~nosuchuser`, a symbolic link loop
        raise UserError(f"Results directory {text}: cannot resolve the path.") from None
    if resolved.parent != root or resolved.name.startswith("."):
        raise UserError(
            f"Results directory {text}: batches started from the dashboard write only into a "
            f"directory directly inside the results root {root}; give a name such as "
            "invite_ablation. (Set CALLISTER_RESULTS before starting the dashboard for another "
            "root, or run `callister batch --out DIR` in a shell.)"
        )
    return resolved


def check_batch_directory(experiment: Experiment, out: Path) -> None:
    """Refuse, before anything starts, a directory `callister batch` would refuse.

    It must be missing, empty, or a store of this very experiment (which is resumed).
    """
    check_output_directory(
        out, option="Results directory", ours=is_batch_directory, reuse=True, forceable=False
    )
    store = ResultsStore(out)
    if store.exists():
        fresh = build_manifest(experiment, prepare_base(experiment), build_design(experiment.spec))
        check_same_experiment(store.read_manifest(), fresh, out)


def log_path(out: Path) -> Path:
    """Where the dashboard keeps the output of the batch writing into `out` (checked)."""
    root = results_dir()
    log_dir = root / LOG_DIR
    log_dir.mkdir(parents=True, exist_ok=True)
    if log_dir.resolve() != root / LOG_DIR:
        raise UserError(f"{log_dir}: not a directory of the results root; remove it.")
    log = log_dir / f"{out.name}.log"
    if log.is_file() and not any(written_with(marker)(log) for marker in LOG_MARKERS):
        raise UserError(f"{log}: exists and is not a batch log the dashboard wrote; remove it.")
    # `force`: appending to our own log is intended; FIFOs, devices, directories stay refused.
    checked = check_output_file(log, option="Batch log", force=True)
    if checked.path.parent != log_dir.resolve():
        raise UserError(f"{log}: a symbolic link out of {log_dir}; remove it.")
    return checked.path


def callister_command() -> list[str]:
    """How the page runs `callister`: this very interpreter, so the venv's code and packages."""
    return [sys.executable, "-m", "callister"]


def start_batch(experiment: Experiment, requested: str, workers: int | None = None) -> BatchJob:
    """Check the results directory `requested` names, then start `callister batch` there.

    `UserError` (nothing started, nothing written) if the directory is outside the results
    root, busy, or not resumable by this experiment.
    """
    out = idle_directory(requested)
    check_batch_directory(experiment, out)
    arguments = ["batch", str(experiment.path), "--out", str(out), "--quiet"]
    return start_command(out, arguments + (["--workers", str(workers)] if workers else []))


def verify_arguments(
    source: Path, outcome: str, box: int, method: str, runs: int, out: Path
) -> list[str]:
    """`callister verify`'s argv (after `callister`) for box `box` (1-based) of a discovery."""
    return [
        "verify", str(source), "--outcome", outcome, "--box", str(box), "--method", method,
        "--runs", str(runs), "--out", str(out),
    ]  # fmt: skip


def is_verify_store(path: Path) -> bool:
    """DIR is a batch store written by `callister verify` (its manifest has a verify section)."""
    try:
        return VERIFY_SECTION in ResultsStore(path).read_manifest()
    except (UserError, OSError):
        return False


def start_verify(
    source: Path, outcome: str, box: int, method: str, runs: int, requested: str
) -> BatchJob:
    """Start `callister verify` of box `box` into the directory `requested` names.

    `UserError` (nothing started) if that directory is outside the results root, busy, or
    holds anything but a verification store (which the command resumes).
    """
    out = idle_directory(requested)
    if is_batch_directory(out) and not is_verify_store(out):
        raise UserError(
            f"Verification directory {out}: holds the results of a batch that is not a "
            "verification; give another name."
        )
    check_output_directory(
        out,
        option="Verification directory",
        ours=is_verify_store,
        reuse=True,
        forceable=False,
    )
    return start_command(out, [*verify_arguments(source, outcome, box, method, runs, out), "-q"])


def idle_directory(requested: str) -> Path:
    """The results directory `requested` names, if no batch is writing into it."""
    out = results_directory(requested)
    if batch_running(out):
        raise UserError(f"{out}: a batch is already writing there; wait for it or pick another.")
    return out


def start_command(out: Path, arguments: list[str]) -> BatchJob:
    """Start `callister ARGUMENTS` in the background, writing into `out` (already checked)."""
    log = log_path(out)
    command = callister_command() + arguments
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
    job = BatchJob(arguments, out, log, process, time.time())
    jobs()[str(out)] = job
    return job


def stop_batch(job: BatchJob) -> None:
    """Interrupt a batch this session started, like Ctrl-C: finished runs are kept."""
    if job.exit_code() is None:
        os.killpg(job.process.pid, signal.SIGINT)


def _lock_holder(store: ResultsStore) -> int | None:
    """PID of the `callister batch` (or `verify`) holding DIR's lock, if it is still alive."""
    try:
        pid = int(store.lock_path.read_text().strip() or 0)
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
    except (OSError, ValueError):
        return None
    started = any(name.encode() in command for name in COMMANDS)
    return pid if pid and started else None


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
    except (OSError, UserError):  # an unreadable runs.parquet: the batch sets it aside itself
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
