"""Experiments → Discover on a real tiny batch whose driver is known (the captain's raids).

With `agents.captain.actions.rob_player.weight = 0` no robbery happens; with any positive
weight robberies start within hours (as in `test_discover_batch.py`). The page shows the
trajectory and the box of that driver, refuses a store discovery cannot use with one error,
and launches the real `callister verify` in the background as the batches are launched.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from streamlit.testing.v1 import AppTest
from test_experiments_batch import callister, experiment

from experiments.stories_batch import batch_stories
from experiments.stories_language import DEFAULT_PATTERNS, load_patterns
from views import batch_jobs as bj
from views import discover as discover_view

DASHBOARD = str(Path(__file__).resolve().parent.parent / "dashboard.py")
DRIVER = "agents.captain.actions.rob_player.weight"
PRICE = "economy.price_hike"
OUTCOME = "event=robbery"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory, default_config_path) -> Iterator[Path]:
    """A results root holding the finished `raids` batch (3 x 2 points, 4 replicates) and an
    unfinished copy of it; the app's directories set."""
    root = tmp_path_factory.mktemp("discover")
    (root / "configs").mkdir()
    shutil.copyfile(default_config_path, root / "configs" / "default.toml")
    path = experiment(
        root, default_config_path, "raids",
        f'"{DRIVER}" = [0.0, 0.5, 1.0]\n"{PRICE}" = [0.1, 0.3]', ticks=40, replicates=4,
    )  # fmt: skip
    results = root / "results"
    done = callister("batch", path, "--workers", 2, "--out", results / "raids", cwd=root)
    assert done.returncode == 0, done.stderr
    unfinished = results / "unfinished"
    shutil.copytree(results / "raids", unfinished)
    table = pq.read_table(unfinished / "runs.parquet")
    pq.write_table(table.slice(0, 10), unfinished / "runs.parquet")
    shutil.rmtree(unfinished / "runs", ignore_errors=True)
    with pytest.MonkeyPatch.context() as environment:
        environment.setenv("CALLISTER_CONFIGS", str(root / "configs"))
        environment.setenv("CALLISTER_RESULTS", str(results))
        environment.setenv("CALLISTER_RUNS", str(root / "runs"))
        yield root


def discover_page(name: str, outcome: str = OUTCOME) -> AppTest:
    """The Experiments page with `name` opened in the Discover tab and `outcome` picked."""
    at = AppTest.from_file(DASHBOARD, default_timeout=120).run()
    at = at.switch_page("views/experiments.py").run()
    at.text_input(key="discover_typed").input(name).run()
    at.button(key="discover_open_path").click().run()
    if at.get("selectbox") and any(s.key == "discover_outcome" for s in at.selectbox):
        at.selectbox(key="discover_outcome").set_value(outcome).run()
    return at


def chart(at, key: str) -> dict:
    found = [c for c in at.get("plotly_chart") if c.proto.id.endswith(key) or key in c.proto.id]
    assert found, f"no chart {key}"
    return json.loads(found[0].proto.spec)


def scope(workspace: Path) -> str:
    return f"discover|{workspace / 'results' / 'raids'}|{OUTCOME}|prim"


@pytest.fixture(scope="module")
def page(workspace) -> AppTest:
    return discover_page("raids")


def test_the_outcomes_offered_are_what_the_batch_holds(page, workspace):
    offered = page.selectbox(key="discover_outcome").options
    assert OUTCOME in offered
    assert all(o.split("=")[0] in ("ending", "flag", "event", "story") for o in offered)
    # the stories offered are the shipped patterns found in some runs but not in all
    stories = batch_stories(load_patterns(DEFAULT_PATTERNS), workspace / "results" / "raids")
    varying = {f"story={row['id']}" for row in stories["patterns"] if 0 < row["runs_matched"] < 24}
    assert {o for o in offered if o.startswith("story=")} == varying
    assert "event=no_such_kind" not in offered
    # an outcome of every ok run (the galaxy grows in each) has no region to find: only named
    assert "event=planet_built" not in offered
    assert any("event=planet_built" in c.value for c in page.caption)


def test_the_trajectory_is_drawn_with_the_chosen_step_marked(page, workspace):
    assert not page.exception
    assert not page.error
    spec = chart(page, "_trajectory")
    line, chosen = spec["data"][0], spec["data"][1]
    assert chosen["name"] == "chosen step"
    steps = line["customdata"]
    assert [row[0] for row in steps] == list(range(len(steps)))
    assert steps[1][2] == DRIVER  # the first peel restricts the driver
    assert "mass" in line["hovertemplate"] and "restricted" in line["hovertemplate"]


def test_the_box_of_the_known_driver_is_drawn_over_its_range(page, workspace):
    label = page.selectbox(key=f"{scope(workspace)}_box").value
    assert label == 1
    spec = chart(page, f"{scope(workspace)}_box1_limits")
    track, span = spec["data"][0], spec["data"][1]
    assert (track["base"], track["x"]) == ([0.0], [1.0])  # the driver's full range, 0 to 1
    assert (span["base"], span["x"]) == ([0.5], [0.5])  # the box: 0.5 to 1
    rows = {r["parameter"]: r for r in page.dataframe[-1].value.to_dict("records")}
    assert (rows[DRIVER]["low"], rows[DRIVER]["high"]) == ("0.5", "1.0")
    assert (rows[PRICE]["low"], rows[PRICE]["high"]) == ("any", "any")
    assert rows[DRIVER]["stability"] >= 0.8 and 0 <= rows[DRIVER]["quasi-p"] <= 1
    assert any(m.value == "100.0%" for m in page.metric if m.label == "density")


def test_picking_a_step_shows_its_box(workspace):
    at = discover_page("raids")
    at.selectbox(key=f"{scope(workspace)}_step").set_value(0).run()
    assert any("No restriction" in c.value for c in at.caption)
    at.selectbox(key=f"{scope(workspace)}_step").set_value(1).run()
    assert not at.exception
    spec = chart(at, f"{scope(workspace)}_step_box_limits")
    assert spec["layout"]["annotations"][0]["text"] == DRIVER
    picked = chart(at, "_trajectory")["data"][-1]
    assert picked["name"] == "picked step"


def test_a_store_discovery_refuses_is_one_error(workspace):
    at = discover_page("unfinished")
    assert not at.exception
    assert len(at.error) == 1
    assert "unfinished (10 of 24 runs)" in at.error[0].value


def test_the_verify_command_line_is_exact(tmp_path):
    arguments = bj.verify_arguments(tmp_path / "raids", OUTCOME, 2, "cart", 120, tmp_path / "v")
    assert arguments == [
        "verify", str(tmp_path / "raids"), "--outcome", OUTCOME, "--box", "2", "--method",
        "cart", "--runs", "120", "--out", str(tmp_path / "v"),
    ]  # fmt: skip
    assert bj.callister_command() == [sys.executable, "-m", "callister"]


def test_verify_refuses_a_directory_that_is_no_verification(workspace):
    at = discover_page("raids")
    key = f"verify|{workspace / 'results' / 'raids'}|{OUTCOME}|prim|1"
    assert at.text_input(key=f"{key}_out").value == "raids-verify-event-robbery-prim-box1"
    foreign = workspace / "results" / "notes"
    foreign.mkdir()
    (foreign / "todo.txt").write_text("mine", encoding="utf-8")
    said = {"raids": "not a verification", "unfinished": "not a verification"}
    said["notes"] = "not written by Callister"
    for taken, reason in said.items():  # two batch stores, and a directory of someone's files
        at.text_input(key=f"{key}_out").input(taken).run()
        at.button(key=f"{key}_start").click().run()
        assert not at.exception
        assert len(at.error) == 1
        assert "not started" in at.error[0].value and reason in at.error[0].value
        assert f"Verification directory {workspace / 'results' / taken}" in at.error[0].value
    assert sorted(p.name for p in foreign.iterdir()) == ["todo.txt"]
    assert "batch_jobs" not in at.session_state or not at.session_state["batch_jobs"]


def test_verify_launches_in_the_background_and_shows_the_verdict(workspace):
    at = discover_page("raids")
    key = f"verify|{workspace / 'results' / 'raids'}|{OUTCOME}|prim|1"
    at.number_input(key=f"{key}_runs").set_value(20).run()
    at.button(key=f"{key}_start").click().run()
    assert not at.exception
    out = workspace / "results" / "raids-verify-event-robbery-prim-box1"
    job = at.session_state["batch_jobs"][str(out)]
    assert job.command[0] == "verify"  # the real command, with the arguments shown in the log
    deadline = time.monotonic() + 240  # 20 real runs of 40 hours, and discovery first
    while job.exit_code() is None and time.monotonic() < deadline:
        time.sleep(0.5)
    assert job.exit_code() == 0, bj.log_tail(job)
    at.run()
    assert not at.exception
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["verify"]["box"] == 1 and manifest["verify"]["outcome"] == OUTCOME
    assert any("holds" in s.value and "20 fresh runs" in s.value for s in at.success)
    # every raid robs within hours, and no run without raids does: 1.0 inside, 0.0 outside
    assert chart(at, f"{key}_figure")["data"][0]["x"] == [1.0, 1.0, 0.0]
    assert (workspace / "results" / ".dashboard-logs" / f"{out.name}.log").is_file()


def test_a_broken_pattern_file_only_hides_the_story_outcomes(workspace, tmp_path, monkeypatch):
    raids = str(workspace / "results" / "raids")
    assert discover_view._story_outcomes(raids)  # the shipped patterns: one outcome each
    broken = tmp_path / "episode.toml"
    broken.write_text("garbage = [", encoding="utf-8")
    monkeypatch.setattr(discover_view, "DEFAULT_PATTERNS", broken)
    assert discover_view._story_outcomes(raids) == {}  # the endings, flags, events stay offered
