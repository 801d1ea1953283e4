"""Stories benchmarks: `callister stories RESULTS`'s engine over a batch of N runs' real events.

The events are real: 50 default 90-day runs (configs/default.toml, seeds 0-49) are simulated
once per bench invocation (~30 s), or, with CALLISTER_BENCH_RESULTS=DIR, the first 50 ok runs
of that batch are read from its events.parquet. The N-run store repeats those 50 event logs
under new run ids (run k has the events and the ending of source run k mod 50), in a results
directory made as `callister batch` makes one (an LHS design of N / 5 points, 5 replicates;
`benchmarks.discover.create_store`), with the consolidated `runs.parquet` and `events.parquet`
a finished batch leaves. Matching costs what the logs hold, so repeating real logs measures
real work; only the design values beside them are made up.

Each timed call is one whole `batch_stories()` with the shipped patterns
(configs/stories/episode.toml): reading runs.parquet and events.parquet, building each run's
timeline, matching every pattern, the shares per design point.

Cases (`python -m benchmarks stories`): `stories 100 runs` and `stories 1,000 runs` (target
10 s, issue 15); with CALLISTER_BENCH_RESULTS=DIR also `stories on DIR` (the real batch).
`notes` splits each case's median call into its stages.
`python -m benchmarks.stories [--runs N ...] [--repeats R] [--results DIR]` prints the same
split for any sizes (the docs' growth table: 100 / 1,000 / 10,000 runs).
"""

from __future__ import annotations

import functools
import os
import sys
import tempfile
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

import experiments.stories_batch as stories_batch
from benchmarks import Case, Result
from benchmarks.discover import REPLICATES, RESULTS_VARIABLE, create_store, runs_table
from benchmarks.stages import StageClock, medians_text, sizes_main, timed_stages
from configuration.loading import load_config
from experiments import durable
from experiments.consolidate import ROW_GROUP_ROWS
from experiments.records import EVENTS_SCHEMA, STATUS_OK, events_table
from experiments.report import load_results
from experiments.store import ResultsStore, read_parquet
from experiments.stories_language import load_patterns
from world.simulate import simulate

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = REPO / "configs" / "default.toml"
PATTERNS = REPO / "configs" / "stories" / "episode.toml"
SOURCE_RUNS = 50
TARGET_S = 10.0
TARGET_RUNS = 1_000
OTHER_STAGE = "the rest"  # sorting and slicing the events, shares per point
STAGES = ("reading runs", "reading events", "building timelines", "matching", OTHER_STAGE)


class EventLogs:
    """The real event logs (and endings) of SOURCE_RUNS runs, made or read on first use."""

    def __init__(self, results: Path | None = None) -> None:
        self.results = results
        self._logs: list[tuple[str, pa.Table]] | None = None

    def logs(self) -> list[tuple[str, pa.Table]]:
        if self._logs is None:
            self._logs = self._read() if self.results else self._simulate()
        return self._logs

    def describe(self) -> str:
        if self.results:
            return f"the first {SOURCE_RUNS} ok runs of {self.results}"
        return f"{SOURCE_RUNS} default runs"

    def _simulate(self) -> list[tuple[str, pa.Table]]:
        config = load_config(DEFAULT_CONFIG)
        logs = []
        for seed in range(SOURCE_RUNS):
            result = simulate(config, seed=seed)
            logs.append((result.ending, events_table(0, result.events)))
        return logs

    def _read(self) -> list[tuple[str, pa.Table]]:
        assert self.results is not None
        _, runs = load_results(self.results)
        ok = runs[runs["status"] == STATUS_OK].head(SOURCE_RUNS)
        events = read_parquet(ResultsStore(self.results).events.table)
        logs = []
        for run_id, ending in zip(ok["run_id"], ok["ending"], strict=True):
            mine = events.filter(pc.equal(events.column("run_id"), int(run_id)))
            logs.append((ending, mine))
        return logs


def build_store(directory: Path, runs: int, logs: list[tuple[str, pa.Table]]) -> Path:
    """A finished batch of `runs` runs repeating `logs` under new run ids; returns its path."""
    store, design, _ = create_store(directory, runs)
    count = len(design) * REPLICATES
    source = [logs[run_id % len(logs)] for run_id in range(count)]
    endings = np.array([ending for ending, _ in source])
    rng = np.random.default_rng(0)
    events = pa.concat_tables(
        table.set_column(0, "run_id", pa.array([run_id] * len(table), pa.int64()))
        for run_id, (_, table) in enumerate(source)
    ).cast(EVENTS_SCHEMA)
    with store.locked():  # as consolidation leaves a finished batch
        table = runs_table(design, endings, np.zeros(count, dtype=bool), rng)
        durable.write_table_atomic(store.runs_table, table)
        durable.write_table_atomic(store.events.table, events, row_group_size=ROW_GROUP_ROWS)
    return store.root


class StoriesCall:
    """One whole `batch_stories()` over a store built on first use; keeps each call's stages."""

    def __init__(self, logs: EventLogs, runs: int | None = None, results: Path | None = None):
        self.event_logs, self.runs, self.results = logs, runs, results
        self.synthetic = results is None
        self.patterns = load_patterns(PATTERNS)
        self.splits: list[dict[str, float]] = []

    def label(self) -> str:
        return f"{self.runs:,} runs" if self.synthetic else f"on {self.results}"

    def __call__(self) -> None:
        if self.results is None:
            assert self.runs is not None
            self._temporary = tempfile.TemporaryDirectory(prefix="callister-stories-")
            logs = self.event_logs.logs()
            self.results = build_store(Path(self._temporary.name), self.runs, logs)
        clock = StageClock(
            [
                (stories_batch, "load_results", "reading runs"),
                (stories_batch, "_event_tables", "reading events"),
                (stories_batch, "build_timeline", "building timelines"),
                (stories_batch, "find_matches", "matching"),
            ]
        )
        run = functools.partial(stories_batch.batch_stories, self.patterns, self.results)
        found, split = timed_stages(clock, run, OTHER_STAGE)
        self.splits.append(split)
        self.runs = found["runs"]


def split_line(call: StoriesCall) -> str:
    source = f", events of {call.event_logs.describe()}" if call.synthetic else ""
    return (
        f"stories {call.label()} ({call.runs:,} ok runs, {len(call.patterns)} patterns"
        f"{source}), " + medians_text(call.splits, STAGES)
    )


def cases() -> list[Case]:
    real = os.environ.get(RESULTS_VARIABLE)
    logs = EventLogs(Path(real) if real else None)
    found = [
        Case("stories 100 runs", StoriesCall(logs, 100), repeats=5),
        Case("stories 1,000 runs", StoriesCall(logs, TARGET_RUNS), TARGET_S, repeats=3),
    ]
    if real:
        found.append(Case(f"stories on {real}", StoriesCall(logs, results=Path(real)), repeats=3))
    return found


def notes(results: list[Result]) -> list[str]:
    return [split_line(r.case.run) for r in results if isinstance(r.case.run, StoriesCall)]


def main(argv: list[str] | None = None) -> int:
    logs: dict[Path | None, EventLogs] = {}  # one set of source logs for every size

    def make_call(runs: int | None, results: Path | None) -> StoriesCall:
        source = logs.setdefault(results, EventLogs(results))
        return StoriesCall(source, runs) if runs else StoriesCall(source, results=results)

    return sizes_main(argv, "stories", [100, 1_000, 10_000], make_call, split_line)


if __name__ == "__main__":
    sys.exit(main())
