"""Run or resume an experiment into a results directory (what `callister batch` does).

1. Load and validate the experiment, check --out (the write policy of `world/outputs.py`: a
   missing or empty directory, or a batch store; never someone else's files), the base
   scenario and every parameter (exit 2 material: nothing is written before all of it passes).
2. Open DIR under its lock: create it, or check that it holds this very experiment.
3. Plan every run (run_id, point, replicate, seed); subtract the runs DIR already has.
4. Stream the rest through the backend, committing each run the moment it returns.
5. Consolidate the fragments into runs.parquet / series.parquet: those of finished runs while
   a worker finishes the last run, the rest at the end.

Failed runs are finished runs: they are not redone on resume unless `retry_failed`. An ok run
whose series was lost (a deleted fragment, a quarantined series.parquet) is run again: runs
are deterministic, so it comes back the same.
"""

from __future__ import annotations

import contextlib
import math
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from configuration.errors import UserError
from experiments.consolidate import consolidate, runs_without_events
from experiments.designs import Design, build_design
from experiments.manifest import (
    build_manifest,
    check_same_experiment,
    code_change_warning,
)
from experiments.progress import Progress
from experiments.records import (
    STATUS_FAILED,
    STATUS_OK,
    row_table,
    run_schema,
)
from experiments.runners import default_workers, drive, open_backend
from experiments.scenario import ScenarioBase, check_parameters, prepare_base
from experiments.seeds import plan_runs
from experiments.sessions import logged_session
from experiments.spec import Experiment, ExperimentSection, load_experiment
from experiments.store import ResultsStore, StoreBusy, is_batch_directory
from experiments.worker import RunOutcome, RunTask, execute_run, local_initializer
from world.events import EVENT_KINDS
from world.outputs import check_output_directory

DEFAULT_RESULTS_ROOT = Path("results")


@dataclass(frozen=True)
class BatchOptions:
    experiment: Path
    out: Path | None = None
    workers: int | None = None
    dask: str | None = None
    retry_failed: bool = False
    quiet: bool = False
    run_timeout: float | None = None  # seconds a run may take before it is stopped as failed


@dataclass(frozen=True)
class PlannedBatch:
    """What a batch runs: its settings, experiment.toml text, base scenario, design, manifest."""

    section: ExperimentSection
    text: str
    base: ScenarioBase
    design: Design
    manifest: dict[str, Any]


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
    """Run (or resume) a batch; `UserError` on bad input, `BackendFailure` if the backend breaks."""
    check_options(options)
    experiment = load_experiment(options.experiment)
    out = options.out if options.out is not None else default_out_dir(experiment)
    _check_out(out)
    _check_series(experiment)
    base = prepare_base(experiment)
    check_parameters(experiment, base)
    design = build_design(experiment.spec)
    manifest = build_manifest(experiment, base, design)
    plan = PlannedBatch(experiment.spec.experiment, experiment.text, base, design, manifest)
    return run_planned(options, out, plan)


def check_options(options: BatchOptions) -> None:
    """Refuse a worker count or run timeout that cannot work."""
    if options.workers is not None and options.workers < 1:
        raise UserError(f"--workers {options.workers}: need at least 1 worker.")
    timeout = options.run_timeout
    if timeout is not None and not (math.isfinite(timeout) and timeout > 0):
        raise UserError(f"--run-timeout {timeout:g}: give a positive number of seconds.")


def run_planned(options: BatchOptions, out: Path, plan: PlannedBatch) -> BatchSummary:
    """Run (or resume) a checked plan into `out` (`options.experiment` is not read)."""
    manifest = plan.manifest
    store = ResultsStore(out)
    if store.exists():  # refuse another experiment's directory before even taking its lock
        check_same_experiment(store.read_manifest(), manifest, out)
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
            return _run_pending(options, plan, store)
    except StoreBusy:
        raise UserError(
            f"{out}: another `callister batch` is writing into this directory right now; "
            "wait for it to finish or choose another --out."
        ) from None
    except PermissionError as error:
        raise UserError(f"{out}: cannot write there ({error.strerror}).") from None


def _run_pending(options: BatchOptions, plan: PlannedBatch, store: ResultsStore) -> BatchSummary:
    """Run what the plan has and DIR lacks. DIR is created only once the backend is up."""
    section, base, design, manifest = plan.section, plan.base, plan.design, plan.manifest
    total = len(design) * section.replicates
    finished = store.finished()
    failed = {rid for rid, (_, status) in finished.items() if status == STATUS_FAILED}
    redo = set(failed) if options.retry_failed else set()
    # a directory keeps events if it was made to: one made before they were kept never does
    keep_events = bool((store.read_manifest() if store.exists() else manifest).get("events"))
    for what, lost in (
        ("series", _runs_without_series(store, finished, section.series_every)),
        ("events", runs_without_events(store, finished) if keep_events else set()),
    ):
        if lost:
            print(
                f"{len(lost)} ok run(s) have lost their {what} (a deleted or unreadable file): "
                "running them again (same seeds, same results).",
                file=sys.stderr,
            )
            redo |= lost
    already_done = len(finished) - len(redo)
    already_failed = len(failed - redo)
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
                time_limit_s=options.run_timeout,
                keep_events=keep_events,
            )

    with contextlib.ExitStack() as stack:
        backend = None
        if total > already_done:
            workers = options.workers or default_workers()
            initializer = local_initializer()
            backend = stack.enter_context(
                open_backend(workers, options.dask, initializer, options.run_timeout)
            )
            # pyarrow imports pandas on its first conversion of Python values: pay that now,
            # while the workers load the world, not on the first result while they run.
            row_table({}, schema)
        if not store.exists():
            store.create(manifest, plan.text)
        progress = Progress(section.name, total, already_done, already_failed, options.quiet)

        def record(task: RunTask, outcome: RunOutcome) -> None:
            row = row_table(outcome.row(task, schema), schema)
            store.write_run(row, outcome.series, outcome.events)
            progress.advance(outcome.status == STATUS_OK)

        def crashed(task: RunTask, message: str) -> None:
            failure = RunOutcome(task.run_id, STATUS_FAILED, wall_s=math.nan, error=message)
            record(task, failure)

        with logged_session(store, progress, options.retry_failed, backend, total - already_done):
            if backend is not None:
                progress.note(
                    f"{section.name}: {total - already_done} of {total} runs to do on "
                    f"{backend.description} -> {store.root}"
                )
                # Fold what is done while a worker finishes the last run, so that only
                # its fragments are left to fold at the end.
                drive(backend, execute_run, tasks(), record, crashed, lambda: consolidate(store))
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


def _check_out(out: Path) -> None:
    """The write policy's check of --out: missing, empty, or a batch store (resumed)."""
    # A batch has no --force: it never writes among files that are not a batch's.
    check_output_directory(
        out, option="--out", ours=is_batch_directory, reuse=True, forceable=False
    )


def _runs_without_series(
    store: ResultsStore, finished: dict[int, tuple[int, str]], series_every: int
) -> set[int]:
    """Ok runs whose series is gone. Every ok run has one when series are kept: a run lasts
    at least one tick, and its last tick is always kept."""
    ok = {run_id for run_id, (_, status) in finished.items() if status == STATUS_OK}
    if series_every <= 0 or not ok:
        return set()
    return ok - store.series_run_ids()


def _check_series(experiment: Experiment) -> None:
    if not experiment.spec.experiment.series:
        return
    # Imported only when needed: world.metrics pulls in pandas, a second of start-up.
    from world.metrics import METRICS

    unknown = [name for name in experiment.spec.experiment.series if name not in METRICS]
    if unknown:
        names = ", ".join(map(repr, unknown))
        raise UserError(
            f"{experiment.path}: experiment.series: unknown metric {names}; "
            f"allowed: {', '.join(METRICS)}."
        )
