"""The statistics of a results directory as one JSON-able dict (`callister report --json`).

Everything is computed from `runs.parquet` (plus unconsolidated fragments) sorted by run_id,
so the report is the same whatever backend or worker count produced the runs. Only ok runs
count towards outcome frequencies; failed runs are listed with their errors.
"""

from __future__ import annotations

import contextlib
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments.consolidate import consolidate, read_runs
from experiments.records import EVENT_PREFIX, STATUS_FAILED, STATUS_OK
from experiments.statistics import (
    independence_test,
    middle,
    rank_effect,
    sobol_indices,
    wilson_interval,
)
from experiments.store import ResultsStore, StoreBusy
from world.endings import ENDINGS, YES_NO_FLAGS

MAX_LEVELS_FOR_TEST = 12
MARGINAL_BINS = 8
MAX_FAILURES_LISTED = 10


def load_results(out_dir: str | Path) -> tuple[dict[str, Any], pd.DataFrame]:
    """The manifest and the runs table of DIR (consolidating first if no batch is writing)."""
    store = ResultsStore(out_dir)
    manifest = store.read_manifest()
    with contextlib.suppress(StoreBusy, OSError), store.locked():
        consolidate(store)
    return manifest, read_runs(store)


def build_report(out_dir: str | Path) -> dict[str, Any]:
    """Every statistic the text, JSON and HTML reports show."""
    manifest, runs = load_results(out_dir)
    design = manifest["design"]
    keys: list[str] = design["keys"]
    if runs.empty:
        runs = pd.DataFrame(columns=["run_id", "point", "status", "ending"])
    ok = runs[runs["status"] == STATUS_OK]
    observed = [e for e in ENDINGS if e in set(ok["ending"])]
    observed += sorted(set(ok["ending"]) - set(ENDINGS))  # endings this report does not know yet
    counts = pd.crosstab(ok["point"], ok["ending"]).reindex(
        index=range(len(design["points"])), columns=observed, fill_value=0
    )
    failed = runs[runs["status"] == STATUS_FAILED]
    report = {
        "experiment": manifest["name"],
        "description": manifest.get("description", ""),
        "out_dir": str(out_dir),
        "design": design["kind"],
        "parameters": keys,
        "replicates": manifest["replicates"],
        "series_every": manifest["experiment"]["experiment"].get("series_every", 0),
        "runs": {
            "planned": manifest["runs"],
            "ok": len(ok),
            "failed": len(failed),
            "not_run": manifest["runs"] - len(runs),
        },
        "provenance": {
            k: manifest.get(k)
            for k in ("created", "package_version", "git_commit", "git_dirty", "host")
        },
        "code_versions": sorted(runs["code"].dropna().unique().tolist()) if "code" in runs else [],
        "endings": observed,
        "overall": _frequencies(counts.sum(axis=0), len(ok)),
        "points": [
            _point(i, values, keys, counts, ok) for i, values in enumerate(design["points"])
        ],
        "test": independence_test(
            counts.to_numpy(), seed=manifest["experiment"]["experiment"]["seed"]
        ).to_json()
        if len(design["points"]) > 1
        else None,
        "parameter_tests": _parameter_tests(ok, keys, observed),
        "effects": _effects(ok, keys, observed),
        "marginals": _marginals(ok, keys, observed),
        "sobol": _sobol(ok, manifest, observed) if design["kind"] == "sobol" else None,
        "failures": [
            {
                "run_id": int(r.run_id),
                "point": int(r.point),
                "replicate": int(r.replicate),
                "error": str(r.error),
            }
            for r in failed.head(MAX_FAILURES_LISTED).itertuples()
        ],
    }
    return json_safe(report)


def json_safe(value: Any) -> Any:
    """NaN and infinities (a mean over no values...) become None; numpy scalars plain Python."""
    if isinstance(value, dict):
        return {key: json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(item) for item in value]
    value = _plain(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _frequencies(counts: pd.Series, n: int) -> dict[str, Any]:
    """count, share and 95% Wilson interval of every ending."""
    result = {}
    for ending, count in counts.items():
        low, high = wilson_interval(int(count), n)
        result[str(ending)] = {
            "count": int(count),
            "share": count / n if n else None,
            "low": low if n else None,
            "high": high if n else None,
        }
    return result


def _point(
    index: int, values: list[Any], keys: list[str], counts: pd.DataFrame, ok: pd.DataFrame
) -> dict[str, Any]:
    here = ok[ok["point"] == index]
    flags = {f: float(here[f].mean()) for f in YES_NO_FLAGS if f in here and here[f].notna().any()}
    events = {
        c.removeprefix(EVENT_PREFIX): float(here[c].mean())
        for c in here.columns
        if c.startswith(EVENT_PREFIX) and len(here)
    }
    return {
        "point": index,
        "values": dict(zip(keys, values, strict=True)),
        "ok": len(here),
        "endings": _frequencies(counts.loc[index], len(here)),
        "flags": flags,
        "events_mean": events,
    }


def _outcomes(ok: pd.DataFrame, endings: list[str]) -> dict[str, np.ndarray]:
    """Indicator per run for every ending and every boolean flag."""
    outcomes = {e: (ok["ending"] == e).to_numpy(dtype=float) for e in endings}
    for flag in YES_NO_FLAGS:
        if flag in ok:
            outcomes[flag] = ok[flag].fillna(False).to_numpy(dtype=float)
    return outcomes


def _effects(ok: pd.DataFrame, keys: list[str], endings: list[str]) -> list[dict[str, Any]]:
    """Spearman's rho of every numeric (or boolean) parameter with every outcome."""
    effects = []
    outcomes = _outcomes(ok, endings)
    for key in keys:
        column = ok[key] if key in ok else pd.Series(dtype=float)
        if not (pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column)):
            continue
        values = column.to_numpy(dtype=float)
        for outcome, hits in outcomes.items():
            effects.append(rank_effect(key, outcome, values, hits).to_json())
    return effects


def _marginals(ok: pd.DataFrame, keys: list[str], endings: list[str]) -> list[dict[str, Any]]:
    """Ending shares (with Wilson intervals) against each numeric parameter, over ok runs.

    Runs are pooled over the other parameters: by value when a parameter takes few values
    (grids), else in quantile bins (sampled designs, where each point has few runs).
    """
    marginals = []
    for key in keys:
        if key not in ok or not pd.api.types.is_numeric_dtype(ok[key]) or ok.empty:
            continue
        values = ok[key].astype(float)
        if values.nunique() <= MAX_LEVELS_FOR_TEST:
            groups = values
        else:
            groups = pd.qcut(values, q=MARGINAL_BINS, duplicates="drop")
        by_group = ok.groupby(groups, observed=True)
        sizes = by_group.size()
        entry: dict[str, Any] = {
            "parameter": key,
            "x": [middle(values.iloc[by_group.indices[g]].to_numpy()) for g in sizes.index],
            "runs": [int(n) for n in sizes],
            "endings": {},
        }
        for ending in endings:
            hits = by_group["ending"].apply(lambda column, e=ending: int((column == e).sum()))
            cells = [
                _frequencies(pd.Series({ending: h}), int(n))[ending]
                for h, n in zip(hits, sizes, strict=True)
            ]
            entry["endings"][ending] = {f: [c[f] for c in cells] for f in ("share", "low", "high")}
        marginals.append(entry)
    return marginals


def _parameter_tests(ok: pd.DataFrame, keys: list[str], endings: list[str]) -> list[dict[str, Any]]:
    """For a parameter with few levels: does the ending distribution differ between them?"""
    tests = []
    if len(keys) < 2:
        return tests  # with one parameter this is the design-point test already shown
    for key in keys:
        if key not in ok or ok[key].nunique() > MAX_LEVELS_FOR_TEST:
            continue
        table = pd.crosstab(ok[key], ok["ending"]).reindex(columns=endings, fill_value=0)
        tests.append(
            {
                "parameter": key,
                "levels": [_plain(v) for v in table.index],
                **independence_test(table.to_numpy()).to_json(),
            }
        )
    return tests


def _sobol(ok: pd.DataFrame, manifest: dict[str, Any], endings: list[str]) -> dict[str, Any]:
    """Sobol indices of each outcome's per-point frequency (needs every point to have runs)."""
    design = manifest["design"]
    keys, n_points = design["keys"], len(design["points"])
    seed = manifest["experiment"]["experiment"]["seed"]
    per_point = ok.groupby("point")
    result: dict[str, Any] = {"base_samples": design["base_samples"], "outcomes": {}, "note": ""}
    missing = n_points - per_point.ngroups
    if missing:
        result["note"] = f"{missing} design points have no ok run yet: indices need all of them"
        return result
    for outcome, hits in _outcomes(ok, endings).items():
        y = pd.Series(hits, index=ok.index).groupby(ok["point"]).mean().sort_index().to_numpy()
        if np.ptp(y) == 0:
            continue  # an outcome that never varies has no variance to apportion
        result["outcomes"][outcome] = [s.to_json() for s in sobol_indices(outcome, keys, y, seed)]
    return result


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value
