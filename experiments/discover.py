"""Scenario discovery (`callister discover`): which ranges of the parameters lead to an outcome.

The runs of a finished batch are aggregated per design point (ok runs, runs with the outcome),
then PRIM or CART finds boxes of the swept parameters where the outcome is dense. Everything is
a JSON-able dict: `outcome`, `runs`, `base_rate`, `trajectory` (a list of steps) and `boxes`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from configuration.errors import UserError
from experiments.discover_boxes import (
    Discovery,
    Settings,
    cart_boxes,
    prim_boxes,
    quasi_p,
    stability,
)
from experiments.discover_prim import Box, Points, full_box, restricted
from experiments.records import EVENT_PREFIX, STATUS_OK, event_column
from experiments.report import json_safe, load_results
from experiments.statistics import wilson_interval
from experiments.stories_batch import story_hits
from world.endings import ENDINGS, YES_NO_FLAGS

METHODS = {"prim": prim_boxes, "cart": cart_boxes}
OUTCOME_FORMS = "ending=ID, flag=NAME, event=KIND or story=PATTERN"


def discover(
    out_dir: str | Path,
    outcome: str,
    method: str = "prim",
    settings: Settings | None = None,
    resamples: int = 50,
    seed: int = 0,
) -> dict[str, Any]:
    """The trajectory and boxes of `outcome` over the swept parameters of the batch in DIR."""
    settings = settings or Settings()
    manifest, runs = load_results(out_dir)
    keys = _swept_parameters(out_dir, manifest, runs)
    ok = runs[runs["status"] == STATUS_OK]
    hits = outcome_hits(ok, outcome, out_dir)
    per_point = (
        pd.DataFrame({"point": ok["point"].to_numpy(), "hit": hits})
        .groupby("point")["hit"]
        .agg(["size", "sum"])
    )
    values = np.array([manifest["design"]["points"][p] for p in per_point.index], dtype=float)
    points = Points(
        values[:, [manifest["design"]["keys"].index(k) for k in keys]],
        per_point["size"].to_numpy(dtype=np.int64),
        per_point["sum"].to_numpy(dtype=np.int64),
    )
    found = METHODS[method](points, settings)
    stable = stability(points, found.boxes, METHODS[method], settings, resamples, seed)
    return json_safe(
        {
            "outcome": outcome,
            "method": method,
            "experiment": manifest["name"],
            "parameters": keys,
            "points": len(points.runs),
            "runs": int(points.runs.sum()),
            "hits": int(points.hits.sum()),
            "failed_runs": int((runs["status"] != STATUS_OK).sum()),
            "base_rate": float(points.hits.sum() / points.runs.sum()),
            "resamples": resamples,
            "seed": seed,
            "trajectory": _trajectory(found, points, keys),
            "chosen_step": found.chosen_step,
            "boxes": [
                _box_json(box, points, keys, stable[i], among(found, i, points))
                for i, box in enumerate(found.boxes)
            ],
            "ranges": {k: [float(low), float(high)] for k, low, high in _ranges(points, keys)},
        }
    )


def outcome_hits(ok: pd.DataFrame, outcome: str, out_dir: str | Path) -> np.ndarray:
    """Per ok run of DIR: does it show `outcome` (ending=ID, flag=NAME, event=KIND, story=ID)?

    A story is a shipped pattern (configs/stories/episode.toml) matched in the run's events.
    """
    kind, _, name = outcome.partition("=")
    if not name or kind not in ("ending", "flag", "event", "story"):
        raise UserError(f"--outcome {outcome!r}: expected {OUTCOME_FORMS}")
    if kind == "story":
        return story_hits(out_dir, ok, name)
    if kind == "ending":
        if name not in ENDINGS:
            raise UserError(f"--outcome {outcome!r}: unknown ending; allowed: {', '.join(ENDINGS)}")
        return (ok["ending"] == name).to_numpy(dtype=np.int64)
    if kind == "flag":
        if name not in YES_NO_FLAGS:
            raise UserError(
                f"--outcome {outcome!r}: unknown yes/no flag; allowed: {', '.join(YES_NO_FLAGS)}"
            )
        return ok[name].fillna(False).to_numpy(dtype=np.int64)
    column = event_column(name)
    if column not in ok:
        kinds = sorted(c.removeprefix(EVENT_PREFIX) for c in ok if c.startswith(EVENT_PREFIX))
        raise UserError(
            f"--outcome {outcome!r}: no event kind {name!r} in this batch; allowed: "
            f"{', '.join(kinds)}"
        )
    return (ok[column].fillna(0) > 0).to_numpy(dtype=np.int64)


def _swept_parameters(
    out_dir: str | Path, manifest: dict[str, Any], runs: pd.DataFrame
) -> list[str]:
    """The numeric parameters that take more than one value; refuses a batch it cannot use."""
    planned, done = manifest["runs"], len(runs)
    if done == 0:
        raise UserError(f"{out_dir}: the batch has no runs yet; run `callister batch` first.")
    if done < planned:
        raise UserError(
            f"{out_dir}: the batch is unfinished ({done} of {planned} runs); finish it with "
            "`callister batch` on the same experiment first."
        )
    if not (runs["status"] == STATUS_OK).any():
        raise UserError(f"{out_dir}: no run of the batch finished ok; nothing to discover.")
    design = manifest["design"]
    keys = []
    for index, key in enumerate(design["keys"]):
        values = [point[index] for point in design["points"]]
        if any(isinstance(v, str) or v is None for v in values):
            raise UserError(
                f"{out_dir}: parameter {key!r} takes text values; discover handles numeric "
                "and true/false parameters only."
            )
        if len({float(v) for v in values}) > 1:
            keys.append(key)
    if not keys:
        raise UserError(
            f"{out_dir}: no swept parameter (every parameter of the design takes one value); "
            "discover needs a design that varies at least one."
        )
    return keys


def _ranges(points: Points, keys: list[str]):
    bounds = full_box(points)
    return zip(keys, bounds.low, bounds.high, strict=True)


def _step_json(box: Box, points: Points, keys: list[str], bounds: Box) -> dict[str, Any]:
    columns = np.flatnonzero(restricted(box, bounds))
    return {
        "coverage": box.hits / points.hits.sum() if points.hits.sum() else None,
        "density": box.density if box.runs else None,
        "mass": box.runs / points.runs.sum(),
        "runs": box.runs,
        "hits": box.hits,
        "restricted": [keys[c] for c in columns],
        "limits": {keys[c]: [float(box.low[c]), float(box.high[c])] for c in columns},
    }


def _trajectory(found: Discovery, points: Points, keys: list[str]) -> list[dict[str, Any]]:
    bounds = full_box(points)
    return [
        {"step": i, **_step_json(b, points, keys, bounds)} for i, b in enumerate(found.trajectory)
    ]


def among(found: Discovery, number: int, points: Points) -> Points:
    """The points box `number` was found among (covering leaves out earlier boxes' points)."""
    return points.subset(found.found_among[number]) if found.found_among else points


def _box_json(
    box: Box, points: Points, keys: list[str], stable: dict[int, float], tested: Points
) -> dict[str, Any]:
    bounds = full_box(points)
    columns = np.flatnonzero(restricted(box, bounds))
    low, high = wilson_interval(box.hits, box.runs)
    tests = quasi_p(tested, box, bounds)  # where it was found: covering's later boxes too
    step = _step_json(box, points, keys, bounds)
    return {
        "limits": step.pop("limits"),
        **{k: v for k, v in step.items() if k != "restricted"},
        "density_ci": [low, high],
        "quasi_p": {keys[c]: tests[int(c)] for c in columns},
        "stability": {keys[c]: stable.get(int(c)) for c in columns},
    }
