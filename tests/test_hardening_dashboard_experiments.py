"""The Experiments page writes only inside the results root, by the app's write policy.

A batch's directory is a name directly inside the root; anything resolving elsewhere (an
absolute path, `..`, a link out) is refused before anything starts, and so is a non-empty
directory that is not a store of this experiment. The batch log lives in the root's
`.dashboard-logs/`, never beside a typed path; opening results (which consolidates them)
is limited to the root too.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import tomli_w
from streamlit.testing.v1 import AppTest

from configuration.errors import UserError
from experiments.designs import build_design
from experiments.manifest import build_manifest
from experiments.scenario import prepare_base
from experiments.spec import load_experiment
from experiments.store import ResultsStore
from views.batch_jobs import (
    LOG_DIR,
    check_batch_directory,
    log_path,
    progress,
    results_directory,
)
from views.results import results_path

DASHBOARD = str(Path(__file__).resolve().parent.parent / "dashboard.py")
EXPERIMENT = """
[experiment]
name = "tiny"
config = "../default.toml"
replicates = {replicates}

[fixed]
"simulation.ticks" = 24
"""


@pytest.fixture
def workspace(tmp_path, monkeypatch, make_scenario) -> Path:
    """configs/ with the tiny scenario and experiment; results/ is the (not yet made) root."""
    (tmp_path / "configs" / "experiments").mkdir(parents=True)
    (tmp_path / "configs" / "default.toml").write_text(tomli_w.dumps(make_scenario()), "utf-8")
    experiment = tmp_path / "configs" / "experiments" / "tiny.toml"
    experiment.write_text(EXPERIMENT.format(replicates=2), "utf-8")
    monkeypatch.setenv("CALLISTER_CONFIGS", str(tmp_path / "configs"))
    monkeypatch.setenv("CALLISTER_RESULTS", str(tmp_path / "results"))
    monkeypatch.setenv("CALLISTER_RUNS", str(tmp_path / "runs"))
    return tmp_path


def store_of(directory: Path, experiment_file: Path) -> ResultsStore:
    """A results store laid out for `experiment_file`, as a batch's first moments make it."""
    experiment = load_experiment(experiment_file)
    manifest = build_manifest(experiment, prepare_base(experiment), build_design(experiment.spec))
    directory.mkdir(parents=True, exist_ok=True)
    store = ResultsStore(directory)
    store.create(manifest, experiment.text)
    return store


def start_from_the_page(typed: str) -> AppTest:
    at = AppTest.from_file(DASHBOARD, default_timeout=60).run()
    at.switch_page("views/experiments.py").run()
    at.text_input(key="exp_out_tiny").input(typed).run()
    return at.button(key="exp_start").click().run()


def started_jobs(at: AppTest) -> dict:
    return at.session_state.get("batch_jobs", {})


def test_the_default_is_a_name_inside_the_results_root(workspace):
    at = AppTest.from_file(DASHBOARD, default_timeout=60).run()
    at.switch_page("views/experiments.py").run()
    assert at.text_input(key="exp_out_tiny").value == "tiny"
    assert results_directory("tiny") == workspace / "results" / "tiny"
    assert results_directory(str(workspace / "results" / "tiny")) == workspace / "results" / "tiny"


def test_a_path_outside_the_results_root_starts_nothing_and_writes_nothing(workspace):
    elsewhere = workspace / "elsewhere" / "out"
    at = start_from_the_page(str(elsewhere))
    assert not at.exception
    assert "directly inside the results root" in at.error[0].value
    assert not started_jobs(at)
    assert not (workspace / "elsewhere").exists()  # neither the directory nor logs beside it
    assert not (workspace / "results" / LOG_DIR).exists()


@pytest.mark.parametrize(
    "typed", ["../escaped", "tiny/../../escaped", "nested/deeper", ".", LOG_DIR, "/etc", "~"]
)
def test_names_escaping_the_root_or_nested_in_it_are_refused(workspace, typed):
    with pytest.raises(UserError, match="directly inside the results root"):
        results_directory(typed)
    assert not (workspace / "escaped").exists()


def test_an_empty_name_is_refused(workspace):
    with pytest.raises(UserError, match="give a name"):
        results_directory("  ")


def test_a_symbolic_link_out_of_the_root_is_refused(workspace):
    (workspace / "results").mkdir()
    (workspace / "outside").mkdir()
    (workspace / "results" / "link").symlink_to(workspace / "outside")
    with pytest.raises(UserError, match="directly inside the results root"):
        results_directory("link")
    loop = workspace / "results" / "loop"
    loop.symlink_to(loop)
    with pytest.raises(UserError, match="cannot resolve"):
        results_directory("loop")


def test_a_directory_of_other_files_is_refused_before_the_batch_starts(workspace):
    occupied = workspace / "results" / "tiny"
    occupied.mkdir(parents=True)
    (occupied / "keep.txt").write_text("keep", "utf-8")
    at = start_from_the_page("tiny")
    assert not at.exception
    assert "is not empty and was not written by Callister (found keep.txt)" in at.error[0].value
    assert not started_jobs(at)
    assert sorted(p.name for p in occupied.iterdir()) == ["keep.txt"]
    assert (occupied / "keep.txt").read_text("utf-8") == "keep"
    assert not (workspace / "results" / LOG_DIR).exists()


def test_a_store_of_another_experiment_is_refused_and_one_of_this_one_resumed(workspace):
    (workspace / "configs" / "others").mkdir()
    other = workspace / "configs" / "others" / "tiny.toml"  # not offered by the page
    other.write_text(EXPERIMENT.format(replicates=3), "utf-8")  # same name, another plan
    store_of(workspace / "results" / "tiny", other)
    at = start_from_the_page("tiny")
    assert not at.exception
    assert "holds results of a different experiment" in at.error[0].value
    assert not started_jobs(at)

    experiment = workspace / "configs" / "experiments" / "tiny.toml"
    same = store_of(workspace / "results" / "again", experiment).root
    check_batch_directory(load_experiment(experiment), same)  # resumable: no error
    locked_only = workspace / "results" / "starting"
    locked_only.mkdir()
    (locked_only / ".lock").write_text("", "utf-8")  # a batch that has only locked it so far
    check_batch_directory(load_experiment(experiment), locked_only)


def test_the_log_goes_to_the_roots_log_directory_and_never_over_foreign_files(workspace):
    root = workspace / "results"
    out = results_directory("tiny")
    assert log_path(out) == root / LOG_DIR / "tiny.log"
    foreign = root / LOG_DIR / "tiny.log"
    foreign.write_text("not a log of ours", "utf-8")
    with pytest.raises(UserError, match="not a batch log the dashboard wrote"):
        log_path(out)
    assert foreign.read_text("utf-8") == "not a log of ours"
    foreign.unlink()
    os.mkfifo(foreign)  # appending to a FIFO would block the page forever
    with pytest.raises(UserError, match="not a regular file"):
        log_path(out)


def test_a_log_directory_linked_out_of_the_root_is_refused(workspace):
    root = workspace / "results"
    root.mkdir()
    (workspace / "outside").mkdir()
    (root / LOG_DIR).symlink_to(workspace / "outside")
    with pytest.raises(UserError, match="not a directory of the results root"):
        log_path(root / "tiny")
    assert not list((workspace / "outside").iterdir())


def test_results_outside_the_root_are_not_opened_nor_consolidated(workspace):
    experiment = workspace / "configs" / "experiments" / "tiny.toml"
    outside = store_of(workspace / "elsewhere" / "tiny", experiment)
    before = sorted(p.name for p in outside.root.iterdir())
    at = AppTest.from_file(DASHBOARD, default_timeout=60).run()
    at.switch_page("views/experiments.py").run()
    at.text_input(key="results_typed").input(str(outside.root)).run()
    at.button(key="results_open_path").click().run()
    assert not at.exception
    assert "outside the results root" in at.error[0].value
    assert sorted(p.name for p in outside.root.iterdir()) == before  # no .lock, no tables

    inside = store_of(workspace / "results" / "tiny", experiment)
    assert results_path("tiny") == inside.root
    at.text_input(key="results_typed").input("tiny").run()
    at.button(key="results_open_path").click().run()
    assert not at.exception
    assert not at.error
    assert {m.label: m.value for m in at.metric}["planned runs"] == "2"


def test_progress_of_a_store_with_an_unreadable_runs_table_is_shown_not_raised(workspace):
    out = workspace / "results" / "tiny"
    store_of(out, workspace / "configs" / "experiments" / "tiny.toml")
    (out / "runs.parquet").write_bytes(b"PAR1 cut short")
    state = progress(out)
    assert (state.planned, state.done, state.failed) == (2, 0, 0)


def test_a_home_directory_that_does_not_exist_is_refused(workspace):
    with pytest.raises(UserError, match="cannot resolve the path"):
        results_directory("~nosuchuser-callister/x")
    with pytest.raises(UserError, match="cannot resolve the path"):
        results_path("~nosuchuser-callister/x")
