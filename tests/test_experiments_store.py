"""The results store: per-run commits, resume bookkeeping and crash-safe consolidation."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from configuration.errors import UserError
from experiments import durable
from experiments.consolidate import consolidate, read_runs
from experiments.designs import Design
from experiments.records import row_table, run_schema
from experiments.store import ResultsStore, StoreBusy

DESIGN = Design("grid", ("economy.price_hike",), ((0.1,), (0.2,)))
SCHEMA = run_schema(DESIGN, ["robbery", "price_hike"])


def row(run_id: int, status: str = "ok", attempt: int = 1) -> pa.Table:
    ok = status == "ok"
    return row_table(
        {
            "run_id": run_id,
            "point": run_id // 2,
            "replicate": run_id % 2,
            "seed": 1000 + run_id,
            "attempt": attempt,
            "economy.price_hike": 0.1 * (1 + run_id // 2),
            "status": status,
            "ending": "outlaws" if ok else None,
            "digest": f"d{run_id}" if ok else None,
            "walton_arrested": False if ok else None,
            "events.robbery": 3 if ok else None,
            "error": None if ok else "ValueError: boom",
        },
        SCHEMA,
    )


def series(run_id: int, ticks: int = 3) -> pa.Table:
    return pa.table(
        {
            "run_id": pa.array([run_id] * ticks, pa.int64()),
            "tick": pa.array(range(1, ticks + 1), pa.int64()),
            "credits": pa.array([float(run_id)] * ticks),
        }
    )


@pytest.fixture
def store(tmp_path) -> ResultsStore:
    result = ResultsStore(tmp_path / "out")
    with result.locked():
        result.create({"name": "t"}, "[experiment]\n")
    return result


def test_a_run_is_committed_by_its_fragment(store):
    store.write_run(row(0), series(0))
    store.write_run(row(1, "failed"), None)
    assert store.finished() == {0: (1, "ok"), 1: (1, "failed")}
    assert sorted(p.name for p in store.runs_dir.iterdir()) == [
        "r0000000000-a1-ok.parquet",
        "r0000000001-a1-failed.parquet",
    ]


def test_fragment_directories_removed_by_hand_are_made_again(store):
    for directory in (store.runs_dir, store.series.directory, store.events.directory):
        directory.rmdir()
    events = pa.table({"run_id": [0], "tick": [1], "kind": ["robbery"], "actors": [["Karl"]]})
    store.write_run(row(0), series(0), events)
    assert store.finished() == {0: (1, "ok")}
    assert store.series.run_ids() == store.events.run_ids() == {0}


def test_consolidation_sorts_absorbs_and_is_idempotent(store):
    for run_id in (3, 0, 2, 1):
        store.write_run(row(run_id), series(run_id))
    consolidate(store)
    assert not list(store.runs_dir.iterdir()) and not list(store.series_dir.iterdir())
    runs = pq.read_table(store.runs_table)
    assert runs.column("run_id").to_pylist() == [0, 1, 2, 3]
    assert runs.schema.field("economy.price_hike").type == pa.float64()
    before = store.runs_table.read_bytes()
    consolidate(store)
    assert store.runs_table.read_bytes() == before
    assert sorted(store.read_series()["run_id"].unique()) == [0, 1, 2, 3]
    # A later session's runs are appended to the consolidated tables.
    store.write_run(row(5), series(5))
    consolidate(store)
    assert pq.read_table(store.runs_table).column("run_id").to_pylist() == [0, 1, 2, 3, 5]
    assert len(store.read_series()) == 5 * 3


def test_series_are_folded_and_refolded_in_bounded_row_groups(store, monkeypatch):
    # A reader holds a whole row group: bounded groups keep the driver's memory flat when a
    # batch folds its fragments twice (while the last run finishes, then at the end).
    monkeypatch.setattr("experiments.consolidate.ROW_GROUP_ROWS", 4)
    for run_id in range(3):
        store.write_run(row(run_id), series(run_id, ticks=5))
    consolidate(store)
    store.write_run(row(3), series(3, ticks=5))
    consolidate(store)
    metadata = pq.ParquetFile(store.series_table).metadata
    groups = [metadata.row_group(i).num_rows for i in range(metadata.num_row_groups)]
    assert max(groups) <= 4 and sum(groups) == 4 * 5
    table = store.read_series()
    assert table["run_id"].tolist() == [r for r in range(4) for _ in range(5)]


def test_a_crash_between_consolidation_and_cleanup_counts_nothing_twice(store):
    store.write_run(row(0), series(0))
    leftover = store.runs_dir / "r0000000000-a1-ok.parquet"
    kept, kept_series = leftover.read_bytes(), (store.series_dir / "r0000000000-a1.parquet")
    series_bytes = kept_series.read_bytes()
    consolidate(store)
    leftover.write_bytes(kept)  # as if the process died before deleting the fragments
    kept_series.write_bytes(series_bytes)
    assert store.finished() == {0: (1, "ok")}
    assert read_runs(store)["run_id"].tolist() == [0]
    consolidate(store)
    assert pq.read_table(store.runs_table).num_rows == 1
    assert len(store.read_series()) == 3
    assert pq.read_table(store.series_table).num_rows == 3


def test_the_latest_attempt_wins(store):
    store.write_run(row(1, "failed", attempt=1), None)
    consolidate(store)
    store.write_run(row(1, "ok", attempt=2), series(1))
    assert store.finished() == {1: (2, "ok")}
    consolidate(store)
    runs = read_runs(store)
    assert runs[["run_id", "status", "attempt"]].values.tolist() == [[1, "ok", 2]]


def test_torn_writes_are_ignored_and_swept(store):
    store.write_run(row(0), None)
    torn = store.runs_dir / f"{durable.TMP_PREFIX}r0000000001-a1-ok.parquet.999"
    torn.write_bytes(b"PAR1 half a file")
    assert store.finished() == {0: (1, "ok")}
    assert store.sweep() == 1 and not torn.exists()


def test_an_unreadable_fragment_is_quarantined_and_its_run_redone(store, capsys):
    store.write_run(row(0), None)
    store.write_run(row(1), None)
    (store.runs_dir / "r0000000001-a1-ok.parquet").write_bytes(b"garbage")
    consolidate(store)
    assert store.finished() == {0: (1, "ok")}
    assert (store.root / "quarantine" / "r0000000001-a1-ok.parquet").exists()
    assert "will be redone" in capsys.readouterr().err


def test_an_orphan_series_fragment_waits_for_its_run(store):
    store.write_run(row(0), series(0))
    durable.write_table_atomic(store.series_dir / "r0000000007-a1.parquet", series(7))
    consolidate(store)
    assert (store.series_dir / "r0000000007-a1.parquet").exists()
    assert 7 not in set(pq.read_table(store.series_table).column("run_id").to_pylist())
    store.write_run(row(7), series(7))
    consolidate(store)
    assert not list(store.series_dir.iterdir())
    assert sorted(set(pq.read_table(store.series_table).column("run_id").to_pylist())) == [0, 7]


def test_the_session_log_survives_a_torn_last_line(store, session_log):
    store.append_session({"event": "start", "n": 1})
    with open(store.sessions_path, "a") as handle:
        handle.write('{"event": "end", "n"')  # killed mid-write
    store.append_session({"event": "start", "n": 2})
    assert [r["n"] for r in session_log(store)] == [1, 2]


def test_one_writer_at_a_time(store):
    with store.locked(), pytest.raises(StoreBusy), store.locked():
        pass
    with store.locked():  # released again
        pass


def test_a_foreign_directory_is_never_taken_over(tmp_path):
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "thesis.tex").write_text("precious")
    with pytest.raises(UserError, match="is not empty and holds no batch results"):
        ResultsStore(foreign).create({"name": "t"}, "")
    assert (foreign / "thesis.tex").read_text() == "precious"


def test_readers_see_fragments_before_consolidation(store, tmp_path):
    store.write_run(row(2), series(2))
    copy = ResultsStore(tmp_path / "copy")
    shutil.copytree(store.root, copy.root)
    assert read_runs(copy)["run_id"].tolist() == [2]
    assert copy.read_series()["tick"].tolist() == [1, 2, 3]


def test_the_driver_reports_its_own_peak_memory_not_its_launchers():
    # A launcher holding 600 MB starts a process that reports its peak (what a benchmark or
    # a notebook launching `callister batch` does): Linux's ru_maxrss would say >= 600 MB.
    launcher = (
        "import subprocess, sys\n"
        "held = b'x' * (600 * 1024 * 1024)\n"
        "code = 'from experiments.sessions import peak_rss_mb; print(peak_rss_mb())'\n"
        "print(subprocess.run([sys.executable, '-c', code], capture_output=True, text=True,"
        " check=True).stdout)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", launcher],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert 10 < float(done.stdout) < 400
