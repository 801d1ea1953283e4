"""The dashboard shows what characters knew and felt: beside a decision and per character.

Default scenario, seed 1, 80 hours: the real Nanette finds the clones in the logs at tick 72
(her decisions fall every 3 hours, so the one at 72 was taken before, the one at 75 after),
and confides in Walton at tick 75 (his decisions at 70 and 76 straddle it). The Why page must
show each belief as it stood at the decision, with when, how and from whom, in Live and in
Replay; the character panel lists beliefs and feelings, and says when a record kept none.
"""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pandas as pd
import pytest
import tomli_w
from streamlit.testing.v1 import AppTest

from callister.cli import main as callister
from configuration.loading import config_to_toml
from world.record import ReplayRecorder, check_record_directory, galaxy_snapshot, write_record
from world.record_minds import BELIEFS_FILE, FEELINGS_FILE
from world.simulate import advance, build_model, collect_result

DASHBOARD = str(Path(__file__).resolve().parent.parent / "dashboard.py")
SEED, TICKS = 1, 80
FOUND, CONFIDED = 72, 75  # the hours she finds the clones and tells Walton
BEFORE, AFTER = 70, 76  # Walton's decisions either side of her telling him


@pytest.fixture(scope="module")
def scenario_dir(tmp_path_factory, default_config_path) -> Path:
    """The default scenario at seed 1 and 80 hours, as the only scenario of the sidebar."""
    root = tmp_path_factory.mktemp("configs")
    scenario = tomllib.loads(default_config_path.read_text(encoding="utf-8"))
    scenario["simulation"] |= {"seed": SEED, "ticks": TICKS}
    (root / "default.toml").write_text(tomli_w.dumps(scenario), encoding="utf-8")
    return root


@pytest.fixture
def live(monkeypatch, tmp_path, scenario_dir):
    """The Live page, run to its 80-hour horizon."""
    monkeypatch.setenv("CALLISTER_CONFIGS", str(scenario_dir))
    monkeypatch.setenv("CALLISTER_RUNS", str(tmp_path / "runs"))
    at = AppTest.from_file(DASHBOARD, default_timeout=120).run()
    return at.button(key="run_to_end").click().run()


@pytest.fixture(scope="module")
def record(tmp_path_factory, default_config) -> Path:
    """A default-trace record of the same run, with Karl's trust in his captain moved at 30."""
    model = build_model(default_config, seed=SEED, ticks=TICKS)
    recorder = ReplayRecorder()
    advance(model, 30, observers=(recorder,))
    model.relationships.feel("karl", model.captain.name, "refused_me", model.steps)
    advance(model, observers=(recorder,))
    out = tmp_path_factory.mktemp("replay") / "record"
    write_record(
        check_record_directory(out),
        config_to_toml(model.config),
        collect_result(model, 0.0),
        galaxy_snapshot(model.galaxy),
        recorder,
    )
    model.release()
    return out


def _replay(monkeypatch, tmp_path, record: Path) -> AppTest:
    monkeypatch.setenv("CALLISTER_RUNS", str(tmp_path / "runs"))
    at = AppTest.from_file(DASHBOARD, default_timeout=120).run()
    at.switch_page("views/replay.py").run()
    at.text_input(key="replay_typed").input(str(record)).run()
    return at.button(key="replay_open_path").click().run()


def table(at, column: str) -> pd.DataFrame:
    """The first shown table with this column (st.dataframe has no key in AppTest)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def belief_of(at, name: str) -> dict:
    """The row of the Why page's belief table for the input `name`."""
    shown = table(at, "input")
    return shown[shown["input"] == name].iloc[0].to_dict()


def _why(at, character: str, tick: int) -> None:
    at.selectbox(key="why_character").select(character).run()
    at.select_slider(key="why_tick").set_value(tick).run()
    assert not at.exception


def test_why_shows_the_belief_behind_the_real_nanettes_input_once_she_found_the_logs(live):
    live.switch_page("views/why.py").run()
    _why(live, "real_nanette", FOUND)  # decided before she read the logs that hour
    assert belief_of(live, "clones_discovered")["value"] == "not learned yet"
    _why(live, "real_nanette", CONFIDED)
    found = belief_of(live, "clones_discovered")
    assert found["value"] == "true"
    assert found["learned"] == f"Day 4 00:00 (tick {FOUND})"
    assert found["how"].startswith("logs: found it in the complaint logs")
    assert belief_of(live, "saw_attack")["value"] == "not learned yet"


def test_why_names_who_told_walton_and_marks_it_beside_his_input(live):
    live.switch_page("views/why.py").run()
    _why(live, "walton", BEFORE)
    assert belief_of(live, "knows_clones")["value"] == "not learned yet"
    _why(live, "walton", AFTER)
    told = belief_of(live, "knows_clones")
    assert (told["value"], told["source"]) == ("true", "Nanette Cole")
    assert told["how"].startswith("told")
    considered = pd.concat(d.value for d in live.dataframe if "belief" in d.value.columns)
    beside = considered[considered["input"] == "knows_clones"]["belief"]
    assert len(beside) and all(
        text == f"true since Day 4 03:00 (tick {CONFIDED})" for text in beside
    )


def test_live_character_panel_lists_beliefs_and_feelings(live):
    model = live.session_state["live"].model
    model.relationships.feel("karl", model.captain.name, "refused_me", model.steps)
    live.selectbox(key="inspect_character").select("real_nanette").run()
    beliefs = table(live, "times learned")
    assert list(beliefs["fact"]) == ["clones_are_real"] + (
        ["walton_attacked_crew"] if model.nanette.beliefs.about("walton_attacked_crew") else []
    )
    assert beliefs.iloc[0]["source"] == "—" and beliefs.iloc[0]["value"] == "true"
    feelings = table(live, "grievance")
    assert len(feelings) == len(model.cast) - 1  # everyone else
    live.selectbox(key="inspect_character").select("karl").run()
    assert not live.exception
    feelings = table(live, "grievance")
    moved = feelings[feelings["changes"] > 0].iloc[0]
    assert moved["about"] == f"{model.captain.display_name} (captain)"
    assert moved["last change"].startswith("refused_me")
    assert moved["trust"] == pytest.approx(model.relationships.trust("karl", model.captain.name))


def test_replay_why_shows_the_recorded_belief_even_without_full_traces(
    monkeypatch, tmp_path, record
):
    at = _replay(monkeypatch, tmp_path, record)
    at.slider(key="replay_tick").set_value(AFTER + 2).run()
    at.selectbox(key="replay_inspect").select("walton").run()
    at.button(key="replay_why").click().run()
    assert not at.exception
    assert at.radio(key="why_source").value == "replay"
    told = belief_of(at, "knows_clones")  # his decision at AFTER, under trace level "winners"
    assert (told["value"], told["source"]) == ("true", "Nanette Cole")
    at.switch_page("views/why.py").run()  # AppTest reruns the first page unless told
    assert at.radio(key="why_source").value == "replay"
    _why(at, "walton", BEFORE)
    assert belief_of(at, "knows_clones")["value"] == "not learned yet"


def test_replay_character_panel_follows_the_slider(monkeypatch, tmp_path, record):
    at = _replay(monkeypatch, tmp_path, record)
    at.selectbox(key="replay_minds_of").select("karl").run()
    feelings = pd.read_parquet(record / FEELINGS_FILE)
    karls = feelings[(feelings["who"] == "karl") & (feelings["whom"] == "nanette")]

    def about_captain(tick: int) -> pd.Series:
        at.slider(key="replay_tick").set_value(tick).run()
        return table(at, "grievance").set_index("about").loc["Captain Cole (captain)"]

    for tick in (12, 30, 50):
        shown, upto = about_captain(tick), karls[karls["tick"] <= tick]
        assert shown["changes"] == len(upto)  # the panel follows the slider
        if len(upto):
            assert shown["last change"].split()[0] == upto.iloc[-1]["cause"]
    at.selectbox(key="replay_minds_of").select("real_nanette").run()
    at.slider(key="replay_tick").set_value(FOUND - 1).run()
    assert any("Nothing learned yet" in c.value for c in at.caption)
    at.slider(key="replay_tick").set_value(FOUND).run()
    assert list(table(at, "times learned")["fact"]) == ["clones_are_real"]


def test_an_older_record_says_beliefs_and_feelings_were_not_recorded(monkeypatch, tmp_path, record):
    old = Path(shutil.copytree(record, tmp_path / "old"))
    (old / BELIEFS_FILE).unlink()
    (old / FEELINGS_FILE).unlink()
    frame = pd.read_parquet(old / "decisions.parquet").drop(columns="beliefs_held")
    frame.to_parquet(old / "decisions.parquet", index=False)
    at = _replay(monkeypatch, tmp_path, old)
    assert not at.exception and not at.error
    captions = " ".join(c.value for c in at.caption)
    assert "Beliefs: not recorded" in captions and "Feelings: not recorded" in captions
    at.selectbox(key="replay_inspect").select("walton").run()
    at.button(key="replay_why").click().run()
    assert belief_of(at, "knows_clones")["value"].startswith("not recorded")


def test_replay_shows_a_malformed_beliefs_table_as_an_error(monkeypatch, tmp_path, record):
    broken = Path(shutil.copytree(record, tmp_path / "broken"))
    frame = pd.read_parquet(broken / BELIEFS_FILE)
    frame.assign(how=1).to_parquet(broken / BELIEFS_FILE, index=False)
    at = _replay(monkeypatch, tmp_path, broken)
    assert not at.exception
    assert BELIEFS_FILE in at.error[0].value and "column how" in at.error[0].value


def test_a_record_from_the_cli_opens_with_its_minds(monkeypatch, tmp_path, scenario_dir):
    out = tmp_path / "cli"
    assert callister(["run", str(scenario_dir / "default.toml"), "--out", str(out), "--json"]) == 0
    at = _replay(monkeypatch, tmp_path, out)
    at.selectbox(key="replay_minds_of").select("walton").run()
    assert not at.exception
    assert "Nanette Cole" in set(table(at, "times learned")["source"])
