"""Run or resume an experiment into a results directory (what `callister batch` does).

1. Load and validate the experiment, its base scenario and every parameter (exit 2 material:
   nothing is written before all of it passes).
2. Open DIR under its lock: create it, or check that it holds this very experiment.
3. Plan every run (run_id, point, replicate, seed); subtract the runs DIR already has.
4. Stream the rest through the backend, committing each run the moment it returns.
5. Consolidate the fragments into runs.parquet / series.parquet.

Failed runs are finished runs: they are not redone on resume unless `retry_failed`.
"""

from __future__ import annotations

import contextlib
import math
import os
import resource
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from experiments.codehash import code_fingerprint
from experiments.consolidate import consolidate
from experiments.designs import Design, build_design
from experiments.manifest import (
    build_manifest,
    check_same_experiment,
    code_change_warning,
    now_iso,
)
from experiments.progress import Progress
from experiments.records import (
    STATUS_FAILED,
    STATUS_OK,
    event_column,
    parameter_cell,
    row_table,
    run_schema,
)
from experiments.runners import Backend, BackendFailure, default_workers, drive, open_backend
from experiments.scenario import ScenarioBase, check_parameters, prepare_base
from experiments.seeds import plan_runs
from experiments.spec import Experiment, load_experiment
from experiments.store import ResultsStore, StoreBusy
from experiments.worker import RunOutcome, RunTask, execute_run, warm_up
from world.errors import UserError
from world.events import EVENT_KINDS
from world.metrics import METRICS

DEFAULT_RESULTS_ROOT = Path("results")


@dataclass(frozen=True)
class BatchOptions:
    experiment: Path
    out: Path | None = None
    workers: int | None = None
    dask: str | None = None
    retry_failed: bool = False
    quiet: bool = False


@dataclass(frozen=True)
class BatchSummary:
    out_dir: Path
    total: int
    ran: int
    ok: int
    failed: int
    failed_in_all: int
    line: str


def default_out_dir(experiment: Experiment) -> Path:
    """`results/<experiment name>` under the current directory."""
    return DEFAULT_RESULTS_ROOT / experiment.name


def run_batch(options: BatchOptions) -> BatchSummary:
    """Run (or resume) a batch; `UserError` for bad input, `BackendFailure` if workers die."""
    if options.workers is not None and options.workers < 1:
        raise UserError(f"--workers {options.workers}: need at least 1 worker.")
    experiment = load_experiment(options.experiment)
    _check_series(experiment)
    base = prepare_base(experiment)
    check_parameters(experiment, base)
    design = build_design(experiment.spec)
    manifest = build_manifest(experiment, base, design)
    out = options.out if options.out is not None else default_out_dir(experiment)
    if out.exists() and not out.is_dir():
        raise UserError(f"--out {out}: exists and is not a directory.")
    store, fresh_dir = ResultsStore(out), not out.exists()
    try:
        with store.locked():
            if store.exists():
                stored = store.read_manifest()
                check_same_experiment(stored, manifest, out)
                warning = code_change_warning(stored)
                if warning:
                    print(warning, file=sys.stderr)
                store.sweep()
                consolidate(store)
            return _run_pending(options, experiment, base, design, manifest, store)
    except StoreBusy:
        raise UserError(
            f"{out}: another `callister batch` is writing into this directory right now; "
            "wait for it to finish or choose another --out."
        ) from None
    except PermissionError as error:
        raise UserError(f"{out}: cannot write there ({error.strerror}).") from None
    finally:
        if fresh_dir and not store.exists():  # e.g. the Dask scheduler was unreachable
            store.lock_path.unlink(missing_ok=True)
            with contextlib.suppress(OSError):
                out.rmdir()


def _run_pending(
    options: BatchOptions,
    experiment: Experiment,
    base: ScenarioBase,
    design: Design,
    manifest: dict[str, Any],
    store: ResultsStore,
) -> BatchSummary:
    """Run what the plan has and DIR lacks. DIR is created only once the backend is up."""
    section = experiment.spec.experiment
    total = len(design) * section.replicates
    finished = store.finished()
    redo = set()
    if options.retry_failed:
        redo = {rid for rid, (_, status) in finished.items() if status == STATUS_FAILED}
    already_done = len(finished) - len(redo)
    already_failed = sum(status == STATUS_FAILED for _, status in finished.values()) - len(redo)
    schema = run_schema(design, EVENT_KINDS)

    def tasks() -> Iterator[RunTask]:
        for run in plan_runs(len(design), section.replicates, section.seed):
            previous = finished.get(run.run_id)
            if previous is not None and run.run_id not in redo:
                continue
            yield RunTask(
                run_id=run.run_id,
                point=run.point,
                replicate=run.replicate,
                seed=run.seed,
                attempt=(previous[0] + 1) if previous else 1,
                values=design.values(run.point),
                base_raw=base.raw,
                base_source=base.source,
                series_every=section.series_every,
                series_columns=tuple(section.series),
            )

    with contextlib.ExitStack() as stack:
        backend = None
        if total > already_done:
            workers = options.workers or default_workers()
            backend = stack.enter_context(open_backend(workers, options.dask, warm_up))
        if not store.exists():
            store.create(manifest, experiment.text)
        progress = Progress(experiment.name, total, already_done, already_failed, options.quiet)

        def record(task: RunTask, outcome: RunOutcome) -> None:
            store.write_run(row_table(_row(task, outcome, schema), schema), outcome.series)
            progress.advance(outcome.status == STATUS_OK)

        def crashed(task: RunTask, message: str) -> None:
            failure = RunOutcome(task.run_id, STATUS_FAILED, wall_s=math.nan, error=message)
            record(task, failure)

        with _session(store, progress, options, backend, total - already_done):
            if backend is not None:
                progress.note(
                    f"{experiment.name}: {total - already_done} of {total} runs to do on "
                    f"{backend.description} -> {store.root}"
                )
                drive(backend, execute_run, tasks(), record, crashed)
            stack.close()  # stop the workers first: folding the fragments needs no backend
            consolidate(store)  # inside the session, so its memory counts in the driver's peak
    return BatchSummary(
        out_dir=store.root,
        total=total,
        ran=progress.ok + progress.failed,
        ok=progress.ok,
        failed=progress.failed,
        failed_in_all=already_failed + progress.failed,
        line=progress.summary(str(store.root)),
    )


@contextlib.contextmanager
def _session(
    store: ResultsStore,
    progress: Progress,
    options: BatchOptions,
    backend: Backend | None,
    to_run: int,
) -> Iterator[None]:
    """Log the session's start and end (with how it ended) in sessions.jsonl."""
    started = time.perf_counter()
    store.append_session(
        {
            "event": "start",
            "time": now_iso(),
            "pid": os.getpid(),
            "argv": sys.argv,
            "backend": backend.description if backend else None,
            "planned": progress.total,
            "to_run": to_run,
            "retry_failed": options.retry_failed,
            "code": code_fingerprint(),
        }
    )
    result = "finished"
    timing: dict[str, float] = {}
    try:
        yield
    except KeyboardInterrupt:
        result = "interrupted"
        raise
    except BackendFailure as error:
        result = f"backend failure: {error}"
        raise
    except BaseException as error:
        result = f"error: {type(error).__name__}: {error}"
        raise
    finally:
        progress.close()
        if progress.first_result_at is not None and progress.last_result_at is not None:
            # Start-up (workers importing the world) vs steady state, for throughput figures.
            timing = {
                "startup_s": round(progress.first_result_at - started, 3),
                "between_first_and_last_result_s": round(
                    progress.last_result_at - progress.first_result_at, 3
                ),
            }
        store.append_session(
            {
                "event": "end",
                "time": now_iso(),
                "pid": os.getpid(),
                "ok": progress.ok,
                "failed": progress.failed,
                "result": result,
                "wall_s": round(time.perf_counter() - started, 3),
                **timing,
                # The driver's own peak memory: what must stay flat however many runs there are.
                "driver_peak_rss_mb": round(_peak_rss_mb(), 1),
            }
        )


def _row(task: RunTask, outcome: RunOutcome, schema: pa.Schema) -> dict[str, Any]:
    """The runs.parquet row of one finished run (identity, design values, outcome)."""
    row: dict[str, Any] = {
        "run_id": task.run_id,
        "point": task.point,
        "replicate": task.replicate,
        "seed": task.seed,
        "attempt": task.attempt,
        "status": outcome.status,
        "ending": outcome.ending,
        "digest": outcome.digest,
        "ticks": outcome.ticks,
        "crew_alive": outcome.crew_alive,
        "wall_s": None if math.isnan(outcome.wall_s) else round(outcome.wall_s, 4),
        "error": outcome.error,
        "code": outcome.code,
    }
    for key, value in task.values.items():
        row[key] = parameter_cell(value, schema.field(key).type)
    for name, value in outcome.flags.items():
        if schema.get_field_index(name) >= 0:
            row[name] = value
    for kind, count in outcome.event_counts.items():
        row[event_column(kind)] = count
    return row


def _peak_rss_mb() -> float:
    """Peak resident memory of this process (ru_maxrss is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _check_series(experiment: Experiment) -> None:
    unknown = [name for name in experiment.spec.experiment.series if name not in METRICS]
    if unknown:
        names = ", ".join(map(repr, unknown))
        raise UserError(
            f"{experiment.path}: experiment.series: unknown metric {names}; "
            f"allowed: {', '.join(METRICS)}."
        )
