"""Pattern files validated like configs, and `callister stories` on a real small record.

Every malformed file exits 2 with one line naming the file and the dotted key; the shipped
files validate; the CLI's text and JSON agree with the matcher on a 300-hour run.
"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest

from callister.cli import main
from experiments.stories_language import DEFAULT_PATTERNS, load_patterns

SHIPPED = sorted(DEFAULT_PATTERNS.parent.glob("*.toml"))
GOOD = """
[patterns.mutiny]
name = "A mutiny"
description = "A crew member refuses an order, then dies."

[[patterns.mutiny.beats]]
event = "order_refused"
actor = "crew"
as = "rebel"

[[patterns.mutiny.beats]]
event = "crew_death"
actor = "$rebel"
within = 240
"""


@pytest.fixture
def callister(capsys):
    """The CLI run in this process: (exit code, stdout, stderr) of one command."""

    def run(*argv: object) -> tuple[int, str, str]:
        code = main([str(arg) for arg in argv])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


@pytest.fixture(scope="module")
def record(tmp_path_factory) -> Path:
    """A 300-hour run of the default scenario, written as a record."""
    path = tmp_path_factory.mktemp("stories") / "run"
    with contextlib.redirect_stdout(io.StringIO()):
        code = main(["run", "--seed", "3", "--ticks", "300", "--out", str(path), "--json"])
    assert code == 0
    return path


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_every_shipped_pattern_file_validates_with_at_least_eight_patterns(path):
    patterns = load_patterns(path)
    assert len(patterns) >= 8
    assert all(p.name and p.description and "\n" not in p.description for p in patterns.values())


FIRST = 'event = "order_refused"'
# case -> (text replaced, its replacement, the key under `patterns.mutiny.`, words of the message)
MALFORMED = {
    "unknown-key": ("within = 240", "within = 240\nwhen = 3", "beats[1].when", "unknown key"),
    "bad-type": ("within = 240", 'within = "soon"', "beats[1].within", "an integer"),
    "negative-within": ("within = 240", "within = -1", "beats[1].within", ">= 0"),
    "unknown-kind": ('"crew_death"', '"crew_dead"', "beats[1].event", "crew_death"),
    "unknown-role": ('actor = "crew"', 'actor = "pilot"', "beats[0].actor", "captain"),
    "unbound-variable": ('"$rebel"', '"$hero"', "beats[1].actor", "not bound"),
    "unknown-action": (FIRST, 'action = "fly"', "beats[0].action", "join_raid"),
    "event-and-action": (FIRST, FIRST + '\naction = "defy"', "beats[0]", "exactly one"),
    "first-within": (FIRST, FIRST + "\nwithin = 3", "beats[0].within", "first beat"),
    "action-target": (FIRST, 'action = "defy"\ntarget = "captain"', "beats[0].target", "no target"),
    "unknown-ending": (
        'description = "A crew member',
        'endings = ["aired"]\ndescription = "A crew member',
        "endings[0]",
        "nanettes_head",
    ),
}


@pytest.mark.parametrize("case", MALFORMED)
def test_a_malformed_pattern_file_exits_2_naming_file_and_key(tmp_path, record, case, callister):
    old, new, key, words = MALFORMED[case]
    path = tmp_path / "bad.toml"
    path.write_text(GOOD.replace(old, new, 1), encoding="utf-8")
    code, out, err = callister("stories", record, "--patterns", path)
    assert (code, out) == (2, "")
    assert err.startswith(f"error: {path}: patterns.mutiny.{key}: ")
    assert err.count("\n") == 1, err  # one problem, one line
    assert words in err


def test_bad_toml_exits_2_with_the_line(tmp_path, record, callister):
    path = tmp_path / "bad.toml"
    path.write_text(GOOD.replace("within = 240", "within = "), encoding="utf-8")
    code, _, err = callister("stories", record, "--patterns", path)
    assert code == 2
    assert err.startswith(f"error: {path}: line 14, column 10: TOML syntax error")


def test_an_unknown_key_names_what_is_allowed(tmp_path, record, callister):
    path = tmp_path / "bad.toml"
    path.write_text(GOOD.replace("within = 240", "within = 240\nwhen = 3"), encoding="utf-8")
    _, _, err = callister("stories", record, "--patterns", path)
    assert "allowed: event, action, actor, target, within, not_between, as, target_as" in err


def test_an_action_a_role_lacks_is_refused(tmp_path, record, callister):
    text = GOOD.replace(
        'event = "order_refused"\nactor = "crew"', 'action = "invite_party"\nactor = "crew"'
    )
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    code, _, err = callister("stories", record, "--patterns", path)
    assert code == 2 and "role 'crew' has no action 'invite_party'" in err


def test_json_lists_every_pattern_with_the_issue_fields(record, callister):
    code, out, err = callister("stories", record, "--json")
    assert code == 0, err
    report = json.loads(out)
    assert [row["id"] for row in report["patterns"]] == list(load_patterns(DEFAULT_PATTERNS))
    for row in report["patterns"]:
        assert {"name", "description", "runs_matched", "share", "ci", "matches"} <= set(row)
        assert row["runs_matched"] == int(bool(row["matches"])) == row["share"]
        assert 0 <= row["ci"][0] <= row["share"] <= row["ci"][1] <= 1
        for match in row["matches"]:
            assert match["ticks"] == sorted(match["ticks"])
            assert [beat["tick"] for beat in match["beats"]] == match["ticks"]


def test_text_shows_each_match_with_its_events(tmp_path, record, callister):
    path = tmp_path / "mine.toml"
    path.write_text(GOOD.replace("within = 240", "within = 300"), encoding="utf-8")
    code, out, _ = callister("stories", record, "--patterns", path, "--json")
    found = json.loads(out)["patterns"][0]["matches"]
    code, text, err = callister("stories", record, "--patterns", path)
    assert code == 0, err
    assert text.startswith(f"Story patterns in {record} (seed 3")
    for match in found:
        for beat in match["beats"]:
            assert beat["text"] in text
    if not found:
        assert "Not found: A mutiny." in text


def test_a_broken_batch_manifest_exits_2_with_one_line(tmp_path, callister):
    (tmp_path / "manifest.json").write_text("{}", encoding="utf-8")
    code, out, err = callister("stories", tmp_path)
    assert (code, out) == (2, "")
    assert "manifest.json" in err and err.count("\n") == 1


def test_a_missing_record_exits_2(tmp_path, callister):
    code, _, err = callister("stories", tmp_path / "nothing")
    assert code == 2 and "no such directory" in err


def test_a_file_given_as_record_is_not_a_directory(tmp_path, callister):
    (tmp_path / "record.txt").write_text("a run", encoding="utf-8")
    code, _, err = callister("stories", tmp_path / "record.txt")
    assert code == 2 and "not a directory (a run record is a directory)" in err
