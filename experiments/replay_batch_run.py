"""A batch run as a run record: played again from its scenario and seed, checked by its digest.

A batch keeps no records (only outcomes, series and events), but every run is reproducible:
its scenario is the manifest's resolved base config plus its design point's values, and its
seed is in runs.parquet. Played again with decisions traced (`winners`: what each character
chose, for the Why page and the action beats of story patterns) it is the very same run — a
trace level changes what is kept, never what happens, and the digest hashes the trajectory
only — so the replay's digest must equal the stored one. If it does not (the world's code
changed since the batch ran, see the `code` column), the record would tell another story:
that is an error, never a silent substitute.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from configuration.errors import UserError
from configuration.loading import config_to_toml
from experiments.codehash import code_fingerprint
from experiments.records import STATUS_OK
from experiments.report import load_results
from experiments.scenario import run_config
from world.record import ReplayRecorder, check_record_directory, galaxy_snapshot, write_record
from world.simulate import build_model, play_out

REPLAY_TRACE = "winners"  # the choices, not every candidate: Why and action beats need them


def record_batch_run(
    results_dir: str | os.PathLike[str],
    run_id: int,
    out_dir: str | os.PathLike[str],
    *,
    option: str = "--out",
    force: bool = False,
) -> Path:
    """Play run `run_id` of a batch again and write it as a run record into `out_dir`.

    `UserError` for an unknown or failed run, a refused `out_dir` (named as `option`), or a
    replay whose digest differs from the batch's. Returns the record's directory.
    """
    manifest, runs = load_results(results_dir)
    found = runs[runs["run_id"] == run_id] if not runs.empty else runs
    if found.empty:
        raise UserError(f"{results_dir}: no run {run_id} in this batch (yet).")
    row = found.iloc[0]
    if row["status"] != STATUS_OK:
        raise UserError(f"{results_dir}: run {run_id} failed in the batch; it has no story.")
    output = check_record_directory(out_dir, option=option, force=force)
    keys, points = manifest["design"]["keys"], manifest["design"]["points"]
    values = dict(zip(keys, points[int(row["point"])], strict=True))
    config = run_config(
        manifest["base_config"],
        manifest["base_config_file"],
        {**values, "simulation.trace": REPLAY_TRACE},
    )
    model = build_model(config, seed=int(row["seed"]))
    recorder = ReplayRecorder()
    result = play_out(model, time.perf_counter(), [recorder])
    if result.digest != row["digest"]:
        raise UserError(_mismatch(results_dir, run_id, row, result.digest))
    return write_record(
        output, config_to_toml(model.config), result, galaxy_snapshot(model.galaxy), recorder
    )


def _mismatch(results_dir, run_id: int, row, digest: str) -> str:
    """Why the replay is not the batch's run, as far as the store can tell."""
    then, now = row.get("code"), code_fingerprint()
    if then != now:
        why = (
            f"the world's code changed since the batch ran (code {then} then, {now} now), "
            "so the same scenario and seed now tell another story"
        )
    else:
        why = "the code is the same, so the difference lies in the installed packages"
    return (
        f"{results_dir}: run {run_id} played again gives digest {digest}, not the batch's "
        f"{row['digest']}: {why}. No record was written; run the experiment again with this "
        "code to replay its runs."
    )
