"""A fork's futures kept in the batch store's format (`callister fork --out DIR`).

The fork is written as a two-point design: point 0 is the baseline, point 1 the branch, and a
run's `replicate` is the fork's replicate, so `callister report DIR` and the dashboard's
Experiments page read it like any batch. The `branch` column says which branch a run is; each
changed key that is a plain config value gets a column of its own. The manifest's `fork`
section describes the fork (seed, T, changes, interval method, where each pair diverged).
A fork is not resumable: the directory is filled in a staging directory and published whole.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

import pyarrow as pa
import tomli_w

from configuration.errors import UserError
from configuration.loading import dump_resolved
from experiments.codehash import code_fingerprint
from experiments.consolidate import consolidate
from experiments.designs import Design
from experiments.fork import ForkReport
from experiments.fork_effects import INTERVAL_METHOD
from experiments.fork_pairs import Future
from experiments.manifest import now_iso, provenance
from experiments.records import STATUS_FAILED, STATUS_OK, row_table, run_schema
from experiments.seeds import run_id_of
from experiments.store import ResultsStore, StoreBusy, is_batch_directory
from experiments.worker import RunOutcome, RunTask
from world.events import EVENT_KINDS
from world.outputs import OutputDirectory, check_output_directory, publish_directory

BRANCH_KEY = "branch"  # the design column that says which branch a run belongs to
BRANCHES = ("baseline", "branch")
DESIGN_KIND = "fork"
REPLACE_OPTION = "--replace"
# Every name a fork's output writes: replaced together, so two outputs never mix.
OWNED_FILES = ("manifest.json", "experiment.toml", "runs.parquet", "series.parquet")
FRAGMENT_DIRECTORIES = ("runs", "series")


def check_fork_directory(path: str | os.PathLike[str], *, replace: bool) -> OutputDirectory:
    """Check `--out` before any work: missing, empty, or (with `--replace`) replaceable.

    A batch directory with fragments not yet folded (a batch running or interrupted) is
    refused even with `--replace`: its runs would mix with the fork's.
    """
    output = check_output_directory(
        path,
        option="--out",
        force=replace,
        ours=is_batch_directory,
        holds="batch results",
        force_option=REPLACE_OPTION,
    )
    for name in FRAGMENT_DIRECTORIES:
        directory = output.path / name
        if directory.is_dir() and any(os.scandir(directory)):
            raise UserError(
                f"--out {path}: {name}/ holds runs of a batch that has not finished (or was "
                "interrupted); finish it (or run `callister report` on it), or choose another "
                "directory."
            )
    return output


def fork_design(report: ForkReport) -> Design:
    """Two points, baseline then branch: the `branch` column and each plain changed key."""
    base, changed = report.fork.base_raw, dump_resolved(report.fork.branch_config())
    keys, before, after = [BRANCH_KEY], [BRANCHES[0]], [BRANCHES[1]]
    for key in report.changed:
        old, new = _plain_value(base, key), _plain_value(changed, key)
        if old is not None and new is not None:
            keys.append(key)
            before.append(old)
            after.append(new)
    return Design(DESIGN_KIND, tuple(keys), (tuple(before), tuple(after)))


def _plain_value(table: dict[str, Any], key: str) -> Any:
    """The value of a dotted key if it is a plain scalar (not inside a list, not a table)."""
    value: Any = table
    for part in key.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    scalar = isinstance(value, bool | int | str) or (
        isinstance(value, float) and math.isfinite(value)
    )
    return value if scalar else None


def fork_manifest(report: ForkReport, design: Design, series_every: int) -> dict[str, Any]:
    """The manifest of a fork's directory (the store adds `format`)."""
    fork = report.fork
    description = fork_description(report)
    name = f"fork-s{fork.seed}-at{fork.at}"
    section = {
        "name": name,
        "description": _summary(report),
        "config": fork.source,
        "design": DESIGN_KIND,
        "replicates": report.replicates,
        "seed": fork.seed,
        "series_every": series_every,
    }
    return {
        "name": name,
        "description": section["description"],
        # No fingerprint: a fork is never resumed, and `callister batch` refuses a directory
        # whose fingerprint is not its experiment's.
        "fingerprint": {},
        "experiment_file": None,
        "experiment": {"experiment": section, "parameters": {}, "fixed": {}},
        "base_config_file": fork.source,
        "base_config": fork.base_raw,
        "design": design.to_json(),
        "replicates": report.replicates,
        "runs": len(design) * report.replicates,
        "seed_scheme": (
            "replicate 0 continues the run's own streams (seed); replicate k > 0 reseeds both "
            "branches at T from SeedSequence([seed, at, k])"
        ),
        "fork": description,
        "code": code_fingerprint(),
        "created": now_iso(),
        **provenance(),
    }


def fork_description(report: ForkReport) -> dict[str, Any]:
    """What the fork was and where its pairs parted: the manifest's `fork` section."""
    fork = report.fork
    return {
        "seed": fork.seed,
        "at": fork.at,
        "set": list(fork.sets),
        "force": [f"{who}.{action}" for who, action in fork.forces],
        "changed_keys": list(report.changed),
        "replicates": report.replicates,
        "interval": INTERVAL_METHOD,
        "diverged_at": {str(pair.replicate): pair.diverged_at for pair in report.pairs},
        "failed": {str(replicate): error for replicate, error in sorted(report.failures.items())},
        "effects": [effect.to_json() for effect in report.effects],
    }


def _summary(report: ForkReport) -> str:
    fork = report.fork
    changes = [*fork.sets, *(f"force {who}.{action}" for who, action in fork.forces)]
    return (
        f"Fork of seed {fork.seed} at hour {fork.at}: {'; '.join(changes) or 'no change'}; "
        "point 0 is the baseline, point 1 the branch. The tests below treat the branches as "
        "independent; the paired intervals are the manifest's fork.effects."
    )


def _experiment_text(report: ForkReport) -> str:
    fork = report.fork
    table = {
        "fork": {
            "config": fork.source,
            "seed": fork.seed,
            "at": fork.at,
            "set": list(fork.sets),
            "force": [f"{who}.{action}" for who, action in fork.forces],
            "replicates": report.replicates,
        }
    }
    return (
        "# Written by `callister fork --out`: the fork these results come from. It is not an\n"
        "# experiment file for `callister batch`; run the fork again with `callister fork`.\n"
        + tomli_w.dumps(table)
    )


def write_fork_store(output: OutputDirectory, report: ForkReport, series_every: int) -> Path:
    """Write both branches' runs into the checked directory; it appears whole or not at all."""
    design = fork_design(report)
    schema = run_schema(design, EVENT_KINDS)
    manifest = fork_manifest(report, design, series_every)
    by_replicate = {pair.replicate: pair for pair in report.pairs}

    def fill(staging: Path) -> None:
        store = ResultsStore(staging)
        store.create(manifest, _experiment_text(report))
        for point, branch in enumerate(BRANCHES):
            for replicate in range(report.replicates):
                task = RunTask(
                    run_id=run_id_of(point, replicate, report.replicates),
                    point=point,
                    replicate=replicate,
                    seed=report.fork.seed,
                    attempt=1,
                    values=design.values(point),
                    base_raw={},
                    base_source=report.fork.source,
                )
                pair = by_replicate.get(replicate)
                future = None if pair is None else getattr(pair, branch)
                outcome = _outcome(task, future, report.failures.get(replicate))
                store.write_run(row_table(outcome.row(task, schema), schema), outcome.series)
        consolidate(store)  # the staging directory is this process's alone: no lock needed

    try:
        with ResultsStore(output.path).locked():  # no batch may start there meanwhile
            return publish_directory(output, fill, owned=OWNED_FILES, marker="manifest.json")
    except StoreBusy:
        raise UserError(
            f"--out {output.path}: a `callister batch` is writing into this directory right "
            "now; choose another directory."
        ) from None


def _outcome(task: RunTask, future: Future | None, error: str | None) -> RunOutcome:
    """A fork's future as the row a batch worker would have returned for it."""
    if future is None:
        return RunOutcome(
            task.run_id,
            STATUS_FAILED,
            wall_s=math.nan,
            error=error or "the pair did not finish",
            code=code_fingerprint(),
        )
    series = future.series
    if series is not None:  # the pair numbered its series by replicate; the store by run_id
        run_ids = pa.array([task.run_id] * series.num_rows, pa.int64())
        series = series.set_column(series.schema.get_field_index("run_id"), "run_id", run_ids)
    return RunOutcome(
        run_id=task.run_id,
        status=STATUS_OK,
        wall_s=future.wall_s,
        ending=future.ending,
        digest=future.digest,
        ticks=future.ticks,
        crew_alive=future.crew_alive,
        flags=dict(future.flags),
        event_counts=dict(future.event_counts),
        series=series,
        code=code_fingerprint(),
    )
