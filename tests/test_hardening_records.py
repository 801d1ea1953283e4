"""Run records checked on open: hand-crafted, broken or hostile files are one clear error.

Each case copies a real record (written by `callister run --out`), breaks one file the way a
user or a disk could, and checks that reading it names the file and what is wrong, that the
Replay page shows that as an error instead of raising, and that nothing blocks on a FIFO.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import threading
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
import tomli_w
from streamlit.testing.v1 import AppTest

from callister.cli import main as callister
from configuration.errors import UserError
from views.decisions import DecisionLog
from views.records import open_record
from world.record import read_record

DASHBOARD = str(Path(__file__).resolve().parent.parent / "dashboard.py")


@pytest.fixture
def record(full_trace_record, tmp_path) -> Path:
    """A fresh copy of the pristine record, free to break."""
    return Path(shutil.copytree(full_trace_record, tmp_path / "record"))


def _json(name: str, change: Callable[[object], object]) -> Callable[[Path], None]:
    def apply(record: Path) -> None:
        path = record / name
        path.write_text(json.dumps(change(json.loads(path.read_text()))), encoding="utf-8")

    return apply


def _frame(name: str, change: Callable[[pd.DataFrame], pd.DataFrame]) -> Callable[[Path], None]:
    def apply(record: Path) -> None:
        path = record / name
        change(pd.read_parquet(path)).to_parquet(path, index=False)

    return apply


def _text(name: str, text: str) -> Callable[[Path], None]:
    return lambda record: (record / name).write_text(text, encoding="utf-8")


def _summary_field(key: str, value: object) -> Callable[[Path], None]:
    return _json("summary.json", lambda summary: {**summary, key: value})


def _repeat_first_tick(metrics: pd.DataFrame) -> pd.DataFrame:
    metrics.loc[1, "tick"] = metrics.loc[0, "tick"]
    return metrics


# Eleven hand-crafted records that each crashed the Replay page before records were checked.
CRASH_CASES = {
    "summary is an array": (_text("summary.json", "[]"), r"summary\.json: expected an object"),
    "summary ending_tick is text": (
        _summary_field("ending_tick", "soon"),
        r'summary\.json: ending_tick: expected a whole number or null, found the string "soon"',
    ),
    "summary flags is an array": (
        _summary_field("flags", []),
        r"summary\.json: flags: expected an object, found an array of 0 items",
    ),
    "galaxy is an empty object": (
        _text("galaxy.json", "{}"),
        r"galaxy\.json: missing nodes, edges, heart, xj500",
    ),
    "metrics has no rows": (
        _frame("metrics.parquet", lambda m: m.iloc[:0]),
        r"metrics\.parquet: has 0 rows; a run record has at least 1",
    ),
    "metrics has no tick": (
        _frame("metrics.parquet", lambda m: m.drop(columns="tick")),
        r"metrics\.parquet: missing the column tick",
    ),
    "metrics repeats a tick": (
        _frame("metrics.parquet", _repeat_first_tick),
        r"metrics\.parquet: column tick: tick 1 appears more than once",
    ),
    "metrics has a text column": (
        _frame("metrics.parquet", lambda m: m.assign(credits=m["credits"].astype(str))),
        r"metrics\.parquet: column credits: expected numbers, found values of type str",
    ),
    "events has no text": (
        _frame("events.parquet", lambda e: e.drop(columns="text")),
        r"events\.parquet: missing the column text",
    ),
    "scene misses columns": (
        _frame("scene.parquet", lambda s: s.drop(columns=["infinity_alive", "ship_destroyed"])),
        r"scene\.parquet: missing the columns ship_destroyed, infinity_alive",
    ),
}

# More ways a record breaks: each must be the same kind of clear error.
MORE_CASES = {
    "summary is not JSON": (
        _text("summary.json", '{"seed": 1,'),
        r"summary\.json: not valid JSON \(line 1, column 12",
    ),
    "summary is deeply nested": (
        _text("summary.json", "[" * 100_000 + "]" * 100_000),
        r"summary\.json: not valid JSON \(nested too deeply\)",
    ),
    "summary seed is true": (
        _summary_field("seed", True),
        r"summary\.json: seed: expected a whole number >= 0, found true",
    ),
    "summary event lacks text": (
        _json("summary.json", lambda s: {**s, "events": [{"tick": 1, "kind": "x", "actors": []}]}),
        r"summary\.json: events\[0\]: missing text",
    ),
    "galaxy lane to nowhere": (
        _json(
            "galaxy.json", lambda g: {**g, "edges": [{"source": 0, "target": 10**6, "distance": 1}]}
        ),
        r"galaxy\.json: edges\[0\]: joins 0 and 1000000, which are not both planet ids",
    ),
    "galaxy planet id past the count": (
        _json(
            "galaxy.json",
            lambda g: {**g, "nodes": [*g["nodes"][:-1], {**g["nodes"][-1], "id": 10**20}]},
        ),
        r"galaxy\.json: nodes: the planet id 100000000000000000000 is not below the number",
    ),
    "galaxy repeats a planet": (
        _json("galaxy.json", lambda g: {**g, "nodes": g["nodes"] + g["nodes"][:1]}),
        r"galaxy\.json: nodes: the planet id 0 appears more than once",
    ),
    "metrics misses an hour": (
        _frame("metrics.parquet", lambda m: m.drop(index=3)),
        r"metrics\.parquet: column tick: must run 1, 2, \.\.\., 47 .* found ticks 1 to 48",
    ),
    "metrics ship planet is NaN": (
        _frame("metrics.parquet", lambda m: m.assign(ship_planet=float("nan"))),
        r"metrics\.parquet: column ship_planet: expected whole planet ids",
    ),
    "metrics is not Parquet": (
        _text("metrics.parquet", "tick,credits\n1,2\n"),
        r"metrics\.parquet: not a readable Parquet file",
    ),
    "decisions tick is text": (
        _frame("decisions.parquet", lambda d: d.assign(tick=d["tick"].astype(str))),
        r"decisions\.parquet: column tick: expected whole numbers, found values of type str",
    ),
    "planets has no planet": (
        _frame("planets.parquet", lambda p: p.drop(columns="planet")),
        r"planets\.parquet: missing the column planet",
    ),
    "scene flags are numbers": (
        _frame("scene.parquet", lambda s: s.assign(infinity_alive=1)),
        r"scene\.parquet: column infinity_alive: expected true or false, found whole numbers",
    ),
    "scene repeats a tick": (
        _frame("scene.parquet", _repeat_first_tick),
        r"scene\.parquet: column tick: tick 1 appears more than once",
    ),
    "config is not a scenario": (
        _text("config.toml", "[simulation]\nticks = 0\n"),
        r"config\.toml: simulation\.ticks: must be >= 1",
    ),
    "config is not TOML": (
        _text("config.toml", "[simulation\n"),
        r"config\.toml: line 1, column \d+: TOML syntax error",
    ),
    "config nested too deep": (
        _text("config.toml", "zz = " + "[" * 1000 + "]" * 1000 + "\n"),
        r"config\.toml: line 1, column \d+: .*nest",
    ),
    "config is not UTF-8": (
        lambda record: (record / "config.toml").write_bytes(b"\xff\xfe"),
        r"config\.toml: not UTF-8 text \(it is UTF-16\)",
    ),
}


@pytest.mark.parametrize("case", list(CRASH_CASES) + list(MORE_CASES))
def test_a_broken_record_file_is_one_error_naming_it(record, case):
    breaks, message = {**CRASH_CASES, **MORE_CASES}[case]
    breaks(record)
    with pytest.raises(UserError, match=message) as raised:
        read_record(record)
    assert str(raised.value).startswith(str(record))


def test_a_trace_that_is_not_json_is_an_error_when_read(record):
    _frame("decisions.parquet", lambda d: d.assign(trace="{not json"))(record)
    opened = read_record(record)  # traces are checked when read: opening stays cheap
    log = DecisionLog.from_record(opened.decisions, f"{record}/decisions.parquet")
    rows = log.latest_per_character(5)  # what Replay shows needs no trace
    assert rows
    with pytest.raises(UserError, match=r"decisions\.parquet: row \d+ \(.+ at tick \d+\): trace"):
        log.decision(rows[0]["character"], rows[0]["tick"])


def test_a_trace_of_the_wrong_shape_is_an_error_naming_the_key(record):
    _frame("decisions.parquet", lambda d: d.assign(trace='{"role": "crew", "candidates": 3}'))(
        record
    )
    log = DecisionLog.from_record(read_record(record).decisions, "decisions.parquet")
    character = log.characters()[0]
    with pytest.raises(UserError, match=r"trace: missing selector, uniform, winner"):
        log.decision(character, log.ticks(character)[0])


def test_a_pristine_record_opens_with_every_trace_readable(full_trace_record):
    opened = read_record(full_trace_record)
    log = DecisionLog.from_record(opened.decisions, "decisions.parquet")
    assert opened.scene is not None and len(opened.scene) == len(opened.metrics)
    for character in log.characters():
        for tick in log.ticks(character):
            assert log.decision(character, tick)["trace"]["candidates"]


def _read_in_background(record: Path) -> tuple[threading.Thread, dict]:
    outcome: dict = {}

    def read() -> None:
        try:
            read_record(record)
        except UserError as error:
            outcome["error"] = str(error)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    return reader, outcome


@pytest.mark.parametrize("name", ["summary.json", "metrics.parquet", "scene.parquet"])
def test_a_fifo_in_a_record_is_refused_without_blocking(record, name):
    (record / name).unlink()
    os.mkfifo(record / name)
    reader, outcome = _read_in_background(record)
    reader.join(timeout=30)
    if reader.is_alive():  # blocked opening the FIFO: a writer releases it, then fail
        descriptor = os.open(record / name, os.O_WRONLY | os.O_NONBLOCK)
        os.close(descriptor)
        reader.join()
        pytest.fail(f"reading a record whose {name} is a FIFO blocked")
    assert f"{name}: is a FIFO (named pipe), not a regular file" in outcome["error"]


def test_a_symlink_loop_or_a_directory_in_a_record_is_an_error(record):
    (record / "galaxy.json").unlink()
    (record / "galaxy.json").symlink_to(record / "galaxy.json")
    with pytest.raises(UserError, match=r"galaxy\.json: a symbolic link loop"):
        read_record(record)
    (record / "galaxy.json").unlink()
    (record / "galaxy.json").mkdir()
    with pytest.raises(UserError, match=r"galaxy\.json: is a directory, not a file"):
        read_record(record)


# ---- the Replay page ----------------------------------------------------------------------


def _replay(path: Path) -> AppTest:
    at = AppTest.from_file(DASHBOARD, default_timeout=60).run()
    at.switch_page("views/replay.py").run()
    at.text_input(key="replay_typed").input(str(path)).run()
    return at.button(key="replay_open_path").click().run()


@pytest.mark.parametrize("case", list(CRASH_CASES))
def test_replay_shows_a_broken_record_as_an_error(monkeypatch, tmp_path, record, case):
    monkeypatch.setenv("CALLISTER_RUNS", str(tmp_path / "runs"))
    breaks, message = CRASH_CASES[case]
    breaks(record)
    at = _replay(record)
    assert not at.exception
    assert "cannot be opened" in at.error[0].value
    assert re.search(message, at.error[0].value)


def test_replay_scrubs_a_record_whose_traces_are_broken(monkeypatch, tmp_path, record):
    monkeypatch.setenv("CALLISTER_RUNS", str(tmp_path / "runs"))
    _frame("decisions.parquet", lambda d: d.assign(trace="{not json"))(record)
    at = _replay(record)
    at.slider(key="replay_tick").set_value(6).run()
    assert not at.exception
    decisions = next(d.value for d in at.dataframe if "since tick" in d.value.columns)
    assert (decisions["since tick"] <= 6).all()


def test_why_shows_a_broken_trace_as_an_error(monkeypatch, tmp_path, record):
    monkeypatch.setenv("CALLISTER_RUNS", str(tmp_path / "runs"))
    _frame("decisions.parquet", lambda d: d.assign(trace="{not json"))(record)
    at = _replay(record)
    at.button(key="replay_why").click().run()
    assert not at.exception
    assert re.search(r"decisions\.parquet: row \d+ .*trace", at.error[0].value)


def test_replay_opens_a_record_of_a_single_tick(monkeypatch, tmp_path, make_scenario):
    monkeypatch.setenv("CALLISTER_RUNS", str(tmp_path / "runs"))
    config = tmp_path / "tiny.toml"
    config.write_text(tomli_w.dumps(make_scenario()), encoding="utf-8")
    out = tmp_path / "one"
    assert callister(["run", str(config), "--ticks", "1", "--out", str(out), "--json"]) == 0
    at = _replay(out)
    assert not at.exception
    assert not at.error
    assert any("tick 1 of 1" in m.value for m in at.markdown)


def test_replay_refuses_a_fifo_summary_without_blocking(monkeypatch, tmp_path, record):
    monkeypatch.setenv("CALLISTER_RUNS", str(tmp_path / "runs"))
    (record / "summary.json").unlink()
    os.mkfifo(record / "summary.json")
    at = _replay(record)  # AppTest gives up after its timeout if the page blocks
    assert not at.exception
    assert "summary.json: is a FIFO (named pipe), not a regular file" in at.error[0].value


def test_a_record_path_under_an_unknown_home_is_an_error():
    with pytest.raises(UserError, match="cannot resolve the path"):
        open_record("~nosuchuser-callister/record")
    with pytest.raises(UserError, match="cannot resolve the path"):
        read_record("~nosuchuser-callister/record")
