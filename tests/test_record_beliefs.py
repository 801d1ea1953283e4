"""The run record keeps what every character learned and felt, with where it came from.

A record written from a run holds every belief (in each character's learning order, with its
hour, way and source) and every change of trust and grievance (with its cause) exactly as the
model held them; a record written before these files existed still opens; a broken beliefs
or feelings table is one clear error naming the file and the column.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from callister.cli import main as callister
from configuration.errors import UserError
from configuration.loading import config_to_toml
from world.record import (
    ReplayRecorder,
    check_record_directory,
    galaxy_snapshot,
    read_record,
    write_record,
)
from world.record_minds import BELIEFS_FILE, FEELINGS_FILE, shown_value, value_text
from world.simulate import advance, build_model, collect_result

SEED = 3  # the real Nanette finds the clones in the logs, the crew sees Walton shoot


@pytest.fixture(scope="module")
def recorded(default_config, tmp_path_factory):
    """A default run with a few feelings changed by hand, its record, and the model's own data."""
    model = build_model(default_config, seed=SEED)
    recorder = ReplayRecorder()
    advance(model, 30, observers=(recorder,))
    captain, karl = model.captain.name, "karl"  # Karl resents his captain
    model.relationships.feel(karl, captain, "refused_me", model.steps)
    model.relationships.feel(captain, karl, "refused_me", model.steps)
    advance(model, 10, observers=(recorder,))
    model.relationships.feel(karl, captain, "listened_to_me", model.steps, strength=0.5)
    advance(model, observers=(recorder,))
    result = collect_result(model, 0.0)
    people = [*model.cast, *model.fallen]
    expected = {
        "beliefs": [
            (p.name, n, b.fact, b.value, b.tick, b.how, b.source)
            for p in people
            for n, b in enumerate(p.beliefs.learned)
        ],
        "feelings": [
            (c.tick, c.who, c.whom, c.cause, c.trust, c.grievance)
            for c in model.relationships.changes
        ],
        "held": list(model.beliefs_held),
    }
    out = tmp_path_factory.mktemp("minds") / "record"
    write_record(
        check_record_directory(out),
        config_to_toml(model.config),
        result,
        galaxy_snapshot(model.galaxy),
        recorder,
    )
    model.release()
    return out, expected


def test_the_record_keeps_every_belief_with_its_provenance(recorded):
    out, expected = recorded
    beliefs = read_record(out).beliefs
    assert len(expected["beliefs"]) > 0
    kept = [
        (r.character, r.order, r.fact, json.loads(r.value), r.tick, r.how, _none(r.source))
        for r in beliefs.itertuples()
    ]
    assert sorted(kept, key=_by_character) == sorted(expected["beliefs"], key=_by_character)
    ways = {b[5] for b in expected["beliefs"]}
    assert {"logs", "told"} <= ways and len(ways) >= 3  # found, told, and seen or phoned


def test_the_record_keeps_every_feeling_change_with_its_cause(recorded):
    out, expected = recorded
    feelings = read_record(out).feelings
    kept = [tuple(row) for row in feelings.itertuples(index=False)]
    assert kept == expected["feelings"]
    assert {"refused_me", "listened_to_me"} <= {row[3] for row in kept}  # the hand-made ones


def test_each_recorded_decision_says_how_many_beliefs_its_character_held(recorded):
    out, expected = recorded
    decisions = read_record(out).decisions
    assert list(decisions["beliefs_held"]) == expected["held"]
    assert decisions["beliefs_held"].max() > 0  # someone decided knowing something


def test_the_minds_add_little_to_a_record(recorded):
    out, _ = recorded
    added = (out / BELIEFS_FILE).stat().st_size + (out / FEELINGS_FILE).stat().st_size
    whole = sum(path.stat().st_size for path in out.iterdir() if path.is_file())
    assert added < 0.05 * whole  # a few hundred rows: far less than the decisions and scene


def test_a_record_without_beliefs_or_feelings_still_opens(recorded, tmp_path):
    out, _ = recorded
    old = Path(shutil.copytree(out, tmp_path / "old"))
    (old / BELIEFS_FILE).unlink()
    (old / FEELINGS_FILE).unlink()
    frame = pd.read_parquet(old / "decisions.parquet").drop(columns="beliefs_held")
    frame.to_parquet(old / "decisions.parquet", index=False)
    opened = read_record(old)
    assert opened.beliefs is None and opened.feelings is None
    assert "beliefs_held" not in opened.decisions


@pytest.mark.parametrize(
    ("name", "column", "change"),
    [
        (BELIEFS_FILE, "tick", lambda f: f.assign(tick=f["tick"].astype(str))),
        (BELIEFS_FILE, "fact", lambda f: f.drop(columns="fact")),
        (BELIEFS_FILE, "order", lambda f: f.assign(order=0.5)),
        (FEELINGS_FILE, "trust", lambda f: f.assign(trust="high")),
        (FEELINGS_FILE, "cause", lambda f: f.drop(columns="cause")),
        ("decisions.parquet", "beliefs_held", lambda f: f.assign(beliefs_held="some")),
    ],
)
def test_a_malformed_minds_table_is_refused_naming_the_file_and_column(
    recorded, tmp_path, name, column, change
):
    out, _ = recorded
    broken = Path(shutil.copytree(out, tmp_path / "broken"))
    change(pd.read_parquet(broken / name)).to_parquet(broken / name, index=False)
    with pytest.raises(UserError) as error:
        read_record(broken)
    assert name in str(error.value) and column in str(error.value)


def test_the_cli_writes_the_minds_of_every_run(tmp_path, default_config_path):
    out = tmp_path / "run"
    assert callister(["run", str(default_config_path), "--seed", str(SEED), "--out", str(out)]) == 0
    assert (out / BELIEFS_FILE).is_file() and (out / FEELINGS_FILE).is_file()


@pytest.mark.parametrize(("value", "shown"), [(True, "true"), (0.25, "0.25"), ("Walton", "Walton")])
def test_a_belief_value_keeps_its_type_and_reads_plainly(value, shown):
    assert json.loads(value_text(value)) == value
    assert shown_value(value_text(value)) == shown


def _by_character(row: tuple) -> tuple:
    return row[0], row[1]


def _none(value):
    return None if value is None or pd.isna(value) else value
