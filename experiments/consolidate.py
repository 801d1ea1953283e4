"""Fold per-run fragments into runs.parquet, series.parquet and events.parquet, crash-safely.

Consolidation runs under DIR's lock (at the start and end of a batch, and in `callister report`
when no batch holds the lock). Each consolidated file is rebuilt into a temporary file and
renamed over the old one; only then are the fragments it absorbed deleted. A crash in between
leaves fragments whose rows are already consolidated: they are deduplicated next time (per
run_id the highest attempt wins, and identical rows are identical), so nothing is lost or
counted twice. Series and events are streamed row group by row group, so memory stays flat
however many runs there are.

A file that cannot be read (truncated, corrupted) is moved to `quarantine/` with a warning,
never repaired in place or deleted; the runs it held are then missing (or lack their series
or events)
and the next `callister batch` runs them again, with the same seeds and results.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from experiments import durable
from experiments.records import EVENT_PREFIX, STATUS_OK
from experiments.store import PerRunTable, ResultsStore, UnreadableTable, read_parquet

if TYPE_CHECKING:
    import pandas as pd

# series.parquet and events.parquet are written and re-read in row groups of at most this
# many rows: a reader holds a whole row group, and a batch resumed or folded twice re-reads
# the file.
ROW_GROUP_ROWS = 8_192
# Fragments are folded into one compact table every this many files: a pyarrow Table costs
# tens of KB of bookkeeping however small it is, so holding thousands at once would make the
# driver's memory grow with the number of runs.
FRAGMENTS_PER_COMPACTION = 64
RUNS_LOST = "the runs it held"


def lost_with(per_run: PerRunTable) -> str:
    return f"the runs whose {per_run.name} it held"


@dataclass(frozen=True)
class Consolidation:
    runs_absorbed: int
    series_absorbed: int
    quarantined: int
    events_absorbed: int = 0


def read_runs(store: ResultsStore) -> pd.DataFrame:
    """Every run (latest attempt), sorted by run_id, whether or not consolidation ran."""
    import pandas as pd  # only readers need it: the batch driver never imports pandas

    table = merged_runs(store, quarantine_bad=False)
    return table.to_pandas() if table is not None else pd.DataFrame()


def merged_runs(store: ResultsStore, *, quarantine_bad: bool) -> pa.Table | None:
    """runs.parquet plus every fragment, one row per run_id (its latest attempt), sorted."""
    tables: list[pa.Table] = []
    if store.runs_table.exists():
        tables.append(read_parquet(store.runs_table))
    pending: list[pa.Table] = []
    for fragment in store.run_fragments():
        try:
            pending.append(_read_fragment(fragment.path))
        except UnreadableTable as error:
            if quarantine_bad:
                set_aside(store, error, "its run")
        if len(pending) >= FRAGMENTS_PER_COMPACTION:
            tables.append(_compact(pending))
            pending = []
    if pending:
        tables.append(_compact(pending))
    if not tables:
        return None
    table = pa.concat_tables(tables, promote_options="permissive")
    table = table.sort_by([("run_id", "ascending"), ("attempt", "descending")])
    run_ids = table.column("run_id").to_numpy()
    first_of_each = np.ones(len(run_ids), dtype=bool)
    first_of_each[1:] = run_ids[1:] != run_ids[:-1]
    return table.filter(pa.array(first_of_each))


def runs_without_events(store: ResultsStore, finished: dict[int, tuple[int, str]]) -> set[int]:
    """Ok runs whose events are gone (a run that recorded no event has none to lose)."""
    ok = {run_id for run_id, (_, status) in finished.items() if status == STATUS_OK}
    missing = ok - store.events.run_ids()
    if not missing:
        return set()
    runs = merged_runs(store, quarantine_bad=False)
    counts = [name for name in runs.column_names if name.startswith(EVENT_PREFIX)]
    quiet = {
        run_id
        for run_id, *numbers in zip(
            runs.column("run_id").to_pylist(),
            *(runs.column(name).to_pylist() for name in counts),
            strict=True,
        )
        if not any(numbers)
    }
    return missing - quiet


def _read_fragment(path: Path) -> pa.Table:
    # ParquetFile reads a small file in half the time of pq.read_table (no dataset layer).
    try:
        with pq.ParquetFile(path) as parquet:
            return parquet.read(use_threads=False)
    except (OSError, pa.ArrowException) as error:
        raise UnreadableTable(path, error) from None


def _read_schema(path: Path) -> pa.Schema:
    try:
        return pq.read_schema(path)
    except (OSError, pa.ArrowException) as error:
        raise UnreadableTable(path, error) from None


def set_aside(store: ResultsStore, error: UnreadableTable, lost: str) -> None:
    """Move an unreadable file to `quarantine/` and say which runs will be run again."""
    moved = store.quarantine(error.path)
    print(
        f"warning: {error.path} is unreadable ({error.reason}); moved to {moved}: {lost} "
        "will be redone by `callister batch` on this directory (same seeds, same results).",
        file=sys.stderr,
    )


def _set_aside_unreadable_tables(store: ResultsStore) -> int:
    """Quarantine a consolidated table that cannot be read; how many were set aside.

    runs.parquet (one row per run) is read whole; of series.parquet and events.parquet only the
    footer, which a truncated file lacks: a fault further in is met, and handled, while it is
    streamed.
    """
    set_aside_count = 0
    try:
        if store.runs_table.exists():
            read_parquet(store.runs_table)
    except UnreadableTable as error:
        set_aside(store, error, RUNS_LOST)
        set_aside_count += 1
    for per_run in store.per_run_tables:
        try:
            if per_run.table.exists():
                _read_schema(per_run.table)
        except UnreadableTable as error:
            set_aside(store, error, lost_with(per_run))
            set_aside_count += 1
    return set_aside_count


def _compact(tables: list[pa.Table]) -> pa.Table:
    """One table with contiguous columns from many small ones (their overhead is freed)."""
    return pa.concat_tables(tables, promote_options="permissive").combine_chunks()


def consolidate(store: ResultsStore) -> Consolidation:
    """Absorb fragments into the consolidated tables. Call only while holding DIR's lock."""
    quarantined = _set_aside_unreadable_tables(store)
    fragments = store.run_fragments()
    bad_fragments = 0
    if fragments:
        before = len(fragments)
        table = merged_runs(store, quarantine_bad=True)
        bad_fragments = before - len(store.run_fragments())
        if table is not None:
            durable.write_table_atomic(store.runs_table, table)
    finished = store.finished()
    absorbed = {}
    for per_run in store.per_run_tables:
        while True:
            try:
                absorbed[per_run.name] = _consolidate_per_run(per_run, finished)
                break
            except UnreadableTable as error:  # each pass sets one more file aside: it ends
                lost = lost_with(per_run) if error.path == per_run.table else "its run"
                set_aside(store, error, lost)
                quarantined += 1
    for fragment in fragments:
        fragment.path.unlink(missing_ok=True)
    return Consolidation(
        len(fragments) - bad_fragments,
        absorbed["series"],
        quarantined + bad_fragments,
        absorbed["events"],
    )


def _consolidate_per_run(per_run: PerRunTable, finished: dict[int, tuple[int, str]]) -> int:
    """Stream the folded table and the committed fragments of `per_run` into a new table."""
    fragments = per_run.fragments()
    if not fragments:
        return 0
    committed = {(run_id, a) for run_id, (a, status) in finished.items() if status == STATUS_OK}
    existing = per_run.table.exists()
    present: set[int] = set()
    if existing:
        ids = read_parquet(per_run.table, columns=["run_id"]).column("run_id")
        present = set(pc.unique(ids).to_pylist())
    # A fragment whose run never committed (the driver died between the two writes) is an
    # orphan: its run will be redone and rewrite it, so it is not absorbed.
    fresh = [f for f in fragments if (f.run_id, f.attempt) in committed and f.run_id not in present]
    if fresh:
        schema = _read_schema(per_run.table) if existing else None
        for fragment in fresh:  # one schema object at a time: thousands would add up
            found = _read_schema(fragment.path)
            if schema is None:
                schema = found
            elif not found.equals(schema):
                schema = pa.unify_schemas([schema, found], promote_options="permissive")
        assert schema is not None
        with durable.parquet_writer_atomic(per_run.table, schema) as writer:
            if existing:
                for batch in _batches(per_run.table):
                    _write(writer, _conform(pa.Table.from_batches([batch]), schema))
            buffer: list[pa.Table] = []
            for fragment in fresh:
                buffer.append(_conform(_read_fragment(fragment.path), schema))
                if len(buffer) >= FRAGMENTS_PER_COMPACTION:
                    _write(writer, pa.concat_tables(buffer))
                    buffer = []
            if buffer:
                _write(writer, pa.concat_tables(buffer))
    for fragment in fragments:
        # Absorbed, already consolidated, or stale (its run committed under another attempt):
        # delete. A fragment of a run that never committed stays until that run is redone.
        if fragment.run_id in finished or fragment.run_id in present:
            fragment.path.unlink(missing_ok=True)
    return len(fresh)


def _batches(path: Path) -> Iterator[pa.RecordBatch]:
    """The row groups of a consolidated table; `UnreadableTable` if one is damaged."""
    try:
        with pq.ParquetFile(path) as parquet:
            yield from parquet.iter_batches(ROW_GROUP_ROWS)
    except (OSError, pa.ArrowException) as error:
        raise UnreadableTable(path, error) from None


def _write(writer: pq.ParquetWriter, table: pa.Table) -> None:
    writer.write_table(table, row_group_size=ROW_GROUP_ROWS)


def _conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """`table` with exactly `schema`'s columns (missing ones null), cast to its types."""
    if table.schema.equals(schema):  # the usual case: every run has the same columns
        return table
    columns = [
        table.column(field.name).cast(field.type)
        if field.name in table.column_names
        else pa.nulls(table.num_rows, field.type)
        for field in schema
    ]
    return pa.Table.from_arrays(columns, schema=schema)
