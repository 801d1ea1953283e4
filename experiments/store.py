"""The results directory of a batch: durable per-run fragments, a manifest, a session log.

    DIR/manifest.json     written once: experiment, design, resolved base config, provenance
    DIR/experiment.toml   the experiment file, verbatim
    DIR/sessions.jsonl    append-only: one line when a `callister batch` starts and one when it ends
    DIR/runs/             r<run_id>-a<attempt>-<status>.parquet: one row per finished run
    DIR/series/           r<run_id>-a<attempt>.parquet: the downsampled metrics of an ok run
    DIR/events/           r<run_id>-a<attempt>.parquet: an ok run's events (tick, kind, actors)
    DIR/runs.parquet      every run, one row each, sorted by run_id (see consolidate.py)
    DIR/series.parquet    every ok run's series, long format (run_id, tick, metrics...)
    DIR/events.parquet    every ok run's events, long format (run_id, tick, kind, actors)
    DIR/.lock             flock'd by the batch that writes into DIR (see store_lock.py)
    DIR/quarantine/       files that could not be read, set aside (never deleted)

A run is committed when its `runs/` fragment is renamed into place (its series and events
fragments are written first). Nothing is ever rewritten in place, so a crash at any moment
loses at most the runs still in flight; `finished()` is what resume subtracts from the plan.
A consolidated table that cannot be read is never repaired in place: consolidation moves it
to `quarantine/`, and the runs it held are redone (they are deterministic).
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from configuration.errors import UserError
from configuration.input_files import parse_json, read_text
from experiments import durable
from experiments.manifest_shape import check_manifest
from experiments.store_lock import (
    LOCK_NAME,
    STARTING_NAMES,
    TRANSIENT_PREFIXES,
    StoreBusy,
    held_lock,
    left_starting,
)

if TYPE_CHECKING:  # pandas is imported only by the readers: the batch driver never needs it
    import pandas as pd

FORMAT = "callister-batch/1"
_RUN_FRAGMENT = re.compile(r"r(\d+)-a(\d+)-(ok|failed)\.parquet")
_PER_RUN_FRAGMENT = re.compile(r"r(\d+)-a(\d+)\.parquet")
_REASON_CHARS = 300
__all__ = [
    "FORMAT",
    "Fragment",
    "ResultsStore",
    "StoreBusy",
    "UnreadableTable",
    "is_batch_directory",
    "read_parquet",
]


class UnreadableTable(UserError):
    """A Parquet file of the store that cannot be read (truncated, corrupted, not Parquet)."""

    def __init__(self, path: Path, error: BaseException) -> None:
        reason = f"{type(error).__name__}: {error}"
        self.path = path
        self.reason = reason if len(reason) <= _REASON_CHARS else reason[:_REASON_CHARS] + "..."
        super().__init__(
            f"{path}: unreadable Parquet file ({self.reason}). Run the batch's `callister batch` "
            "command on this directory again: it sets the file aside and redoes its runs."
        )


def read_parquet(path: Path, **options: Any) -> pa.Table:
    """`pq.read_table(path, **options)`, or `UnreadableTable` naming the file."""
    try:
        return pq.read_table(path, **options)
    except (OSError, pa.ArrowException) as error:
        raise UnreadableTable(path, error) from None


def is_batch_directory(path: Path) -> bool:
    """DIR is a results directory, or one a batch is starting in (`ours` of the write policy)."""
    return (path / "manifest.json").is_file() or left_starting(path)


@dataclass(frozen=True, slots=True)
class PerRunTable:
    """Rows of each ok run: fragments in DIR/<name>/, folded into DIR/<name>.parquet."""

    name: str
    directory: Path
    table: Path

    def fragments(self) -> list[Fragment]:
        return _list(self.directory, _PER_RUN_FRAGMENT)

    def run_ids(self) -> set[int]:
        """The runs that have rows: in the folded table or in a fragment."""
        found = {fragment.run_id for fragment in self.fragments()}
        if self.table.exists():
            run_ids = read_parquet(self.table, columns=["run_id"]).column("run_id")
            found.update(pc.unique(run_ids).to_pylist())
        return found

    def read(self, run_ids: list[int] | None = None) -> pa.Table | None:
        """The rows of `run_ids` (all runs if None): folded part plus fragments, run by run."""
        tables = []
        if self.table.exists():
            filters = [("run_id", "in", run_ids)] if run_ids is not None else None
            tables.append(read_parquet(self.table, filters=filters))
        wanted = set(run_ids) if run_ids is not None else None
        for fragment in self.fragments():
            if wanted is None or fragment.run_id in wanted:
                with contextlib.suppress(OSError, pa.ArrowInvalid):  # one being written
                    tables.append(pq.read_table(fragment.path))
        if not tables:
            return None
        return pa.concat_tables(tables, promote_options="permissive")


@dataclass(frozen=True, slots=True)
class Fragment:
    """One committed per-run file in `runs/` (or a series file in `series/`)."""

    path: Path
    run_id: int
    attempt: int
    status: str = ""


class ResultsStore:
    """Paths and primitive operations of one results directory."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.manifest_path = self.root / "manifest.json"
        self.experiment_path = self.root / "experiment.toml"
        self.sessions_path = self.root / "sessions.jsonl"
        self.runs_dir = self.root / "runs"
        self.runs_table = self.root / "runs.parquet"
        self.series = PerRunTable("series", self.root / "series", self.root / "series.parquet")
        self.events = PerRunTable("events", self.root / "events", self.root / "events.parquet")
        self.series_dir, self.series_table = self.series.directory, self.series.table
        self.per_run_tables = (self.series, self.events)
        self.lock_path = self.root / LOCK_NAME

    # -- lifecycle ------------------------------------------------------------------------

    def exists(self) -> bool:
        return self.manifest_path.is_file()

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold DIR's exclusive lock (released by the OS even on SIGKILL); `StoreBusy` if taken.

        If DIR does not become a store meanwhile, the lock file and the directories this call
        created are removed again on exit (see `store_lock.held_lock`).
        """
        with held_lock(self.root, keep=self.exists):
            yield

    def create(self, manifest: dict[str, Any], experiment_text: str) -> None:
        """Lay out a fresh directory; refuses a non-empty directory that is not a batch store."""
        stray = sorted(
            p.name
            for p in self.root.iterdir()
            if p.name not in STARTING_NAMES and not p.name.startswith(TRANSIENT_PREFIXES)
        )
        if stray:
            raise UserError(
                f"{self.root}: the directory exists, is not empty and holds no batch results "
                f"(found {', '.join(stray[:5])}); choose another --out."
            )
        for directory in (self.runs_dir, self.series.directory, self.events.directory):
            directory.mkdir(exist_ok=True)
        durable.write_bytes_atomic(self.experiment_path, experiment_text.encode("utf-8"))
        # The manifest goes last: its presence is what marks DIR as a batch store.
        durable.write_json_atomic(self.manifest_path, {"format": FORMAT, **manifest})

    def read_manifest(self) -> dict[str, Any]:
        if not self.exists():
            raise UserError(
                f"{self.root}: not a batch results directory (no manifest.json); "
                "run `callister batch EXPERIMENT --out DIR` first."
            )
        manifest = parse_json(read_text(self.manifest_path, "manifest"), self.manifest_path)
        return check_manifest(manifest, self.manifest_path, FORMAT)

    def append_session(self, record: dict[str, Any]) -> None:
        durable.append_jsonl(self.sessions_path, record)

    def sweep(self) -> int:
        """Remove half-written temporary files left by a crash (only while holding the lock)."""
        directories = (self.root, self.runs_dir, *(t.directory for t in self.per_run_tables))
        return sum(durable.sweep_tmp_files(d) for d in directories)

    # -- per-run fragments -----------------------------------------------------------------

    def write_run(
        self, row_table: pa.Table, series: pa.Table | None, events: pa.Table | None = None
    ) -> None:
        """Commit one finished run: its series and events first, then its row (the commit point)."""
        run_id = int(row_table.column("run_id")[0].as_py())
        attempt = int(row_table.column("attempt")[0].as_py())
        status = row_table.column("status")[0].as_py()
        # each directory is made again if missing: emptied by hand, or a store made before
        # batches kept events
        for per_run, table in ((self.series, series), (self.events, events)):
            if table is not None and table.num_rows:
                per_run.directory.mkdir(exist_ok=True)
                durable.write_table_atomic(
                    per_run.directory / f"r{run_id:010d}-a{attempt}.parquet", table
                )
        self.runs_dir.mkdir(exist_ok=True)
        durable.write_table_atomic(
            self.runs_dir / f"r{run_id:010d}-a{attempt}-{status}.parquet", row_table
        )

    def run_fragments(self) -> list[Fragment]:
        """Committed run fragments in (run_id, attempt) order."""
        return _list(self.runs_dir, _RUN_FRAGMENT)

    def series_fragments(self) -> list[Fragment]:
        return self.series.fragments()

    def finished(self) -> dict[int, tuple[int, str]]:
        """run_id -> (latest attempt, its status), from runs.parquet and the fragments.

        Reads only three columns of runs.parquet and file names of fragments: cheap even for
        a large batch, and independent of whether a consolidation completed.
        """
        done: dict[int, tuple[int, str]] = {}
        if self.runs_table.exists():
            table = read_parquet(self.runs_table, columns=["run_id", "attempt", "status"])
            for run_id, attempt, status in zip(
                *(table.column(c).to_pylist() for c in ("run_id", "attempt", "status")),
                strict=True,
            ):
                done[run_id] = (attempt, status)
        for fragment in self.run_fragments():
            if fragment.attempt >= done.get(fragment.run_id, (-1, ""))[0]:
                done[fragment.run_id] = (fragment.attempt, fragment.status)
        return done

    def series_run_ids(self) -> set[int]:
        """The runs that have a series: in series.parquet or in a fragment of `series/`."""
        return self.series.run_ids()

    def quarantine(self, path: Path) -> Path:
        """Move an unreadable file aside (never delete data) so that its runs are redone.

        A name already in `quarantine/` gets a numbered sibling: nothing set aside earlier is
        ever replaced.
        """
        directory = self.root / "quarantine"
        directory.mkdir(exist_ok=True)
        target, number = directory / path.name, 1
        while target.exists():
            target, number = directory / f"{path.name}.{number}", number + 1
        os.replace(path, target)
        return target

    # -- reading ----------------------------------------------------------------------------

    def read_series(self, run_ids: list[int] | None = None) -> pd.DataFrame:
        """Per-tick metrics of ok runs (consolidated part plus fragments), long format."""
        import pandas as pd

        table = self.series.read(run_ids)
        if table is None:
            return pd.DataFrame()
        series = table.to_pandas()
        return series.drop_duplicates(["run_id", "tick"]).sort_values(["run_id", "tick"])


def _list(directory: Path, pattern: re.Pattern[str]) -> list[Fragment]:
    if not directory.is_dir():
        return []
    found = []
    for entry in os.scandir(directory):
        match = pattern.fullmatch(entry.name)
        if match:
            status = match[3] if pattern.groups >= 3 else ""
            found.append(Fragment(Path(entry.path), int(match[1]), int(match[2]), status))
    return sorted(found, key=lambda f: (f.run_id, f.attempt))
