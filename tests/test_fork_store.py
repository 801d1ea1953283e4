"""`callister fork --out DIR`: both branches' runs in the batch store's format, read back by
`callister report` and by the dashboard's results loader; the write policy of --out."""

from __future__ import annotations

import contextlib
import dataclasses
import io
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from callister.cli import main
from configuration.errors import UserError
from experiments.fork import prepare, run_fork
from experiments.fork_effects import INTERVAL_METHOD
from experiments.fork_store import check_fork_directory, write_fork_store
from experiments.store import ResultsStore

pytestmark = pytest.mark.usefixtures("workers_from_a_plain_process")
REPLICATES = 3
CHANGE = "agents.captain.actions.warp.weight=0.5"


@pytest.fixture(scope="module")
def report(default_config):
    """A fork of the default scenario cut to 240 hours: a change and a forced choice at 96."""
    config = default_config.model_copy(
        update={"simulation": default_config.simulation.model_copy(update={"ticks": 240})}
    )
    prepared = prepare(config, "short", seed=5, at=96, sets=[CHANGE], forces=["walton.cover_up"])
    return run_fork(prepared, REPLICATES, workers=1, series_every=24)


@pytest.fixture(scope="module")
def results(report, tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("fork-results")
    output = check_fork_directory(root / "fork", replace=False)
    return write_fork_store(output, report, 24)


def callister(*argv: object) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(arg) for arg in argv])
    return code, out.getvalue(), err.getvalue()


def test_runs_table_holds_both_branches_of_every_replicate(results, report):
    runs = pq.read_table(results / "runs.parquet").to_pandas()
    assert list(runs["run_id"]) == list(range(2 * REPLICATES))
    assert list(runs["point"]) == [0] * REPLICATES + [1] * REPLICATES
    assert list(runs["replicate"]) == [0, 1, 2] * 2
    assert list(runs["branch"]) == ["baseline"] * REPLICATES + ["branch"] * REPLICATES
    # the changed plain key is a column of its own: the default's weight, then the change
    assert list(runs["agents.captain.actions.warp.weight"]) == [0.8] * REPLICATES + [0.5] * 3
    assert set(runs["status"]) == {"ok"}
    assert list(runs["digest"]) == [p.baseline.digest for p in report.pairs] + [
        p.branch.digest for p in report.pairs
    ]
    assert list(runs["ending"]) == [p.baseline.ending for p in report.pairs] + [
        p.branch.ending for p in report.pairs
    ]
    series = pq.read_table(results / "series.parquet").to_pandas()
    assert sorted(series["run_id"].unique()) == list(range(2 * REPLICATES))
    last_ticks = series.groupby("run_id")["tick"].max()
    assert list(last_ticks) == list(runs["ticks"])  # each series ends with its run


def test_manifest_describes_the_fork(results, report):
    manifest = ResultsStore(results).read_manifest()  # the batch store's own shape check
    assert manifest["design"]["kind"] == "fork"
    assert manifest["runs"] == 2 * REPLICATES
    fork = manifest["fork"]
    assert (fork["seed"], fork["at"], fork["set"]) == (5, 96, [CHANGE])
    assert fork["force"] == ["walton.cover_up"]
    assert fork["interval"] == INTERVAL_METHOD
    assert fork["diverged_at"] == {str(p.replicate): p.diverged_at for p in report.pairs}
    assert fork["effects"] == [effect.to_json() for effect in report.effects]


def test_callister_report_reads_it(results):
    code, out, err = callister("report", results)
    assert code == 0, err
    assert "fork design, 2 points x 3 replicates = 6 runs (6 ok, 0 failed" in out
    assert "branch = baseline" in out and "branch = branch" in out
    code, out, err = callister("report", results, "--json")
    assert code == 0, err
    assert [point["values"]["branch"] for point in json.loads(out)["points"]] == [
        "baseline",
        "branch",
    ]


def test_the_dashboard_results_loader_accepts_it(results, monkeypatch):
    from views.batch_jobs import results_dirs
    from views.results import open_results, read_series

    monkeypatch.setenv("CALLISTER_RESULTS", str(results.parent))
    assert results in results_dirs()
    report, runs = open_results(results.name)
    assert report["design"] == "fork" and report["runs"]["ok"] == 2 * REPLICATES
    assert len(runs) == 2 * REPLICATES
    assert not read_series(results, [0, REPLICATES]).empty


def test_a_failed_pair_is_two_failed_runs(report, tmp_path):
    broken = dataclasses.replace(report, pairs=report.pairs[:-1], failures={2: "worker died"})
    out = write_fork_store(check_fork_directory(tmp_path / "f", replace=False), broken, 24)
    runs = pq.read_table(out / "runs.parquet").to_pandas().set_index("run_id")
    assert list(runs.loc[[2, 5], "status"]) == ["failed", "failed"]
    assert list(runs.loc[[2, 5], "error"]) == ["worker died"] * 2
    assert ResultsStore(out).read_manifest()["fork"]["failed"] == {"2": "worker died"}


def test_earlier_results_are_replaced_only_with_replace(results, report):
    with pytest.raises(UserError, match=r"already holds batch results.*pass --replace"):
        check_fork_directory(results, replace=False)
    fewer = dataclasses.replace(report, replicates=1, pairs=report.pairs[:1])
    write_fork_store(check_fork_directory(results, replace=True), fewer, 24)
    assert pq.read_table(results / "runs.parquet").num_rows == 2
    write_fork_store(check_fork_directory(results, replace=True), report, 24)  # as it was
    assert pq.read_table(results / "runs.parquet").num_rows == 2 * REPLICATES


def test_replace_writes_beside_foreign_files_and_keeps_them(report, tmp_path):
    directory = tmp_path / "mine"
    directory.mkdir()
    (directory / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(UserError, match=r"not written by Callister.*pass --replace"):
        check_fork_directory(directory, replace=False)
    write_fork_store(check_fork_directory(directory, replace=True), report, 24)
    assert (directory / "notes.txt").read_text(encoding="utf-8") == "keep me"
    assert ResultsStore(directory).read_manifest()["design"]["kind"] == "fork"


def test_a_batch_with_unfolded_runs_is_refused_even_with_replace(tmp_path):
    directory = tmp_path / "batch"
    (directory / "runs").mkdir(parents=True)
    (directory / "manifest.json").write_text("{}", encoding="utf-8")
    (directory / "runs" / "r0000000000-a1-ok.parquet").write_bytes(b"")
    with pytest.raises(UserError, match="runs/ holds runs of a batch that has not finished"):
        check_fork_directory(directory, replace=True)
