"""What if… page: opened from Live and Replay at their tick, forks run into a branch tree,
the endings and two futures side by side, bad changes are one error.

AppTest runs the real `dashboard.py`; the fork runs on one local worker process, over the tiny
scenario (48 hours) with 3 replicates, so each fork takes a few seconds.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import tomli_w
from streamlit.testing.v1 import AppTest

from views.whatif_forks import ForkOrigin
from world.record import read_record

DASHBOARD = str(Path(__file__).resolve().parent.parent / "dashboard.py")
AT = 12


def figures(at, key: str) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart") if key in c.proto.id]


@pytest.fixture
def live(tmp_path, monkeypatch, make_scenario, workers_from_a_plain_process):
    """The Live page over the tiny scenario, played to tick AT, then What if… pressed."""
    configs = tmp_path / "configs"
    configs.mkdir()
    (configs / "default.toml").write_text(tomli_w.dumps(make_scenario()), encoding="utf-8")
    monkeypatch.setenv("CALLISTER_CONFIGS", str(configs))
    monkeypatch.setenv("CALLISTER_RUNS", str(tmp_path / "runs"))
    at = AppTest.from_file(DASHBOARD, default_timeout=120).run()
    at.session_state["live"].step(AT)
    at.run()
    return at.button(key="ask_what_if").click().run()


def run_fork(at, replicates: int = 3):
    at.selectbox(key="whatif_role").select("captain").run()
    at.selectbox(key="whatif_action").select("rob_player").run()
    at.number_input(key="whatif_weight_captain_rob_player").set_value(0.0).run()
    at.button(key="whatif_add_weight").click().run()
    at.number_input(key="whatif_replicates").set_value(replicates).run()
    return at.button(key="whatif_run").click().run()


def test_the_page_opens_from_live_at_the_live_tick(live):
    assert not live.exception
    assert not live.error
    origin = live.session_state["whatif_origin"]
    assert isinstance(origin, ForkOrigin)
    assert (origin.source, origin.at, origin.seed) == ("live", AT, 7)
    assert any(f"after tick **{AT}**" in m.value for m in live.markdown)
    # the force picker lists what a character could choose in hour AT + 1
    assert live.selectbox(key="whatif_force_action").options


def test_a_fork_runs_and_joins_the_branch_tree(live):
    at = run_fork(live)
    assert not at.exception
    assert not at.error
    tree = at.session_state["whatif_tree"]
    assert len(tree) == 1 and len(tree[0].forks) == 1
    entry = tree[0].forks[0]
    assert entry.sets == ("agents.captain.actions.rob_player.weight=0.0",)
    assert [pair.replicate for pair in entry.report.pairs] == [0, 1, 2]
    options = at.radio(key="whatif_selected").options
    assert len(options) == 2  # the original and its fork
    assert f"T={AT}" in options[1] and "3 replicates" in options[1]
    spec = figures(at, "whatif_effects")[0]
    names = [trace["name"] for trace in spec["data"]]
    assert names == ["baseline share", "branch share", "difference, 95% interval"]
    difference = spec["data"][2]
    assert len(difference["error_x"]["array"]) == len(difference["y"]) > 0
    # a second fork joins the same root
    at = run_fork(at, replicates=2)
    assert len(at.session_state["whatif_tree"][0].forks) == 2
    assert len(at.radio(key="whatif_selected").options) == 3


def test_two_futures_share_one_slider(live):
    at = run_fork(live)
    at.selectbox(key="whatif_replicate").select(1).run()
    at = at.button(key="whatif_show_pair").click().run()
    assert not at.exception
    assert not at.error
    _, futures = at.session_state["whatif_futures"]
    entry = at.session_state["whatif_tree"][0].forks[0]
    pair = entry.report.pairs[1]
    # played again in the page, the pair is the one the workers played
    assert futures.baseline.digest == pair.baseline.digest
    assert futures.branch.digest == pair.branch.digest
    assert futures.diverged_at == pair.diverged_at
    assert len(at.get("slider")) == 1
    slider = at.slider(key="whatif_tick")
    assert slider.max == futures.ticks
    if pair.diverged_at is not None:
        assert f"part at tick {pair.diverged_at}" in slider.label
    slider.set_value(AT).run()
    before = figures(at, "whatif_galaxy")
    assert len(before) == 2  # the baseline's galaxy and the branch's
    assert before[0]["data"][1]["x"] == before[1]["data"][1]["x"]  # the same past at T
    casts = [d.value for d in at.dataframe if "doing" in d.value.columns]
    assert len(casts) == 2 and casts[0].equals(casts[1])
    at.slider(key="whatif_tick").set_value(futures.ticks).run()
    assert not at.exception
    assert any("tick " + str(futures.ticks) in m.value for m in at.markdown)


def test_the_page_opens_from_replay_at_the_slider_tick(
    monkeypatch, tmp_path, full_trace_record, workers_from_a_plain_process
):
    monkeypatch.setenv("CALLISTER_RUNS", str(tmp_path / "runs"))
    at = AppTest.from_file(DASHBOARD, default_timeout=120).run()
    at.switch_page("views/replay.py").run()
    at.text_input(key="replay_typed").input(str(full_trace_record)).run()
    at.button(key="replay_open_path").click().run()
    at.slider(key="replay_tick").set_value(20).run()
    at.button(key="replay_what_if").click().run()
    assert not at.exception
    assert not at.error
    origin = at.session_state["whatif_origin"]
    summary = read_record(full_trace_record).summary
    assert (origin.source, origin.at, origin.seed) == ("replay", 20, summary["seed"])
    at.switch_page("views/whatif.py")  # AppTest's next runs would go back to the page it set
    at = run_fork(at, replicates=2)
    assert not at.error
    pairs = at.session_state["whatif_tree"][0].forks[0].report.pairs
    assert pairs[0].baseline.digest == summary["digest"]  # replicate 0 is the recorded run


@pytest.mark.parametrize(
    ("knob", "message"),
    [
        ("agents.captain.actions.rob_player.weight=-1", "must be >= 0"),
        ("galaxy.initial_planets=30", "cannot change in a fork"),
        ("galaxy.no_such_knob=1", "galaxy.no_such_knob"),
    ],
)
def test_a_bad_change_is_one_error_and_is_not_added(live, knob, message):
    live.text_input(key="whatif_knob").input(knob).run()
    at = live.button(key="whatif_add_knob").click().run()
    assert not at.exception
    assert len(at.error) == 1
    assert message in at.error[0].value
    assert at.session_state["whatif_changes"] == []


def test_a_key_set_again_replaces_its_earlier_value(live):
    for value in ("0.5", "0.25"):
        live.text_input(key="whatif_knob").input(f"agents.captain.actions.warp.weight={value}")
        live = live.button(key="whatif_add_knob").click().run()
        assert not live.exception
        assert live.session_state["whatif_changes"] == [
            ("set", f"agents.captain.actions.warp.weight={value}")
        ]


def test_the_page_alone_says_where_to_open_it(tmp_path, monkeypatch):
    monkeypatch.setenv("CALLISTER_RUNS", str(tmp_path / "runs"))
    at = AppTest.from_file(DASHBOARD, default_timeout=60).run()
    at.switch_page("views/whatif.py").run()
    assert not at.exception
    assert "from the Live page" in at.info[0].value


def test_a_worker_that_runs_the_dashboard_script_as_its_main_draws_nothing(monkeypatch):
    """multiprocessing runs its parent's `__main__` file in each worker it starts, as
    `__mp_main__`; under Streamlit that file is the dashboard (a concurrent session's rerun
    puts it back even while a fork runs), and a worker must not draw the app there."""
    import runpy

    import streamlit

    def drawn(*args, **kwargs):
        raise AssertionError("the dashboard drew its pages in a worker")

    monkeypatch.setattr(streamlit, "set_page_config", drawn)
    monkeypatch.setattr(streamlit, "navigation", drawn)
    runpy.run_path(DASHBOARD, run_name="__mp_main__")
