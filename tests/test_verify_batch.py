"""`callister verify` on a real (tiny) batch whose driver is known: the captain's raids.

With `agents.captain.actions.rob_player.weight = 0` no robbery happens; with any positive
weight robberies start within hours. Discovery's first box is `weight >= 0.5`: every fresh run
inside it has a robbery, none outside it does.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from test_experiments_batch import TIMEOUT, callister, experiment, runs_of

from callister.cli import main
from experiments.store import ResultsStore

DRIVER = "agents.captain.actions.rob_player.weight"
RUNS = 20


@pytest.fixture(scope="module")
def raids(tmp_path_factory, default_config_path):
    tmp = tmp_path_factory.mktemp("raids")
    path = experiment(
        tmp, default_config_path, "raids",
        f'"{DRIVER}" = [0.0, 0.5, 1.0]\n"economy.price_hike" = [0.1, 0.3]', ticks=40, replicates=4,
    )  # fmt: skip
    done = callister("batch", path, "--workers", 2, "--out", tmp / "raids", "-q", cwd=tmp)
    assert done.returncode == 0, done.stderr
    return tmp / "raids"


def verify(results, *options, cwd, hash_seed="1"):
    """`callister verify` of box 1 of robberies, in a process with its own PYTHONHASHSEED."""
    command = ["verify", results, "--outcome", "event=robbery", "--box", 1, "--runs", RUNS,
               "--json", "-q", *options]  # fmt: skip
    return subprocess.run(
        [sys.executable, "-m", "callister", *map(str, command)],
        cwd=cwd, env={**os.environ, "PYTHONHASHSEED": hash_seed},
        capture_output=True, text=True, timeout=TIMEOUT, check=False,
    )  # fmt: skip


@pytest.fixture(scope="module")
def verified(raids):
    done = verify(raids, "--workers", 2, "--out", raids.parent / "verified", cwd=raids.parent)
    assert done.returncode == 0, done.stderr
    return raids.parent / "verified", json.loads(done.stdout)


def test_the_known_driver_holds_in_fresh_runs(verified):
    out, result = verified
    assert result["box"] == 1 and result["limits"] == {DRIVER: [0.5, 1.0]}
    assert result["discovered"]["density"] == 1.0
    assert result["inside"]["runs"] == RUNS // 2 == result["complement"]["runs"]
    assert result["inside"]["density"] == 1.0
    assert result["complement"]["density"] < 1.0
    low, high = result["difference"]["ci"]
    assert 0 < low <= result["difference"]["value"] <= high <= 1
    assert result["holds"] is True and "lower bound" in result["rule"]
    assert result["out"] == str(out.resolve())


def test_inside_points_keep_the_box_and_complement_points_leave_it(verified):
    out, _ = verified
    manifest = json.loads((out / "manifest.json").read_text())
    found = manifest["verify"]
    assert found["box"] == 1 and found["outcome"] == "event=robbery"
    assert found["discovered"]["ci"][1] == 1.0 and found["seed"] == 12  # the batch's 11 + 1
    assert found["inside_points"] == list(range(RUNS // 2))
    driver = manifest["design"]["keys"].index(DRIVER)
    points = manifest["design"]["points"]
    assert len(points) == RUNS and manifest["runs"] == RUNS
    assert all(0.5 <= points[p][driver] <= 1.0 for p in found["inside_points"])
    assert all(points[p][driver] == 0.0 for p in range(RUNS // 2, RUNS))  # the one level left
    assert {p[1 - driver] for p in points} == {0.1, 0.3}  # unrestricted: its whole grid


def test_the_store_is_read_like_any_batch(verified):
    out, _ = verified
    report = callister("report", out, "--json", cwd=out.parent)
    assert report.returncode == 0, report.stderr
    assert json.loads(report.stdout)["design"] == "verify"
    stories = callister("stories", out, "--json", cwd=out.parent)
    assert stories.returncode == 0, stories.stderr
    assert (out / "events.parquet").is_file()


def test_the_same_command_gives_the_same_answer_in_any_process(raids, verified):
    out, result = verified
    again = verify(
        raids, "--workers", 1, "--out", raids.parent / "again", cwd=raids.parent, hash_seed="2"
    )
    assert again.returncode == 0, again.stderr
    other = json.loads(again.stdout)
    assert {**other, "out": None} == {**result, "out": None}
    columns = ["run_id", "seed", "status", "digest"]
    assert runs_of(raids.parent / "again")[columns].equals(runs_of(out)[columns])
    same = verify(raids, "--out", out, cwd=raids.parent)  # finished: nothing to run
    assert same.returncode == 0 and json.loads(same.stdout) == result
    assert "this session 0" in same.stderr


def test_an_interrupted_verification_resumes_only_the_missing_runs(raids, verified, tmp_path):
    out, result = verified
    copy = shutil.copytree(out, tmp_path / "copy")
    lost = [3, 14]
    for name in ("runs", "series", "events"):  # as if these runs had never finished
        table = pq.read_table(copy / f"{name}.parquet")
        keep = pc.invert(pc.is_in(table.column("run_id"), value_set=pa.array(lost)))
        pq.write_table(table.filter(keep), copy / f"{name}.parquet")
    assert len(ResultsStore(copy).finished()) == RUNS - len(lost)
    resumed = verify(raids, "--workers", 2, "--out", copy, cwd=raids.parent)
    assert resumed.returncode == 0, resumed.stderr
    assert f"this session {len(lost)} (" in resumed.stderr
    assert f"{RUNS - len(lost)} done before (resumed)" in resumed.stderr
    assert {**json.loads(resumed.stdout), "out": None} == {**result, "out": None}
    columns = ["run_id", "seed", "status", "digest"]
    assert runs_of(copy)[columns].equals(runs_of(out)[columns])


@pytest.fixture(scope="module")
def flat(raids, default_config_path):
    """A finished batch that sweeps nothing: one point, two replicates."""
    tmp = raids.parent
    path = experiment(
        tmp, default_config_path, "flat", '"economy.price_hike" = [0.2]', ticks=5, replicates=2
    )
    done = callister("batch", path, "--workers", 1, "--out", tmp / "flat", "-q", cwd=tmp)
    assert done.returncode == 0, done.stderr
    return tmp / "flat"


def test_every_bad_input_exits_2_with_one_line_before_any_run(
    raids, verified, flat, tmp_path, monkeypatch, capsys
):
    out, _ = verified
    unfinished = shutil.copytree(flat, tmp_path / "unfinished")
    runs = pq.read_table(unfinished / "runs.parquet")
    pq.write_table(runs.slice(0, 1), unfinished / "runs.parquet")
    (tmp_path / "theirs").mkdir()
    (tmp_path / "theirs" / "notes.txt").write_text("mine")
    (tmp_path / "empty").mkdir()
    robbery = ["--outcome", "event=robbery"]
    cases = {
        "no event kind 'nope'": [raids, "--outcome", "event=nope", "--box", 1],
        "unknown ending": [raids, "--outcome", "ending=nope", "--box", 1],
        "expected ending=ID": [raids, "--outcome", "robbery", "--box", 1],
        "discover found 1 box for event=robbery": [raids, *robbery, "--box", 2],
        "numbered from 1": [raids, *robbery, "--box", 0],
        "--runs 1: allowed 2 to 100,000": [raids, *robbery, "--box", 1, "--runs", 1],
        "--runs 1000001: allowed": [raids, *robbery, "--box", 1, "--runs", 1_000_001],
        "no such results directory": [tmp_path / "nowhere", *robbery, "--box", 1],
        "not a batch results directory": [tmp_path / "empty", *robbery, "--box", 1],
        "the batch is unfinished (1 of 2 runs)": [unfinished, *robbery, "--box", 1],
        "no swept parameter": [flat, *robbery, "--box", 1],
        "not of a verification": [raids, *robbery, "--box", 1, "--out", flat],
        "inside the results directory": [raids, *robbery, "--box", 1, "--out", raids],
        f"--out {raids / 'runs'}: inside": [raids, *robbery, "--box", 1, "--out", raids / "runs"],
        "not written by Callister": [raids, *robbery, "--box", 1, "--out", tmp_path / "theirs"],
        "another verification (box 1 of event=robbery by prim": [
            raids,
            *robbery,
            "--box",
            1,
            "--seed",
            5,
            "--out",
            out,
        ],
    }
    monkeypatch.chdir(tmp_path)
    for expected, arguments in cases.items():
        code = main(["verify", *map(str, arguments), "-q"])
        stderr = capsys.readouterr().err
        assert code == 2, (expected, stderr)
        lines = stderr.strip().splitlines()
        assert len(lines) == 1 and expected in lines[0], (expected, stderr)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty", "theirs", "unfinished"]
    assert not (tmp_path / "results").exists()  # nothing written by default either
