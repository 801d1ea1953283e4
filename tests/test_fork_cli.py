"""`callister fork`: its JSON object, its human report, and every bad input refused (exit 2,
one message, nothing written). The scenario is the default's with a 300-hour horizon."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest
import tomli_w

from callister.cli import main
from configuration.toml_input import read_text
from experiments.fork_effects import INTERVAL_METHOD

pytestmark = pytest.mark.usefixtures("workers_from_a_plain_process")
HORIZON = 300
SEED = 3
AT = 100
CHANGE = "agents.captain.actions.warp.weight=0.5"
FORCE = "walton.invite_party"


@pytest.fixture(scope="module")
def short_config(tmp_path_factory, default_config_path) -> Path:
    """The default scenario over 300 hours: a fork of it takes a few seconds."""
    import tomllib

    raw = tomllib.loads(read_text(default_config_path, "config"))
    raw["simulation"]["ticks"] = HORIZON
    path = tmp_path_factory.mktemp("fork-cli") / "short.toml"
    path.write_text(tomli_w.dumps(raw), encoding="utf-8")
    return path


def callister(*argv: object) -> tuple[int, str, str]:
    """Run the CLI in this process; (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(arg) for arg in argv])
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def forked(short_config) -> dict:
    """`callister fork --json` with a --set and a --force, 3 replicates."""
    code, out, err = callister(
        "fork", short_config, "--seed", SEED, "--at", AT, "--set", CHANGE, "--force", FORCE,
        "--replicates", 3, "--workers", 1, "--json", "-q",
    )  # fmt: skip
    assert code == 0, err
    return json.loads(out)  # stdout is the JSON object and nothing else


def test_json_has_the_issue_shape_and_types(forked):
    assert list(forked) == [
        "seed", "at", "replicates", "changes", "interval", "pairs", "failed", "effects"
    ]  # fmt: skip
    assert (forked["seed"], forked["at"], forked["replicates"]) == (SEED, AT, 3)
    assert forked["changes"]["set"] == [CHANGE]
    assert forked["changes"]["force"] == [FORCE]
    assert forked["changes"]["keys"] == ["agents.captain.actions.warp.weight"]
    assert forked["interval"] == INTERVAL_METHOD
    assert forked["failed"] == []
    assert [pair["replicate"] for pair in forked["pairs"]] == [0, 1, 2]
    for pair in forked["pairs"]:
        assert set(pair) == {
            "replicate", "baseline_digest", "branch_digest", "baseline_ending",
            "branch_ending", "diverged_at", "branch_events",
        }  # fmt: skip
        assert all(isinstance(pair[k], str) for k in ("baseline_digest", "branch_digest"))
        assert isinstance(pair["baseline_ending"], str) and isinstance(pair["branch_ending"], str)
        # a forced choice in hour T+1 parts the branches at once
        assert pair["diverged_at"] == AT + 1
        assert pair["branch_events"], "the branch's events from T on"
        for event in pair["branch_events"]:
            assert set(event) == {"tick", "kind"} and event["tick"] > AT
    outcomes = [effect["outcome"] for effect in forked["effects"]]
    assert "ending=nanettes_head" in outcomes and "flag=walton_arrested" in outcomes
    for effect in forked["effects"]:
        assert set(effect) == {"outcome", "baseline", "branch", "difference", "ci"}
        low, high = effect["ci"]
        assert -1 <= low <= effect["difference"] <= high <= 1
        assert effect["difference"] == pytest.approx(
            effect["branch"] - effect["baseline"], abs=1e-5
        )


def test_replicate_0_baseline_is_the_original_run(forked, short_config):
    code, out, err = callister("run", short_config, "--seed", SEED, "--json")
    assert code == 0, err
    assert forked["pairs"][0]["baseline_digest"] == json.loads(out)["digest"]


def test_human_report_shows_the_change_the_interval_and_divergence(short_config, tmp_path):
    out_dir = tmp_path / "out"
    code, out, err = callister(
        "fork", short_config, "--seed", SEED, "--at", AT, "--force", FORCE,
        "--replicates", 2, "--workers", 1, "-q", "--out", out_dir,
    )  # fmt: skip
    assert code == 0, err
    assert f"Fork of seed {SEED} after {AT} hours (the state at Day 5 04:00)" in out
    assert f"--force {FORCE}" in out and f"from hour {AT + 1}" in out
    assert "baseline" in out and "branch" in out and "95% interval" in out
    assert INTERVAL_METHOD in out
    assert f"Divergence: 2 of 2 pairs diverged; earliest at hour {AT + 1}" in out
    assert f"written to {out_dir}" in out
    assert (out_dir / "manifest.json").is_file()


def test_a_fork_without_a_change_never_diverges(short_config):
    code, out, err = callister(
        "fork", short_config, "--seed", SEED, "--at", AT, "--replicates", 1, "--workers", 1, "-q"
    )
    assert code == 0, err
    assert "no change" in out
    assert "never diverged in any of the 1 pairs" in out


BAD_INPUTS = {
    "T below 0": (["--at", -1], "--at -1: must be 0 or more"),
    "T at the end": (["--at", HORIZON], f"--at {HORIZON}: the run's horizon is {HORIZON}"),
    "T past the end": (["--at", 10**6], "--at 1000000"),
    "unknown key": (["--at", AT, "--set", "agents.nope.weight=1"], 'unknown role "nope"'),
    "invalid change": (
        ["--at", AT, "--set", "agents.walton.actions.invite_party.weight=-5"],
        "agents.walton.actions.invite_party.weight (from --set",
    ),
    "key that cannot change": (
        ["--at", AT, "--set", "simulation.ticks=100"],
        "--set simulation.ticks: cannot change in a fork",
    ),
    "unknown action": (["--at", AT, "--force", "captain.nothing"], "has no such action"),
    "action not possible at T": (
        ["--at", AT, "--force", "captain.load_disk"],
        "--force captain.load_disk: at tick 100",
    ),
    "malformed force": (["--at", AT, "--force", "walton"], "write CHARACTER.ACTION"),
    "no replicates": (["--at", AT, "--replicates", 0], "--replicates 0: must be from 1"),
    "no workers": (["--at", AT, "--workers", 0], "--workers 0: need at least 1 worker"),
    "seed out of bounds": (["--at", AT, "--seed", -1], "--seed -1: must be at least 0"),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_exits_2_with_one_message_and_writes_nothing(case, short_config, tmp_path):
    options, expected = BAD_INPUTS[case]
    out_dir = tmp_path / "out"
    code, out, err = callister("fork", short_config, *options, "-q", "--out", out_dir)
    assert code == 2
    assert out == ""
    assert err.startswith("error: ") and expected in err, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert not out_dir.exists()


@pytest.mark.parametrize("content", [None, "x = [\n"], ids=["missing", "not TOML"])
def test_an_unreadable_config_exits_2(content, tmp_path):
    config = tmp_path / "scenario.toml"
    if content is not None:
        config.write_text(content, encoding="utf-8")
    code, out, err = callister("fork", config, "--at", 5, "-q", "--out", tmp_path / "out")
    assert code == 2 and out == ""
    assert err.startswith(f"error: {config}") and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_out_refuses_a_foreign_directory_without_replace(short_config, tmp_path):
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me", encoding="utf-8")
    code, out, err = callister("fork", short_config, "--at", AT, "-q", "--out", foreign)
    assert code == 2 and out == ""
    assert "not written by Callister (found notes.txt)" in err
    assert "pass --replace to write into it" in err
    assert sorted(path.name for path in foreign.iterdir()) == ["notes.txt"]
