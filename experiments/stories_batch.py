"""Story patterns over a batch: each pattern's share of runs, overall and per design point.

A batch keeps each ok run's events (events.parquet: hour, kind, actors) but not its
characters' choices, so a pattern with an action beat cannot be judged there: it is reported
as not applicable rather than as never found. Shares come with Wilson intervals, as
`callister report` gives them, and patterns are ranked rarest first.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from configuration.errors import UserError
from experiments.consolidate import runs_without_events
from experiments.records import EVENTS_SCHEMA, STATUS_OK
from experiments.report import json_safe, load_results
from experiments.statistics import wilson_interval
from experiments.store import ResultsStore, UnreadableTable, read_parquet
from experiments.stories import find_matches, index_timeline
from experiments.stories_language import (
    DEFAULT_PATTERNS,
    Pattern,
    kinds_named,
    load_patterns,
    needs_decisions,
)
from experiments.stories_timeline import EVENT, PROMOTION, Happening, build_timeline, cast_entry

CAST_FIELDS = ("display_name", "role")  # what a swept `characters.NAME.FIELD` may change


@dataclass(frozen=True)
class BatchMatches:
    """Which ok runs of a batch each pattern matched (`hits[id]`, aligned with `ok`'s rows)."""

    manifest: dict[str, Any]
    runs: pd.DataFrame  # every run, as `callister report` reads them
    ok: pd.DataFrame  # the ok runs, in run_id order
    applicable: dict[str, bool]  # False: a beat is a chosen action, which batches do not keep
    hits: dict[str, np.ndarray]


def match_batch(patterns: Mapping[str, Pattern], out_dir: str | Path) -> BatchMatches:
    """Match every pattern in every ok run of the batch in DIR (refusing what cannot be read)."""
    manifest, runs = load_results(out_dir)
    if manifest.get("fork") is not None:
        raise UserError(
            f"{out_dir}: the results of a fork (`callister fork --out`) keep no events, so "
            "their stories cannot be read; `callister fork --json` lists each branch's events."
        )
    if not manifest.get("events"):
        raise UserError(
            f"{out_dir}: this batch kept no events (its experiment has `events = false`, or it "
            "was made before batches kept them), so its stories cannot be read; run the "
            "experiment again into a new --out with `events = true` (the default)."
        )
    ok = runs[runs["status"] == STATUS_OK] if not runs.empty else runs
    if ok.empty:
        raise UserError(f"{out_dir}: no run of the batch has finished ok yet; nothing to read.")
    store = ResultsStore(out_dir)
    finished = store.finished()
    lost = runs_without_events(store, finished)
    if lost:  # counting them as matching nothing would understate every share
        raise UserError(
            f"{out_dir}: {len(lost)} ok run(s) have lost their events (a deleted or unreadable "
            "file); run the command that made this directory again (`callister batch "
            "EXPERIMENT --out DIR`, or `callister verify ... --out DIR`): it redoes them, with "
            "the same seeds and results."
        )
    run_ids = ok["run_id"].to_numpy(dtype=np.int64)
    points = ok["point"].to_numpy(dtype=np.int64)
    endings = ok["ending"].tolist()
    casts = _casts(manifest)
    applicable = {pid: not needs_decisions(p) for pid, p in patterns.items()}
    hits = {pid: np.zeros(len(run_ids), dtype=bool) for pid in patterns}
    position = {int(run_id): n for n, run_id in enumerate(run_ids)}
    kinds = {
        kind
        for pattern_id, pattern in patterns.items()
        if applicable[pattern_id]
        for source, kind in kinds_named(pattern)
        if source == EVENT
    }
    for run_id, timeline in _timelines(store, finished, position, points, casts, kinds):
        n = position[run_id]
        index = index_timeline(timeline)
        for pattern_id, pattern in patterns.items():
            if applicable[pattern_id]:
                hits[pattern_id][n] = bool(find_matches(pattern, timeline, endings[n], index))
    return BatchMatches(manifest, runs, ok, applicable, hits)


def batch_stories(patterns: Mapping[str, Pattern], out_dir: str | Path) -> dict[str, Any]:
    """The `--json` object of `callister stories RESULTS`: every pattern, rarest first."""
    found = match_batch(patterns, out_dir)
    manifest, runs = found.manifest, found.runs
    run_ids = found.ok["run_id"].to_numpy(dtype=np.int64)
    points = found.ok["point"].to_numpy(dtype=np.int64)
    rows = [
        _pattern_row(
            pid, pattern, found.applicable[pid], found.hits[pid], run_ids, points, manifest
        )
        for pid, pattern in patterns.items()
    ]
    rows.sort(key=lambda row: (not row["applicable"], row["share"]))  # rarest first (stable)
    return json_safe(
        {
            "results": str(out_dir),
            "experiment": manifest["name"],
            "parameters": manifest["design"]["keys"],
            "runs": len(run_ids),
            "planned": manifest["runs"],
            "failed_runs": int((runs["status"] != STATUS_OK).sum()),
            "patterns": rows,
        }
    )


def story_hits(out_dir: str | Path, ok: pd.DataFrame, pattern_id: str) -> np.ndarray:
    """Per row of `ok` (ok runs of DIR): does the shipped pattern `pattern_id` match it?

    What `callister discover --outcome story=ID` and `callister verify` count.
    """
    shipped = load_patterns(DEFAULT_PATTERNS)
    if pattern_id not in shipped:
        raise UserError(
            f"--outcome story={pattern_id}: no such pattern in {DEFAULT_PATTERNS}; "
            f"allowed: {', '.join(shipped)}"
        )
    pattern = shipped[pattern_id]
    if needs_decisions(pattern):
        raise UserError(
            f"--outcome story={pattern_id}: a beat of this pattern is a chosen action, and "
            "batches keep no decisions; only patterns of events can be counted over a batch."
        )
    found = match_batch({pattern_id: pattern}, out_dir)
    by_run = dict(zip(found.ok["run_id"].tolist(), found.hits[pattern_id].tolist(), strict=True))
    return np.array([by_run[run_id] for run_id in ok["run_id"].tolist()], dtype=np.int64)


def _pattern_row(
    pattern_id: str,
    pattern: Pattern,
    applicable: bool,
    hits: np.ndarray,
    run_ids: np.ndarray,
    points: np.ndarray,
    manifest: dict[str, Any],
) -> dict[str, Any]:
    matched = int(hits.sum())
    low, high = wilson_interval(matched, len(hits))
    keys, design_points = manifest["design"]["keys"], manifest["design"]["points"]
    per_point = []
    for point in np.unique(points):
        here = points == point
        found, total = int(hits[here].sum()), int(here.sum())
        point_low, point_high = wilson_interval(found, total)
        per_point.append(
            {
                "point": int(point),
                "values": dict(zip(keys, design_points[point], strict=True)),
                "runs": total,
                "runs_matched": found,
                "share": found / total,
                "ci": [point_low, point_high],
            }
        )
    return {
        "id": pattern_id,
        "name": pattern.name,
        "description": pattern.description,
        "applicable": applicable,
        "runs_matched": matched if applicable else None,
        "share": matched / len(hits) if applicable else None,
        "ci": [low, high] if applicable else [None, None],
        "points": per_point if applicable else [],
        "run_ids": run_ids[hits].tolist() if applicable else [],
    }


def _casts(manifest: dict[str, Any]) -> dict[int, dict[str, tuple[str, str]]]:
    """Each design point's cast, character id -> (display name, role)."""
    characters = manifest["base_config"].get("characters", {})
    base = {
        name: cast_entry(name, c.get("display_name"), c["role"]) for name, c in characters.items()
    }
    keys = manifest["design"]["keys"]
    casts = {}
    for point, values in enumerate(manifest["design"]["points"]):
        cast = dict(base)
        for key, value in zip(keys, values, strict=True):
            section, _, rest = key.partition(".")
            name, _, field = rest.partition(".")
            if section == "characters" and name in characters and field in CAST_FIELDS:
                settings = {**characters[name], field: value}
                cast[name] = cast_entry(name, settings.get("display_name"), settings["role"])
        casts[point] = cast
    return casts


def _timelines(
    store: ResultsStore,
    finished: Mapping[int, tuple[int, str]],
    position: Mapping[int, int],
    points: np.ndarray,
    casts: Mapping[int, Mapping[str, tuple[str, str]]],
    kinds: Collection[str],
) -> Iterator[tuple[int, list[Happening]]]:
    """Each ok run's timeline of the events of `kinds`, one run at a time.

    A timeline of only the kinds the patterns name (and the promotions that change roles)
    matches exactly as the whole one: beats and guards look only at happenings of their own
    kind, and compare them by order and hour, which leaving others out does not change.
    Most of a run's events (robberies, battles, complaints) are named by no pattern.
    """
    tables = list(_event_tables(store, finished, position))
    table = pa.concat_tables(tables) if tables else EVENTS_SCHEMA.empty_table()
    table = table.filter(pc.is_in(table.column("kind"), pa.array(sorted({*kinds, PROMOTION}))))
    # a stable sort: each run's events stay in the order the run recorded them
    table = table.take(pc.sort_indices(table, [("run_id", "ascending")]))
    run_column = table.column("run_id").to_numpy()
    starts = np.flatnonzero(np.r_[True, run_column[1:] != run_column[:-1]]) if len(table) else []
    ends = [*starts[1:], len(table)] if len(table) else []  # no events of these kinds at all
    spans = {
        int(run_column[start]): (int(start), int(end))
        for start, end in zip(starts, ends, strict=True)
    }
    # whole columns to Python once: slicing lists per run is far cheaper than Arrow slices
    ticks, kind_column, actors = (table.column(c).to_pylist() for c in ("tick", "kind", "actors"))
    for run_id, n in position.items():
        start, end = spans.get(run_id, (0, 0))
        events = zip(
            ticks[start:end],
            kind_column[start:end],
            actors[start:end],
            [""] * (end - start),
            strict=True,
        )
        yield run_id, build_timeline(events, (), casts[int(points[n])])


def _event_tables(
    store: ResultsStore, finished: Mapping[int, tuple[int, str]], position: Mapping[int, int]
) -> Iterator[pa.Table]:
    """The folded events table, and the fragments of the ok runs it does not hold yet (their
    latest attempts, by `store.finished()`)."""
    held: set[int] = set()
    if store.events.table.exists():
        table = read_parquet(store.events.table)
        if [(f.name, f.type) for f in table.schema] != [(f.name, f.type) for f in EVENTS_SCHEMA]:
            columns = ", ".join(f"{f.name} ({f.type})" for f in EVENTS_SCHEMA)
            raise UnreadableTable(store.events.table, ValueError(f"expected columns {columns}"))
        held = set(np.unique(table.column("run_id").to_numpy()).tolist())
        yield table.filter(pc.is_in(table.column("run_id"), pa.array(list(position), pa.int64())))
    for fragment in store.events.fragments():
        latest = finished.get(fragment.run_id, (None, ""))[0]
        fresh = fragment.run_id in position and fragment.run_id not in held
        if fresh and fragment.attempt == latest:
            table = read_parquet(fragment.path)
            try:
                yield table.cast(EVENTS_SCHEMA)
            except (ValueError, pa.ArrowException) as error:
                raise UnreadableTable(fragment.path, error) from None
