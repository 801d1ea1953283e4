"""Experiments → Stories: a real batch's patterns with shares and intervals, a pattern's runs,
one opened in Replay (played again, same digest), and a bad pattern file shown as one error."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from test_experiments_batch import callister, experiment

from experiments.stories_batch import batch_stories
from experiments.stories_language import DEFAULT_PATTERNS, load_patterns
from world.record import read_record

DASHBOARD = str(Path(__file__).resolve().parent.parent / "dashboard.py")
INVITE = "agents.walton.actions.invite_party.weight"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory, default_config_path) -> Iterator[tuple[Path, dict]]:
    """A 4-run batch (two design points, 400 hours) in the results root; its stories JSON."""
    root = tmp_path_factory.mktemp("stories_page")
    path = experiment(root, default_config_path, "tales", f'"{INVITE}" = [0.0, 1.2]', 400, 2)
    done = callister(
        "batch", path, "--workers", 2, "--out", root / "results" / "tales", "-q", cwd=root
    )
    assert done.returncode == 0, done.stderr
    report = batch_stories(load_patterns(DEFAULT_PATTERNS), root / "results" / "tales")
    with pytest.MonkeyPatch.context() as environment:
        environment.setenv("CALLISTER_RESULTS", str(root / "results"))
        environment.setenv("CALLISTER_RUNS", str(root / "runs"))
        yield root, report


def stories_tab(directory: str = "tales") -> AppTest:
    at = AppTest.from_file(DASHBOARD, default_timeout=120).run()
    at.switch_page("views/experiments.py").run()
    at.text_input(key="stories_typed").input(directory).run()
    return at.button(key="stories_open_path").click().run()


def figure(at, key: str) -> dict:
    chart = next(c for c in at.get("plotly_chart") if key in c.proto.id)
    return json.loads(chart.proto.spec)


def test_the_patterns_are_shown_rarest_first_with_intervals(workspace):
    _, report = workspace
    at = stories_tab()
    assert not at.exception and not at.error
    judged = [row for row in report["patterns"] if row["applicable"]]
    dots = figure(at, "st_shares")["data"][0]
    assert dots["y"] == [row["name"] for row in judged]  # rarest first, as the CLI ranks them
    assert dots["x"] == pytest.approx([row["share"] for row in judged])
    heatmap = figure(at, "st_points")["data"][0]  # two design points: a heatmap
    assert len(heatmap["x"]) == 2 and heatmap["y"] == dots["y"]


def test_a_patterns_matching_runs_are_listed(workspace):
    _, report = workspace
    at = stories_tab()
    matched = [row for row in report["patterns"] if row["runs_matched"]]
    assert matched, "the batch should contain some story"
    for row in matched[:2]:
        at.selectbox(key="st_pattern").select(row["id"]).run()
        listed = next(d.value for d in at.dataframe if "seed" in d.value.columns)
        assert listed["run_id"].tolist() == row["run_ids"]
        assert INVITE in listed.columns and "ending" in listed.columns
        assert at.selectbox(key="st_run").options == [f"run {n}" for n in row["run_ids"]]


def test_open_in_replay_plays_the_run_again_and_opens_it(workspace):
    root, report = workspace
    row = next(row for row in report["patterns"] if row["runs_matched"])
    at = stories_tab()
    at.selectbox(key="st_pattern").select(row["id"]).run()
    run_id = row["run_ids"][-1]
    at.selectbox(key="st_run").select(run_id).run()
    at.button(key="st_open_replay").click().run()
    assert not at.exception and not at.error
    saved = root / "runs" / f"tales-run{run_id}"
    record = read_record(saved)
    assert at.session_state["replay_path"] == str(saved)
    assert at.slider(key="replay_tick").max == len(record.metrics)  # the Replay page, open
    assert record.config.simulation.trace == "winners"


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("[patterns.p\n", "TOML"),
        (
            '[patterns.p]\nname = "P"\ndescription = "d"\nbeats = [{ event = "mutinyy" }]\n',
            "patterns.p.beats[0].event: unknown event kind 'mutinyy'",
        ),
    ],
)
def test_a_bad_pattern_file_is_one_error(workspace, typed, shown):
    at = stories_tab()
    at.radio(key="st_how").set_value("type TOML").run()
    at.text_area(key="st_typed").input(typed).run()
    assert not at.exception
    assert len(at.error) == 1 and shown in at.error[0].value
    assert at.error[0].value.startswith("This pattern file cannot be used")
    assert not at.get("plotly_chart") or all(
        "st_" not in c.proto.id for c in at.get("plotly_chart")
    )
