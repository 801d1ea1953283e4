"""The dashboard's helpers without a page: safe saving, the galaxy picture, decision lookup,
result figures. Fast and exact, so a page test failing points at the page, not these."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import tomli_w

from configuration.errors import UserError
from configuration.loading import ConfigError, validate_raw
from views.configs import safe_config_name, save_config
from views.decisions import DecisionLog, candidate_rows, curves_for
from views.galaxy_figure import COLOUR_METRICS, galaxy_figure
from views.galaxy_frames import GalaxyFrame, frame_from_model, frame_from_record
from views.navigation import PAGES
from views.panels import thin
from views.results import effects_table, ending_table, endings_figure, sobol_figure, sobol_table
from world.record import galaxy_snapshot
from world.simulate import build_model


@pytest.mark.parametrize(
    ("requested", "saved"),
    [
        ("greedy_walton", "greedy_walton.toml"),
        ("greedy walton.toml", "greedy_walton.toml"),
        ("../../etc/passwd", "passwd.toml"),
        ("/abs/path/x.toml", "x.toml"),
        ("..\\..\\win", "win.toml"),
        ("  ünïcode!  ", "n_code.toml"),
    ],
)
def test_config_names_are_sanitised_to_a_plain_file_name(requested, saved):
    assert safe_config_name(requested) == saved


@pytest.mark.parametrize("requested", ["", "..", "../", "...toml", "   "])
def test_a_name_with_nothing_left_is_refused(requested):
    with pytest.raises(UserError, match="give the new config a name"):
        safe_config_name(requested)


def test_save_refuses_an_invalid_config_and_keeps_the_old_file(tmp_path, monkeypatch, scenario):
    monkeypatch.setenv("CALLISTER_CONFIGS", str(tmp_path))
    path = save_config("mine", scenario)
    original = path.read_text(encoding="utf-8")
    scenario["simulation"]["ticks"] = 0
    with pytest.raises(ConfigError, match=r"simulation\.ticks"):
        save_config("mine", scenario, overwrite=True)
    assert path.read_text(encoding="utf-8") == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.toml"]


def frame(**changes) -> GalaxyFrame:
    values = {
        "key": "run",
        "names": ["Heart of Infinity", "A", "B", "XJ-500"],
        "kinds": ["heart", "ordinary", "market", "xj500"],
        "x": np.array([0.0, 0.5, -0.5, 1.1]),
        "y": np.array([0.0, 0.5, 0.2, 0.0]),
        "lanes_x": np.array([0.0, 0.5, np.nan]),
        "lanes_y": np.array([0.0, 0.5, np.nan]),
        "online": np.array([0.0, 900.0, 100.0, 0.0]),
        "hunters": np.array([0.0, 0.0, 3.0, 0.0]),
        "attractiveness": np.array([0.0, 1.5, 0.7, 0.0]),
        "created": np.array([0.0, 0.0, 10.0, 0.0]),
        "ship_planet": 1,
        "walton_in_game": False,
        "nanette_in_game": False,
    }
    return GalaxyFrame(**(values | changes))


def traces(figure: dict) -> dict[str, dict]:
    return {t["name"]: t for t in figure["data"]}


def test_the_galaxy_draws_ship_avatars_and_hunters_where_they_are():
    drawn = traces(galaxy_figure(frame(walton_in_game=True, nanette_in_game=True)))
    ship, walton, nanette = (
        drawn[n] for n in ("USS Callister", "Walton's avatar", "the real Nanette's avatar")
    )
    for marker in (ship, walton, nanette):  # next to planet A, where the ship is
        assert marker["x"][0] == pytest.approx(0.5, abs=0.06)
        assert marker["y"][0] == pytest.approx(0.5, abs=0.06)
    assert len({(m["x"][0], m["y"][0]) for m in (ship, walton, nanette)}) == 3
    hunters = drawn["vengeful players"]
    assert hunters["text"] == ["3"] and hunters["x"][0] == pytest.approx(-0.5)
    sizes = drawn["planets"]["marker"]["size"]
    assert sizes[1] > sizes[2] > sizes[0]  # sized by players online
    assert drawn["Heart of Infinity / XJ-500"]["text"] == ["Heart of Infinity", "XJ-500"]


def test_absent_things_are_empty_traces_and_a_deleted_infinity_is_said():
    figure = galaxy_figure(frame(ship_planet=None, infinity_alive=False))
    drawn = traces(figure)
    for name in ("USS Callister", "Walton's avatar", "the real Nanette's avatar"):
        assert drawn[name]["x"] == []
    assert figure["layout"]["annotations"][0]["text"] == "Infinity has been deleted"
    assert figure["layout"]["uirevision"] == "run"


@pytest.mark.parametrize("colour_by", list(COLOUR_METRICS))
def test_planets_are_coloured_by_the_chosen_metric(colour_by):
    chosen = getattr(frame(), COLOUR_METRICS[colour_by])
    colours = traces(galaxy_figure(frame(), colour_by))["planets"]["marker"]["color"]
    assert list(colours) == pytest.approx(list(chosen))


def test_a_recorded_galaxy_hides_planets_built_later(default_config):
    model = build_model(default_config, seed=3)
    snapshot = galaxy_snapshot(model.galaxy)
    snapshot["nodes"][5]["created_tick"] = 40  # as if Daly had built it at tick 40
    planets = pd.DataFrame({"planet": range(len(snapshot["nodes"])), "online": 1.0, "hunters": 0})
    metrics = pd.Series({"ship_planet": model.ship.planet})
    early = frame_from_record(snapshot, planets, metrics, None, 39, key="r")
    late = frame_from_record(snapshot, planets, metrics, None, 40, key="r")
    assert len(late.names) == len(early.names) + 1
    assert snapshot["nodes"][5]["name"] not in early.names
    assert np.isnan(early.lanes_x[2::3]).all()


def test_the_live_frame_matches_the_model(default_config):
    model = build_model(default_config, seed=2)
    for _ in range(30):
        model.step()
    live = frame_from_model(model, key="k")
    assert len(live.names) == model.galaxy.size
    assert live.online.sum() == pytest.approx(float(np.sum(model.population.online)))
    assert live.hunters.sum() == len(model.vengeful)
    assert live.ship_planet == model.ship.planet


def test_decision_logs_of_a_model_and_of_its_record_agree(default_config):
    model = build_model(default_config, seed=4, trace="full")
    for _ in range(12):
        model.step()
    live = DecisionLog.from_model(model)
    recorded = DecisionLog.from_record(
        pd.DataFrame(
            [{**d, "trace": json.dumps(d["trace"])} for d in model.decisions],
            columns=["tick", "character", "role", "action", "score", "trace"],
        )
    )
    assert live.characters() == recorded.characters()
    for character in live.characters():
        assert live.ticks(character) == recorded.ticks(character)
        last = live.ticks(character)[-1]
        assert (
            live.decision(character, last)["trace"] == recorded.decision(character, last)["trace"]
        )
    captain = model.captain.name
    assert live.at_or_before(captain, 10_000) == live.ticks(captain)[-1]
    trace = live.decision(captain, live.ticks(captain)[0])["trace"]
    table = candidate_rows(trace)
    assert table["score"].is_monotonic_decreasing
    assert set(curves_for(default_config, "captain", captain)) == {
        c["action"] for c in trace["candidates"]
    }


def test_thinning_keeps_the_last_tick_and_the_limit():
    table = pd.DataFrame({"a": range(2160)}, index=range(1, 2161))
    thinned = thin(table, 600)
    assert len(thinned) <= 601 and thinned.index[-1] == 2160 and thinned.index[0] == 1


def test_result_figures_from_a_report():
    report = {
        "points": [
            {
                "point": 0,
                "values": {"a.b.c": 0.5},
                "ok": 10,
                "endings": {
                    "outlaws": {"count": 7, "share": 0.7, "low": 0.4, "high": 0.9},
                    "collapse": {"count": 3, "share": 0.3, "low": 0.1, "high": 0.6},
                },
            },
        ],
        "effects": [
            {"parameter": "a.b.c", "outcome": "outlaws", "rho": 0.4, "p_value": 0.1, "runs": 10},
            {"parameter": "a.b.c", "outcome": "collapse", "rho": -0.4, "p_value": 0.1, "runs": 10},
        ],
        "sobol": {
            "outcomes": {
                "outlaws": [
                    {
                        "parameter": "a.b.c",
                        "outcome": "outlaws",
                        "s1": 0.5,
                        "s1_conf": 0.1,
                        "st": 0.6,
                        "st_conf": 0.2,
                    }
                ]
            }
        },
    }
    bars = endings_figure(ending_table(report["points"], ["outlaws", "collapse"]))["data"]
    outlaws = bars[0]
    assert outlaws["y"] == [0.7]
    assert outlaws["error_y"]["array"] == [pytest.approx(0.2)]
    assert outlaws["error_y"]["arrayminus"] == [pytest.approx(0.3)]
    assert effects_table(report).loc["a.b.c", "collapse"] == -0.4
    sobol = sobol_figure(sobol_table(report, "outlaws"))["data"]
    assert [b["y"] for b in sobol] == [[0.5], [0.6]]


def test_uploads_and_saves_round_trip(tmp_path, monkeypatch, scenario):
    from views.configs import load_scenario, parse_upload

    monkeypatch.setenv("CALLISTER_CONFIGS", str(tmp_path))
    uploaded = parse_upload("x.toml", tomli_w.dumps(scenario).encode())
    assert uploaded.label == "uploaded: x.toml"
    save_config("x", uploaded.raw)
    assert load_scenario("x.toml").config == validate_raw(scenario, "x")


def test_the_view_follows_its_target_and_holds_its_zoom():
    whole_x, _ = traces_layout(galaxy_figure(frame()))
    ship_x, ship_y = traces_layout(galaxy_figure(frame(), follow="the USS Callister", zoom=2.0))
    assert np.mean(ship_x) == pytest.approx(0.5) and np.mean(ship_y) == pytest.approx(0.5)
    assert np.ptp(ship_x) == pytest.approx(np.ptp(whole_x) / 2)
    heart_x, _ = traces_layout(galaxy_figure(frame(), follow="Heart of Infinity", zoom=4.0))
    assert np.mean(heart_x) == pytest.approx(0.0)
    # with no ship left to follow, the view falls back to the whole galaxy
    gone_x, _ = traces_layout(galaxy_figure(frame(ship_planet=None), follow="the USS Callister"))
    assert gone_x == pytest.approx(whole_x)


def traces_layout(figure: dict) -> tuple[list, list]:
    return figure["layout"]["xaxis"]["range"], figure["layout"]["yaxis"]["range"]


def test_the_page_registry_names_each_page_once_with_one_landing_page():
    repo = Path(__file__).resolve().parent.parent
    assert all((repo / page.path).is_file() for page in PAGES.values())
    assert [page.default for page in PAGES.values()].count(True) == 1
    assert len({page.title for page in PAGES.values()}) == len(PAGES)
    # every hand-off goes through the registry: no page names another page's script
    for script in [repo / "dashboard.py", *(repo / "views").glob("*.py")]:
        text = script.read_text(encoding="utf-8")
        if script.name != "navigation.py":
            assert "st.switch_page(" not in text, script
            assert not any(f'"{page.path}"' in text for page in PAGES.values()), script
