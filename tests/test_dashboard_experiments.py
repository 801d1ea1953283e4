"""Experiments page: a batch started from the page runs in the background and reports progress;
results show endings per condition with intervals, effects, and side-by-side comparisons."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import tomli_w
from streamlit.testing.v1 import AppTest

DASHBOARD = str(Path(__file__).resolve().parent.parent / "dashboard.py")
EXPERIMENT = """
[experiment]
name = "tiny"
config = "../default.toml"
design = "grid"
replicates = 2
seed = 4
series_every = 6

[parameters]
"agents.captain.actions.rob_player.weight" = [0.0, 1.0]

[fixed]
"simulation.ticks" = 24
"""


@pytest.fixture(scope="module")
def workspace(tmp_path_factory, make_scenario) -> Iterator[Path]:
    """configs/ with the tiny scenario and a 4-run experiment; the app's directories set."""
    root = tmp_path_factory.mktemp("experiments")
    (root / "configs" / "experiments").mkdir(parents=True)
    (root / "configs" / "default.toml").write_text(tomli_w.dumps(make_scenario()), "utf-8")
    (root / "configs" / "experiments" / "tiny.toml").write_text(EXPERIMENT, "utf-8")
    with pytest.MonkeyPatch.context() as environment:
        environment.setenv("CALLISTER_CONFIGS", str(root / "configs"))
        environment.setenv("CALLISTER_RESULTS", str(root / "results"))
        environment.setenv("CALLISTER_RUNS", str(root / "runs"))
        yield root


def experiments_page() -> AppTest:
    at = AppTest.from_file(DASHBOARD, default_timeout=60).run()
    return at.switch_page("views/experiments.py").run()


@pytest.fixture(scope="module")
def started(workspace) -> tuple[AppTest, Path, list[str]]:
    """A batch started with the page's Start button, followed to its end as the timer would.

    Returns the app, the results directory and every progress text shown on the way. The
    results are what the explorer tests open (one batch for the whole module: it is slow).
    """
    app = experiments_page()
    out = workspace / "results" / "tiny"
    app.text_input(key="exp_out_tiny").input(str(out)).run()
    app.number_input(key="exp_workers").set_value(1).run()
    app.button(key="exp_start").click().run()
    assert not app.exception
    job = app.session_state["batch_jobs"][str(out)]
    shown, deadline = [], time.monotonic() + 180
    while job.exit_code() is None and time.monotonic() < deadline:
        time.sleep(0.5)
        app.run()  # what the progress fragment's timer does
        assert not app.exception
        shown += [p.proto.text for p in app.get("progress")]
    app.run()
    shown += [p.proto.text for p in app.get("progress")]
    log = (out.parent / ".dashboard-logs" / "tiny.log").read_text()
    assert job.exit_code() == 0, log
    return app, out, shown


@pytest.fixture
def app(workspace):
    return experiments_page()


def chart(at, key: str) -> dict:
    found = next(c for c in at.get("plotly_chart") if key in c.proto.id)
    return json.loads(found.proto.spec)


def open_results(at, path: Path | str):
    at.text_input(key="results_typed").input(str(path)).run()
    return at.button(key="results_open_path").click().run()


def test_the_page_renders_and_describes_the_experiment(app):
    assert not app.exception
    assert not app.error
    assert any("4 runs (2 per design point)" in c.value for c in app.caption)


def test_results_show_endings_per_condition_with_intervals(app, started):
    open_results(app, started[1])
    assert not app.exception
    assert not app.error
    shown = {m.label: m.value for m in app.metric}
    assert (shown["planned runs"], shown["ok"], shown["failed"]) == ("4", "4", "0")
    spec = chart(app, "results_endings")
    assert spec["layout"]["barmode"] == "group"
    for bar in spec["data"]:
        assert len(bar["x"]) == 2  # two conditions
        assert len(bar["error_y"]["array"]) == 2
        shares = bar["y"]
        assert all(0 <= s <= 1 for s in shares)
    total = [sum(bar["y"][i] for bar in spec["data"]) for i in range(2)]
    assert total == [pytest.approx(1.0), pytest.approx(1.0)]
    assert "results_effects" in " ".join(c.proto.id for c in app.get("plotly_chart"))


def test_two_conditions_and_two_runs_side_by_side(app, started):
    open_results(app, started[1])
    assert len(chart(app, "cmp_conditions")["data"][0]["x"]) == 2
    app.radio(key="cmp_mode").set_value("two runs").run()
    app.selectbox(key="cmp_run_b").select(3).run()
    assert not app.exception
    table = next(d.value for d in app.dataframe if "run 3 (B)" in d.value.columns)
    assert {"seed", "ending"} <= set(table.index)
    series = chart(app, "cmp_series")
    assert [t["name"] for t in series["data"]] == ["run 0 (A)", "run 3 (B)"]


def test_a_missing_results_directory_is_an_error_in_the_page(app, workspace):
    open_results(app, workspace / "results" / "nothing_here")
    assert not app.exception
    assert "no such results directory" in app.error[0].value
    plain = workspace / "results" / "plain"
    plain.mkdir(parents=True, exist_ok=True)
    open_results(app, "plain")  # a name is taken inside the results root
    assert "not a batch results directory" in app.error[0].value
    open_results(app, workspace / "configs")
    assert "outside the results root" in app.error[0].value


def test_a_batch_started_from_the_page_runs_in_the_background(started):
    app, out, shown = started
    assert shown[-1] == "tiny: 4/4 runs, 0 failed — finished"
    assert any(text.endswith("— running") for text in shown)  # progress while it ran
    app.button(key=f"open_{out}").click().run()
    assert {m.label: m.value for m in app.metric}["ok"] == "4"
