"""The batch store: --out checked first, the lock touches nobody's files, a manifest of the
wrong shape, and damaged or missing Parquet files never leave a batch stuck."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from configuration.errors import UserError
from experiments import batch, store_lock
from experiments.batch import BatchOptions, run_batch
from experiments.consolidate import read_runs
from experiments.report import build_report
from experiments.store import ResultsStore, StoreBusy

RUNS = 4


pytestmark = pytest.mark.usefixtures("workers_from_a_plain_process")


@pytest.fixture(scope="module")
def experiment(tmp_path_factory, default_config_path) -> Path:
    """A 4-run experiment of 30-tick runs over a private copy of the default scenario."""
    tmp = tmp_path_factory.mktemp("experiment")
    base = tmp / "base.toml"
    shutil.copyfile(default_config_path, base)
    path = tmp / "small.toml"
    path.write_text(
        '[experiment]\nname = "small"\nconfig = "base.toml"\nreplicates = 2\nseed = 3\n'
        'series_every = 10\n[parameters]\n"economy.price_hike" = [0.1, 0.3]\n'
        '[fixed]\n"simulation.ticks" = 30\n',
        encoding="utf-8",
    )
    return path


def batch_into(experiment: Path, out: Path) -> batch.BatchSummary:
    return run_batch(BatchOptions(experiment=experiment, out=out, workers=1, quiet=True))


@pytest.fixture(scope="module")
def finished_once(experiment) -> Path:
    out = experiment.parent / "finished"
    assert batch_into(experiment, out).ok == RUNS
    return out


@pytest.fixture
def finished(finished_once, tmp_path) -> ResultsStore:
    """A copy of a finished batch of `experiment` in tmp/out (every fragment consolidated)."""
    shutil.copytree(finished_once, tmp_path / "out")
    return ResultsStore(tmp_path / "out")


def digests(store: ResultsStore) -> dict[int, str]:
    runs = read_runs(store)
    return dict(zip(runs["run_id"], runs["digest"], strict=True))


def series_rows(store: ResultsStore) -> list[tuple]:
    series = store.read_series()
    return sorted(map(tuple, series[["run_id", "tick", "credits"]].to_numpy().tolist()))


# -- --out and the lock -------------------------------------------------------------------


def test_a_refused_directory_keeps_its_own_lock_file(experiment, tmp_path):
    """The lock used to be taken (and `.lock` truncated) before the directory was checked."""
    theirs = tmp_path / "d2"
    theirs.mkdir()
    (theirs / ".lock").write_text("keep\n")
    (theirs / "a").touch()
    with pytest.raises(UserError, match=r"--out .*d2: the directory is not empty .*\.lock, a") as e:
        batch_into(experiment, theirs)
    assert "--force" not in str(e.value)  # a batch has no --force: never offer one
    assert (theirs / ".lock").read_text() == "keep\n"
    assert sorted(p.name for p in theirs.iterdir()) == [".lock", "a"]


def test_a_lock_file_that_is_not_a_batchs_is_never_overwritten(tmp_path):
    root = tmp_path / "store"
    root.mkdir()
    (root / ".lock").write_text("my notes\n")
    refused = pytest.raises(UserError, match=r"\.lock: exists and was not written by Callister")
    with refused, ResultsStore(root).locked():
        pass
    assert (root / ".lock").read_text() == "my notes\n"
    (root / ".lock").unlink()
    (root / ".lock").symlink_to(tmp_path / "elsewhere")
    with (
        pytest.raises(UserError, match="cannot be used as the batch's lock"),
        ResultsStore(root).locked(),
    ):
        pass
    assert not (tmp_path / "elsewhere").exists()


def test_a_batch_that_cannot_lock_leaves_the_lock_holders_directory_alone(
    experiment, tmp_path, monkeypatch
):
    """B found --out missing, A created and locked it, B's clean-up deleted A's."""
    out = tmp_path / "fresh"
    first = ResultsStore(out)
    holder = contextlib.ExitStack()

    class SecondBatch(ResultsStore):
        def locked(self):
            holder.enter_context(first.locked())  # A wins the race just before B locks
            return super().locked()

    monkeypatch.setattr(batch, "ResultsStore", SecondBatch)
    with holder, pytest.raises(UserError, match="another `callister batch` is writing"):
        batch_into(experiment, out)
    # ... on leaving `holder`, A (which created the directory) gave up: it removed its own.
    assert not out.exists()
    holder = contextlib.ExitStack()
    with holder:
        with pytest.raises(UserError, match="another `callister batch` is writing"):
            batch_into(experiment, out)
        assert first.lock_path.read_text() == f"{os.getpid()}\n"  # A's lock, still held
        with pytest.raises(StoreBusy), ResultsStore(out).locked():
            pass


def test_a_lock_removed_while_being_taken_is_taken_again(tmp_path, monkeypatch):
    """The file locked must still be `.lock`: a batch giving up may have just unlinked it."""
    root = tmp_path / "out"
    calls = []
    real_flock = store_lock.fcntl.flock

    def flock(descriptor, operation):
        if not calls:  # the first file is unlinked between open and lock, as by a quitter
            (root / ".lock").unlink()
            (root / ".lock").write_text("")
        calls.append(os.fstat(descriptor).st_ino)
        return real_flock(descriptor, operation)

    monkeypatch.setattr(store_lock.fcntl, "flock", flock)
    with ResultsStore(root).locked():
        assert len(calls) == 2 and calls[1] == (root / ".lock").stat().st_ino
        assert (root / ".lock").read_text() == f"{os.getpid()}\n"


def test_a_directory_left_with_only_a_batchs_lock_is_taken_over(experiment, tmp_path):
    out = tmp_path / "started"
    out.mkdir()
    (out / ".lock").write_text("999999\n")  # a batch killed before it wrote its manifest
    assert batch_into(experiment, out).ok == RUNS


def test_a_batch_killed_while_laying_out_its_store_is_resumed(experiment, tmp_path):
    out = tmp_path / "laid-out"
    (out / "runs").mkdir(parents=True)
    (out / "series").mkdir()
    (out / "experiment.toml").write_text("# killed before the manifest was written\n")
    (out / ".lock").write_text("999999\n")
    assert batch_into(experiment, out).ok == RUNS


def test_a_directory_that_only_looks_half_laid_out_is_refused(experiment, tmp_path):
    out = tmp_path / "not-ours"
    (out / "runs").mkdir(parents=True)
    (out / "runs" / "my-notes.txt").write_text("keep")
    (out / ".lock").write_text("999999\n")
    with pytest.raises(UserError, match="not written by Callister"):
        batch_into(experiment, out)
    assert (out / "runs" / "my-notes.txt").read_text() == "keep"


def test_an_output_under_a_file_is_refused_before_any_work(experiment, tmp_path, monkeypatch):
    """`--out some_file/sub` used to fail with a traceback (mkdir under a file)."""
    (tmp_path / "some_file").write_text("x")

    def never(*args):
        raise AssertionError("the base scenario was loaded before --out was checked")

    monkeypatch.setattr(batch, "prepare_base", never)
    with pytest.raises(UserError, match=r"--out .*some_file/sub: .*some_file is a file"):
        batch_into(experiment, tmp_path / "some_file" / "sub")
    assert (tmp_path / "some_file").read_text() == "x"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only directories")
def test_a_read_only_output_is_refused_before_any_work(experiment, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(UserError, match=r"--out .*cannot write in"):
            batch_into(experiment, locked / "out")
    finally:
        locked.chmod(0o700)


def test_the_command_exits_2_with_one_line_for_an_unwritable_out(experiment, tmp_path):
    (tmp_path / "some_file").write_text("x")
    done = subprocess.run(
        [sys.executable, "-m", "callister", "batch", str(experiment), "--out",
         str(tmp_path / "some_file" / "sub")],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.startswith("error: --out ") and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


# -- the manifest ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("[]", r"manifest\.json: expected a JSON object .* found a list \[\]"),
        ('{"format": "callister-batch/1", "fingerprint": 5}', r"fingerprint: .*found a number 5"),
        ("null", "found null"),
        ("[" * 100_000 + "]" * 100_000, r"manifest\.json: not valid JSON \(nested too deeply\)"),
        ("{" * 3, r"manifest\.json: not valid JSON \(line 1, column 2"),
    ],
)
def test_a_manifest_of_the_wrong_shape_is_one_clear_error(finished, experiment, content, expected):
    """Valid JSON of the wrong types used to raise AttributeError in batch and report."""
    finished.manifest_path.write_text(content)
    for attempt in (
        lambda: build_report(finished.root),
        lambda: batch_into(experiment, finished.root),
    ):
        with pytest.raises(UserError, match=expected):
            attempt()


def test_a_manifest_with_mistyped_design_names_the_key(finished):
    manifest = json.loads(finished.manifest_path.read_text())
    manifest["design"]["points"][1] = "0.3"
    finished.manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(UserError, match=r"design\.points\.1: input should be a valid list"):
        finished.read_manifest()


# -- damaged and missing tables ----------------------------------------------------------


def truncate(path: Path, keep: int = 300) -> None:
    path.write_bytes(path.read_bytes()[:keep])


def test_a_truncated_runs_table_is_set_aside_and_its_runs_redone(finished, experiment, capsys):
    """A truncated runs.parquet used to break `batch` and `report` (ArrowInvalid) for good."""
    before, series_before = digests(finished), series_rows(finished)
    truncate(finished.runs_table)
    report = build_report(finished.root)  # sets it aside, reports what is readable
    assert report["runs"]["not_run"] == RUNS
    assert (finished.root / "quarantine" / "runs.parquet").exists()
    assert "the runs it held will be redone" in capsys.readouterr().err
    assert batch_into(experiment, finished.root).ran == RUNS
    assert digests(finished) == before
    assert series_rows(finished) == series_before


def test_a_truncated_series_table_is_set_aside_and_its_runs_redone(finished, experiment, capsys):
    before, series_before = digests(finished), series_rows(finished)
    truncate(finished.series_table)
    summary = batch_into(experiment, finished.root)
    err = capsys.readouterr().err
    assert "the runs whose series it held will be redone" in err
    assert f"{RUNS} ok run(s) have lost their series" in err
    assert summary.ran == RUNS and summary.failed_in_all == 0
    assert (finished.root / "quarantine" / "series.parquet").exists()
    assert digests(finished) == before and series_rows(finished) == series_before
    assert set(read_runs(finished)["attempt"]) == {2}  # the latest attempt is the redo


def test_a_deleted_series_fragment_makes_its_run_run_again(finished, experiment, capsys):
    """A committed run whose series fragment was deleted used to lose its series silently.

    Recreate the moment before consolidation: run 2 committed as a fragment, its series gone.
    """
    before, series_before = digests(finished), series_rows(finished)
    runs = pq.read_table(finished.runs_table)
    is_two = pa.compute.equal(runs.column("run_id"), 2)
    pq.write_table(runs.filter(is_two), finished.runs_dir / "r0000000002-a1-ok.parquet")
    pq.write_table(runs.filter(pa.compute.invert(is_two)), finished.runs_table)
    series = pq.read_table(finished.series_table)
    kept = pa.compute.not_equal(series.column("run_id"), 2)
    pq.write_table(series.filter(kept), finished.series_table)

    assert batch_into(experiment, finished.root).ran == 1
    assert "1 ok run(s) have lost their series" in capsys.readouterr().err
    assert digests(finished) == before and series_rows(finished) == series_before


def test_report_while_a_batch_holds_the_lock_names_the_unreadable_file(finished):
    truncate(finished.runs_table)
    with finished.locked(), pytest.raises(UserError, match=r"runs\.parquet: unreadable Parquet"):
        build_report(finished.root)
    assert finished.runs_table.exists()  # only the lock holder may set it aside


def test_an_unreadable_series_fragment_is_set_aside_and_its_run_redone(
    finished, experiment, capsys
):
    """Run 1 committed (attempt 2) with a series fragment that cannot be read."""
    before, series_before = digests(finished), series_rows(finished)
    runs = pq.read_table(finished.runs_table)
    is_one = pa.compute.equal(runs.column("run_id"), 1)
    row = runs.filter(is_one)
    row = row.set_column(row.schema.get_field_index("attempt"), "attempt", pa.array([2]))
    pq.write_table(row, finished.runs_dir / "r0000000001-a2-ok.parquet")
    pq.write_table(runs.filter(pa.compute.invert(is_one)), finished.runs_table)
    series = pq.read_table(finished.series_table)
    pq.write_table(
        series.filter(pa.compute.not_equal(series.column("run_id"), 1)), finished.series_table
    )
    (finished.series_dir / "r0000000001-a2.parquet").write_bytes(b"PAR1 not really")

    assert batch_into(experiment, finished.root).ran == 1
    assert (finished.root / "quarantine" / "r0000000001-a2.parquet").exists()
    assert "its run will be redone" in capsys.readouterr().err
    assert digests(finished) == before and series_rows(finished) == series_before


def test_quarantine_never_replaces_what_it_set_aside_before(tmp_path):
    store = ResultsStore(tmp_path)
    for text in ("first", "second", "third"):
        store.runs_table.write_text(text)
        store.quarantine(store.runs_table)
    kept = sorted(p.read_text() for p in (tmp_path / "quarantine").iterdir())
    assert kept == ["first", "second", "third"]
