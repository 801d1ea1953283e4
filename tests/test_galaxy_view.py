"""The galaxy view at scale: WebGL above the threshold, one lane trace, hover text, markers on
top; record frames read as arrays match a plain per-planet reading of the same record."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from streamlit.testing.v1 import AppTest

from views import galaxy_figure as figure_module
from views.galaxy_figure import WEBGL_ABOVE_PLANETS, galaxy_figure
from views.galaxy_frames import frame_from_model, frame_from_record
from world.cast import daly
from world.simulate import build_model

DASHBOARD = str(Path(__file__).resolve().parent.parent / "dashboard.py")
MARKERS = ("USS Callister", "Walton's avatar", "the real Nanette's avatar", "vengeful players")


def traces(figure: dict) -> dict[str, dict]:
    return {t["name"]: t for t in figure["data"]}


def lane_traces(figure: dict) -> list[dict]:
    return [t for t in figure["data"] if t["mode"] == "lines"]


@pytest.fixture(scope="module")
def large_model(default_config):
    """A default model Daly has grown just past the WebGL threshold."""
    model = build_model(default_config, seed=5)
    while model.galaxy.size <= WEBGL_ABOVE_PLANETS:
        daly.add_planet(model)
    for _ in range(3):
        model.step()
    return model


def test_a_large_galaxy_is_webgl_with_one_lane_trace_and_hover(large_model):
    frame = frame_from_model(large_model, key="k")
    figure = galaxy_figure(frame)
    assert {t["type"] for t in figure["data"]} == {"scattergl"}
    (lanes,) = lane_traces(figure)
    edges = large_model.galaxy.graph.number_of_edges()
    assert len(lanes["x"]) == len(lanes["y"]) == 3 * edges  # a, b, gap for every lane
    assert np.isnan(lanes["x"][2::3]).all() and not np.isnan(lanes["x"][0::3]).any()
    planets = traces(figure)["planets"]
    size = large_model.galaxy.size
    assert len(planets["x"]) == len(planets["text"]) == size
    ship = large_model.ship.planet
    name, kind = large_model.galaxy.name(ship), large_model.galaxy.kind(ship)
    assert planets["text"][ship] == f"{name} · {figure_module.KIND_TEXT[kind]}"
    assert np.asarray(planets["customdata"]).shape == (size, 3)
    for shown in ("players online", "vengeful players", "attractiveness"):
        assert shown in planets["hovertemplate"]
    go.Figure(figure)  # plotly accepts every property on the WebGL traces


def test_markers_are_drawn_after_the_planets_so_they_stay_on_top(large_model):
    names = [t["name"] for t in galaxy_figure(frame_from_model(large_model, key="k"))["data"]]
    assert names[:2] == ["warp lanes", "planets"]
    assert set(MARKERS) <= set(names[2:])


def test_the_default_galaxy_keeps_its_svg_picture(default_config):
    model = build_model(default_config, seed=5)
    figure = galaxy_figure(frame_from_model(model, key="k"))
    assert {t["type"] for t in figure["data"]} == {"scatter"}
    assert len(lane_traces(figure)) == 1
    online = np.asarray(model.population.online, dtype=float)
    peak = online.max() if online.max() > 0 else 1.0
    sizes = traces(figure)["planets"]["marker"]["size"]
    assert sizes == pytest.approx(7.0 + 23.0 * np.sqrt(online / peak), abs=0.01)


def test_crowded_planets_shrink_only_above_the_threshold():
    assert figure_module.crowd_scale(50) == 1.0
    assert figure_module.crowd_scale(WEBGL_ABOVE_PLANETS) == 1.0
    assert figure_module.crowd_scale(4 * WEBGL_ABOVE_PLANETS) == pytest.approx(0.5)


def test_a_grown_galaxy_is_redrawn_with_its_new_planet_and_lanes(default_config):
    model = build_model(default_config, seed=6)
    before = frame_from_model(model, key="k")
    node = daly.add_planet(model)
    after = frame_from_model(model, key="k")
    assert len(after.names) == len(before.names) + 1
    assert after.names[node] == model.galaxy.name(node)
    assert len(after.lanes_x) == 3 * model.galaxy.graph.number_of_edges() > len(before.lanes_x)
    assert after.attractiveness[node] == model.galaxy.graph.nodes[node]["attractiveness"]


def _frame_by_hand(galaxy: dict, planets: pd.DataFrame, ship: int, tick: int) -> dict:
    """The record frame read one planet and one lane at a time: the reference."""
    nodes = [n for n in galaxy["nodes"] if n["created_tick"] <= tick]
    index = {n["id"]: i for i, n in enumerate(nodes)}
    lanes_x = []
    for e in galaxy["edges"]:
        if e["source"] in index and e["target"] in index:
            lanes_x += [nodes[index[e["source"]]]["x"], nodes[index[e["target"]]]["x"], np.nan]
    online = np.zeros(len(nodes))
    for planet, value in zip(planets["planet"], planets["online"], strict=True):
        if planet in index:
            online[index[planet]] = value
    return {
        "names": [n["name"] for n in nodes],
        "lanes_x": np.array(lanes_x),
        "online": online,
        "ship": index.get(ship),
    }


@pytest.mark.parametrize("tick", [0, 3, 9])
@pytest.mark.parametrize("ship", [0, 12, 99])
def test_record_frames_match_a_planet_by_planet_reading(tick, ship):
    rng = np.random.default_rng(tick + ship)
    ids = [0, 2, 3, 5, 8, 12, 13, 20]  # not contiguous, as a record may hold them
    nodes = [
        {
            "id": i,
            "name": f"P{i}",
            "kind": "ordinary",
            "x": float(rng.uniform(-1, 1)),
            "y": float(rng.uniform(-1, 1)),
            "created_tick": int(rng.integers(0, 10)),
            "attractiveness": 1.0,
        }
        for i in ids
    ]
    edges = [{"source": a, "target": b, "distance": 1.0} for a, b in rng.choice(ids, (12, 2))]
    edges.append({"source": 2, "target": 77, "distance": 1.0})  # to a planet not recorded
    galaxy = {"nodes": nodes, "edges": edges, "heart": 0, "xj500": 20}
    planets = pd.DataFrame({"planet": [20, 13, 99, 2, 5], "online": [5.0, 4.0, 3.0, 2.0, 1.0]})
    planets["hunters"] = 0
    frame = frame_from_record(galaxy, planets, pd.Series({"ship_planet": ship}), None, tick, "r")
    expected = _frame_by_hand(galaxy, planets, ship, tick)
    assert list(frame.names) == expected["names"]
    np.testing.assert_array_equal(frame.lanes_x, expected["lanes_x"])
    np.testing.assert_array_equal(frame.online, expected["online"])
    assert frame.ship_planet == expected["ship"]


def test_the_live_page_draws_a_large_galaxy_with_webgl(monkeypatch, tmp_path):
    """Through the real page: a threshold below the default 50 planets switches it to WebGL."""
    monkeypatch.setattr(figure_module, "WEBGL_ABOVE_PLANETS", 10)
    monkeypatch.delenv("CALLISTER_CONFIGS", raising=False)
    monkeypatch.setenv("CALLISTER_RUNS", str(tmp_path))
    app = AppTest.from_file(DASHBOARD, default_timeout=60).run()
    app.button(key="step").click().run()
    assert not app.exception
    chart = next(c for c in app.get("plotly_chart") if "galaxy" in c.proto.id)
    spec = json.loads(chart.proto.spec)
    assert {t["type"] for t in spec["data"]} == {"scattergl"}
    assert len(lane_traces(spec)) == 1
    planets = traces(spec)["planets"]
    assert len(planets["text"]) == app.session_state["live"].model.galaxy.size
    assert "players online" in planets["hovertemplate"]
    assert len(traces(spec)["USS Callister"]["x"]) == 1
