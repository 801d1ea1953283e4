"""Replay page: opens `callister run --out` records; everything follows the slider."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from world.clock import stamp
from world.events import ROUTINE
from world.record import read_record

DASHBOARD = str(Path(__file__).resolve().parent.parent / "dashboard.py")


@pytest.fixture
def record(full_trace_record) -> Path:
    """A full-trace record of the tiny scenario, written by the CLI (no scene file)."""
    return full_trace_record


@pytest.fixture
def app(monkeypatch, tmp_path, record):
    monkeypatch.setenv("CALLISTER_RUNS", str(tmp_path / "runs"))
    at = AppTest.from_file(DASHBOARD, default_timeout=60).run()
    at.switch_page("views/replay.py").run()
    at.text_input(key="replay_typed").input(str(record)).run()
    return at.button(key="replay_open_path").click().run()


def galaxy(at) -> dict:
    chart = next(c for c in at.get("plotly_chart") if "replay_galaxy" in c.proto.id)
    return json.loads(chart.proto.spec)


def test_opening_a_cli_record_shows_its_last_tick(app, record):
    assert not app.exception
    assert not app.error
    opened = read_record(record)
    assert app.slider(key="replay_tick").value == len(opened.metrics)
    # `callister run --out` records carry the scene, so the avatars can be drawn
    assert not any("no scene file" in c.value for c in app.caption)


def test_scrubbing_moves_monitors_story_and_galaxy(app, record):
    opened = read_record(record)
    metrics = opened.metrics.set_index("tick")
    ticks = sorted(set(opened.events["tick"]))
    tick = ticks[len(ticks) // 2]  # some of the story has happened, some has not
    assert tick < len(metrics)
    app.slider(key="replay_tick").set_value(tick).run()
    assert not app.exception
    shown = {m.label: m.value for m in app.metric}
    assert shown["credits"] == f"{metrics.loc[tick, 'credits']:,.0f}"
    assert shown["price index"] == f"{metrics.loc[tick, 'price_index']:,.2f}"
    story = " ".join(m.value for m in app.markdown if "`Day" in m.value)
    for event in opened.events.itertuples():
        if event.tick <= tick and event.kind not in ROUTINE:  # everyday runs fold into counts
            assert event.text in story
        else:  # stamps are unique per tick: a later one must not be shown yet
            assert f"`{stamp(event.tick)}`" not in story
    spec = galaxy(app)
    planets = next(t for t in spec["data"] if t["name"] == "planets")
    assert len(planets["text"]) == sum(n["created_tick"] <= tick for n in opened.galaxy["nodes"])
    ship = next(t for t in spec["data"] if t["name"] == "USS Callister")
    index = [n["name"] for n in opened.galaxy["nodes"]].index(
        opened.galaxy["nodes"][int(metrics.loc[tick, "ship_planet"])]["name"]
    )
    assert ship["x"][0] == pytest.approx(opened.galaxy["nodes"][index]["x"], abs=0.1)


def test_decisions_follow_the_slider_and_open_the_inspector(app):
    app.slider(key="replay_tick").set_value(6).run()
    decisions = next(d.value for d in app.dataframe if "since tick" in d.value.columns)
    assert (decisions["since tick"] <= 6).all()
    app.selectbox(key="replay_inspect").select("karl").run()
    app.button(key="replay_why").click().run()
    assert not app.exception
    assert app.radio(key="why_source").value == "replay"
    assert app.selectbox(key="why_character").value == "karl"
    assert "Karl" in app.subheader[0].value


def test_play_advances_the_timeline(app):
    app.slider(key="replay_tick").set_value(1).run()
    app.select_slider(key="replay_step").set_value(6).run()
    app.toggle(key="replay_playing").set_value(True).run()
    assert app.slider(key="replay_tick").value == 7
    app.run()
    assert app.slider(key="replay_tick").value == 13
    assert not app.exception


@pytest.mark.parametrize("bad", ["/no/such/record", "."])
def test_a_missing_or_foreign_directory_is_an_error_in_the_page(app, bad):
    app.text_input(key="replay_typed").input(bad).run()
    app.button(key="replay_open_path").click().run()
    assert not app.exception
    assert "cannot be opened" in app.error[0].value
