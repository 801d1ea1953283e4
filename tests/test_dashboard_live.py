"""Live page: renders the default scenario, Step/Play/Reset drive the model, bad input is shown.

AppTest runs the real `dashboard.py` (navigation, sidebar, pages). `run_every` never fires in
AppTest, so each `.run()` is one pass of the live fragment, as the Streamlit notes verify.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import tomli_w
from streamlit.testing.v1 import AppTest

from views.navigation import PAGES
from world.record import read_record
from world.record_scene import read_scene

DASHBOARD = str(Path(__file__).resolve().parent.parent / "dashboard.py")


def figure(at, key: str) -> dict:
    """The JSON figure of the plotly chart with this key."""
    for chart in at.get("plotly_chart"):
        if key in chart.proto.id:
            return json.loads(chart.proto.spec)
    raise AssertionError(f"no plotly chart {key!r}")


def trace(spec: dict, name: str) -> dict:
    return next(t for t in spec["data"] if t.get("name") == name)


def tick(at) -> int:
    return at.session_state["live"].tick


@pytest.fixture
def tiny(tmp_path, monkeypatch, make_scenario):
    """The app over a configs dir with a tiny valid scenario (48 ticks) and a broken one."""
    configs = tmp_path / "configs"
    configs.mkdir()
    (configs / "default.toml").write_text(tomli_w.dumps(make_scenario()), encoding="utf-8")
    scenario = make_scenario()
    scenario["agents"]["captain"]["actions"]["rob_player"]["weight"] = -1
    (configs / "broken.toml").write_text(tomli_w.dumps(scenario), encoding="utf-8")
    monkeypatch.setenv("CALLISTER_CONFIGS", str(configs))
    monkeypatch.setenv("CALLISTER_RUNS", str(tmp_path / "runs"))
    return AppTest.from_file(DASHBOARD, default_timeout=60).run()


def test_landing_page_renders_the_default_scenario(monkeypatch, tmp_path, default_config):
    monkeypatch.delenv("CALLISTER_CONFIGS", raising=False)
    monkeypatch.setenv("CALLISTER_RUNS", str(tmp_path))
    at = AppTest.from_file(DASHBOARD, default_timeout=60).run()
    assert not at.exception
    assert not at.error
    assert at.selectbox(key="scenario").value == "default.toml"
    assert tick(at) == 0
    labels = {m.label for m in at.metric}
    for monitor in ("credits", "fuel", "ammo", "shields %", "hull %", "crew alive"):
        assert monitor in labels
    for monitor in ("crew health", "price index", "players online", "Walton's legal risk"):
        assert monitor in labels
    assert "journalist progress" in labels
    spec = figure(at, "galaxy")
    planets = trace(spec, "planets")
    model = at.session_state["live"].model
    assert len(planets["x"]["bdata"] if isinstance(planets["x"], dict) else planets["x"]) > 0
    assert len(planets["text"]) == model.galaxy.size
    landmarks = trace(spec, "Heart of Infinity / XJ-500")["text"]
    assert landmarks == ["Heart of Infinity", "XJ-500"]
    assert len(trace(spec, "USS Callister")["x"]) == 1
    for name in ("Walton's avatar", "the real Nanette's avatar", "vengeful players"):
        trace(spec, name)  # present (empty until they appear)


def test_step_advances_the_tick_and_keeps_the_zoom(tiny):
    revision = figure(tiny, "galaxy")["layout"]["uirevision"]
    for expected in (1, 2, 3):
        tiny.button(key="step").click().run()
        assert not tiny.exception
        assert tick(tiny) == expected
    assert "tick 3 of 48" in " ".join(m.value for m in tiny.markdown)
    assert figure(tiny, "galaxy")["layout"]["uirevision"] == revision
    assert len(tiny.session_state["live"].model.decisions) > 0


def test_the_chosen_view_follows_the_ship_across_ticks(tiny):
    tiny.selectbox(key="follow").select("the USS Callister").run()
    tiny.select_slider(key="zoom").set_value(3.0).run()
    for _ in range(3):
        tiny.button(key="step").click().run()
        spec = figure(tiny, "galaxy")
        ship = trace(spec, "USS Callister")
        x_range, y_range = spec["layout"]["xaxis"]["range"], spec["layout"]["yaxis"]["range"]
        assert x_range[0] < ship["x"][0] < x_range[1] and y_range[0] < ship["y"][0] < y_range[1]
        assert (x_range[1] - x_range[0]) < 1.0  # 3x closer than the whole galaxy (~2.4 wide)


def test_play_steps_every_refresh_until_paused(tiny):
    tiny.select_slider(key="ticks_per_refresh").set_value(4).run()
    tiny.toggle(key="playing").set_value(True).run()
    assert tick(tiny) == 4
    tiny.run()  # one timer refresh
    assert tick(tiny) == 8
    assert tiny.button(key="step").disabled
    tiny.toggle(key="playing").set_value(False).run()
    tiny.run()
    assert tick(tiny) == 8
    assert not tiny.exception


def test_reset_starts_the_sidebar_seed_afresh(tiny):
    tiny.button(key="step").click().run()
    tiny.number_input(key="seed").set_value(5).run()
    assert tick(tiny) == 1  # changing the seed alone never discards the run
    assert any("press Reset" in c.value for c in tiny.caption)
    tiny.button(key="reset").click().run()
    run = tiny.session_state["live"]
    assert (run.seed, run.tick) == (5, 0)
    assert not tiny.exception


def test_run_to_end_shows_the_ending_and_saves_a_replayable_record(tiny, tmp_path):
    assert tiny.button(key="save_record").disabled  # only a finished run is saved
    tiny.button(key="run_to_end").click().run()
    run = tiny.session_state["live"]
    assert run.finished
    banner = [s.value for s in tiny.success if "Ending:" in s.value]
    assert banner and run.model.ending in banner[0]
    assert tiny.toggle(key="playing").disabled
    tiny.button(key="save_record").click().run()
    assert not tiny.exception
    saved = list((tmp_path / "runs").iterdir())
    assert len(saved) == 1
    record = read_record(saved[0])
    assert record.summary["ending"] == run.model.ending
    assert len(record.metrics) == run.tick
    scene = read_scene(saved[0])
    assert len(scene) == run.tick
    tiny.button(key="open_replay").click().run()
    assert not tiny.exception
    assert tiny.slider(key="replay_tick").value == run.tick


@pytest.mark.parametrize(
    ("content", "shown"),
    [
        (b"[simulation\n", "TOML syntax error"),
        (b"\xff\xfe", "not UTF-8"),
        (b'[simulation]\nticks = "many"\n', "simulation.ticks"),
    ],
)
def test_a_bad_upload_shows_an_error_and_keeps_the_run(tiny, content, shown):
    tiny.button(key="step").click().run()
    tiny.button(key="step").click().run()
    tiny.file_uploader(key="scenario_upload").upload("mine.toml", content).run()
    assert not tiny.exception
    assert any(shown in e.value for e in tiny.error), [e.value for e in tiny.error]
    assert tick(tiny) == 2
    assert tiny.selectbox(key="scenario").value == "default.toml"


def test_a_good_upload_becomes_the_scenario_on_reset(tiny, scenario):
    scenario["simulation"]["ticks"] = 30
    text = tomli_w.dumps(scenario).encode()
    tiny.file_uploader(key="scenario_upload").upload("mine.toml", text).run()
    assert tiny.selectbox(key="scenario").value == "uploaded: mine.toml"
    tiny.button(key="reset").click().run()
    run = tiny.session_state["live"]
    assert run.label == "uploaded: mine.toml"
    assert run.model.config.simulation.ticks == 30
    assert not tiny.exception


def test_a_broken_config_file_is_reported_and_the_run_kept(tiny):
    tiny.button(key="step").click().run()
    tiny.selectbox(key="scenario").select("broken.toml").run()
    assert not tiny.exception
    messages = " ".join(e.value for e in tiny.error)
    assert "agents.captain.actions.rob_player.weight: must be >= 0, got -1." in messages
    assert tick(tiny) == 1
    assert tiny.button(key="reset").disabled


@pytest.mark.parametrize("page", PAGES.values(), ids=PAGES.keys())
def test_every_registered_page_renders_for_the_default_config(monkeypatch, tmp_path, page):
    monkeypatch.delenv("CALLISTER_CONFIGS", raising=False)
    monkeypatch.setenv("CALLISTER_RUNS", str(tmp_path / "runs"))
    monkeypatch.setenv("CALLISTER_RESULTS", str(tmp_path / "results"))
    at = AppTest.from_file(DASHBOARD, default_timeout=60).run()
    assert [w.key for w in at.sidebar.selectbox] == ["scenario"]  # the landing page is Live
    at.button(key="step").click().run()
    at.switch_page(page.path).run()
    assert not at.exception
    assert not at.error
    assert at.title and at.title[0].value
    picker = [w.key for w in at.sidebar.selectbox if w.key == "scenario"]
    assert bool(picker) == page.picks_scenario
