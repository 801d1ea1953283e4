"""`callister batch` / `callister report` end to end, in real subprocesses.

Short runs (`simulation.ticks` fixed small) keep this fast; the subprocesses are what a user
runs, so the tests also cover process spawning, exit codes and messages.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import psutil
import pyarrow.parquet as pq
import pytest

from configuration.toml_input import read_toml
from experiments.codehash import code_fingerprint
from experiments.consolidate import read_runs
from experiments.scenario import run_config
from experiments.seeds import plan_runs
from experiments.store import ResultsStore
from world.simulate import simulate

TIMEOUT = 300
IMPORTED_CODE = code_fingerprint()  # the world code this test process imported
# Columns that must agree, run for run, whatever the backend or worker count.
IDENTITY_COLUMNS = ["run_id", "seed", "status", "ending", "digest"]


def assert_same_run(config, row: pd.Series) -> None:
    """`row` (from runs.parquet) is exactly `simulate(config, seed=row.seed)` in this process."""
    if row["code"] != IMPORTED_CODE:
        pytest.skip("the world's code was edited while this test ran (the `code` column)")
    assert simulate(config, seed=int(row["seed"])).digest == row["digest"]


def callister(*args: str, cwd: Path, timeout: float = TIMEOUT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "callister", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def experiment(
    tmp: Path, base: Path, name: str, parameters: str, ticks: int, replicates: int
) -> Path:
    """An experiment file in `tmp` over a private copy of `base`.

    The copy keeps a batch and its resume on the same scenario even if someone edits the
    shipped default meanwhile (which would, rightly, make the resume refuse).
    """
    snapshot = tmp / f"{name}-base.toml"
    shutil.copyfile(base, snapshot)
    path = tmp / f"{name}.toml"
    path.write_text(
        f'[experiment]\nname = "{name}"\nconfig = "{snapshot.name}"\nreplicates = {replicates}\n'
        "seed = 11\n"
        f"series_every = 10\n[parameters]\n{parameters}\n"
        f'[fixed]\n"simulation.ticks" = {ticks}\n',
        encoding="utf-8",
    )
    return path


def runs_of(out: Path) -> pd.DataFrame:
    return pq.read_table(out / "runs.parquet").to_pandas()


@pytest.fixture(scope="module")
def sweep(tmp_path_factory, default_config_path) -> tuple[Path, Path]:
    """A small grid run once with 2 local workers: 2 points x 3 replicates of 120 ticks."""
    tmp = tmp_path_factory.mktemp("sweep")
    path = experiment(
        tmp, default_config_path, "sweep",
        '"agents.walton.actions.invite_party.weight" = [0.0, 1.2]', ticks=120, replicates=3,
    )  # fmt: skip
    done = callister("batch", path, "--workers", 2, "--out", tmp / "two", cwd=tmp)
    assert done.returncode == 0, done.stderr
    return path, tmp / "two"


def test_results_are_identical_for_1_and_2_workers_and_dask(sweep):
    path, two = sweep
    reference = runs_of(two)
    assert reference["run_id"].tolist() == list(range(6))
    planned = list(plan_runs(2, 3, 11))
    assert reference["seed"].tolist() == [run.seed for run in planned]
    assert (reference["status"] == "ok").all() and reference["digest"].str.len().eq(32).all()
    for args in (["--workers", "1"], ["--dask", "local", "--workers", "2"]):
        out = path.parent / "-".join(args).strip("-")
        done = callister("batch", path, *args, "--out", out, "--quiet", cwd=path.parent)
        assert done.returncode == 0, done.stderr
        other = runs_of(out)
        if set(other["code"]) != set(reference["code"]):
            pytest.skip("the world's code was edited while this test ran (the `code` column)")
        pd.testing.assert_frame_equal(other[IDENTITY_COLUMNS], reference[IDENTITY_COLUMNS])
    # A batch run is exactly `simulate(base + fixed + point values, seed)` in this process.
    manifest = json.loads((two / "manifest.json").read_text())
    raw = read_toml(manifest["base_config_file"])
    raw["simulation"]["ticks"] = 120
    config = run_config(raw, "base", {"agents.walton.actions.invite_party.weight": 1.2})
    assert_same_run(config, reference.loc[4])
    # ... and `callister run` with the same keys and seed replays it (what the docs promise).
    replay = callister(
        "run", manifest["base_config_file"], "--seed", reference.loc[4, "seed"], "--json",
        "--set", "simulation.ticks=120", "--set", "agents.walton.actions.invite_party.weight=1.2",
        cwd=path.parent,
    )  # fmt: skip
    assert replay.returncode == 0, replay.stderr
    assert json.loads(replay.stdout)["digest"] == reference.loc[4, "digest"]


def test_the_store_layout_and_the_report(sweep):
    _, two = sweep
    assert {p.name for p in two.iterdir()} >= {
        "manifest.json", "experiment.toml", "sessions.jsonl", "runs.parquet", "series.parquet",
    }  # fmt: skip
    runs = runs_of(two)
    for column in ("run_id", "seed", "status", "ending", "digest", "walton_arrested",
                   "nanette_state", "events.robbery", "events.invite_party", "ticks", "wall_s",
                   "error", "agents.walton.actions.invite_party.weight"):  # fmt: skip
        assert column in runs.columns, column
    series = pq.read_table(two / "series.parquet").to_pandas()
    assert sorted(series["run_id"].unique()) == list(range(6))
    assert series.groupby("run_id")["tick"].apply(list).iloc[0][:3] == [10, 20, 30]
    manifest = json.loads((two / "manifest.json").read_text())
    assert manifest["runs"] == 6 and manifest["base_config"]["simulation"]["ticks"] == 120
    assert {"package_version", "git_commit", "created", "host"} <= set(manifest)

    text = callister("report", two, cwd=two)
    assert text.returncode == 0, text.stderr
    assert "2 points x 3 replicates = 6 runs (6 ok, 0 failed" in text.stdout
    assert "95% Wilson interval" in text.stdout and "Traceback" not in text.stderr
    data = json.loads(callister("report", two, "--json", cwd=two).stdout)
    assert data["runs"]["ok"] == 6 and len(data["points"]) == 2
    assert sum(c["count"] for c in data["overall"].values()) == 6
    html = two.parent / "report.html"
    assert callister("report", two, "--html", html, cwd=two).returncode == 0
    assert "plotly" in html.read_text()[:5_000_000].lower()


@pytest.mark.slow
def test_sigkill_mid_batch_then_resume_runs_every_run_exactly_once(
    tmp_path, default_config_path, session_log
):
    path = experiment(
        tmp_path, default_config_path, "killed",
        '"economy.price_hike" = [0.1, 0.3]', ticks=600, replicates=20,
    )  # fmt: skip
    out = tmp_path / "out"
    store = ResultsStore(out)
    command = ["batch", str(path), "--workers", "2", "--out", str(out)]
    process = subprocess.Popen(
        [sys.executable, "-m", "callister", *command],
        cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + TIMEOUT
    while len(store.run_fragments()) < 3 and time.monotonic() < deadline:
        time.sleep(0.02)
    workers = psutil.Process(process.pid).children(recursive=True)
    process.send_signal(signal.SIGKILL)  # the driver alone: its workers are orphaned mid-run
    process.wait()
    _, alive = psutil.wait_procs(workers, timeout=15)
    assert not alive, "orphaned workers must exit on their own"
    before = read_runs(store).set_index("run_id")
    assert 3 <= len(before) < 40, "the batch must be killed mid-way"

    done = callister("batch", path, "--workers", "2", "--out", out, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    after = runs_of(out)
    assert after["run_id"].tolist() == list(range(40))  # each run exactly once, none lost
    assert (after["status"] == "ok").all()
    kept = after.set_index("run_id").loc[before.index]
    assert kept["digest"].tolist() == before["digest"].tolist()  # earlier results untouched
    sessions = session_log(store)
    resumed = [s for s in sessions if s["event"] == "start"][-1]
    assert resumed["to_run"] == 40 - len(before)
    assert sessions[-1]["ok"] == 40 - len(before)  # nothing repeated
    assert f"{len(before)} done before (resumed)" in done.stderr
    assert not list(store.runs_dir.iterdir())  # all fragments consolidated
    # A resumed run is the run an uninterrupted batch would have made.
    raw = read_toml(tmp_path / "killed-base.toml")
    raw["simulation"]["ticks"] = 600
    run = [r for r in plan_runs(2, 20, 11) if r.run_id not in before.index][-1]
    config = run_config(raw, "base", {"economy.price_hike": [0.1, 0.3][run.point]})
    assert_same_run(config, after.set_index("run_id").loc[run.run_id])


@pytest.mark.slow
def test_ctrl_c_stops_at_once_keeps_finished_runs_and_resumes(
    tmp_path, default_config_path, session_log
):
    path = experiment(
        tmp_path, default_config_path, "interrupted", '"economy.price_hike" = [0.15]',
        ticks=600, replicates=30,
    )  # fmt: skip
    out = tmp_path / "out"
    store = ResultsStore(out)
    command = ["batch", str(path), "--workers", "2", "--out", str(out)]
    # A foreground batch: a shell starts background jobs (`make test &`, nohup) with Ctrl-C
    # ignored, the driver would inherit that and rightly keep going.
    process = subprocess.Popen(
        [sys.executable, "-m", "callister", *command], cwd=tmp_path,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )  # fmt: skip
    deadline = time.monotonic() + TIMEOUT
    while len(store.run_fragments()) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C sends to the terminal's process group
    stopping = time.monotonic()
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130 and time.monotonic() - stopping < 10
    assert "interrupted: finished runs are saved" in stderr and "Traceback" not in stderr
    assert session_log(store)[-1]["result"] == "interrupted"
    saved = len(read_runs(store))
    assert 2 <= saved < 30
    done = callister(*command, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert runs_of(out)["run_id"].tolist() == list(range(30))
    assert session_log(store)[-1]["ok"] == 30 - saved


def test_a_failing_run_is_recorded_and_the_rest_complete(tmp_path, default_config_path):
    # Each value is valid alone; low == high together is a config the schema rejects at run time.
    key = "agents.walton.actions.raise_prices.considerations[1]"
    path = experiment(
        tmp_path, default_config_path, "failing",
        f'"{key}.low" = [1, 3]\n"{key}.high" = [5, 3]', ticks=60, replicates=2,
    )  # fmt: skip
    out = tmp_path / "out"
    done = callister("batch", path, "--workers", "2", "--out", out, cwd=tmp_path)
    assert done.returncode == 1, done.stderr  # finished, with failed runs
    assert "2 failed in all" in done.stderr and "Traceback" not in done.stderr
    runs = runs_of(out)
    failed = runs[runs["status"] == "failed"]
    assert failed["run_id"].tolist() == [6, 7]  # point 3 = (low 3, high 3)
    assert failed["error"].str.contains("low and high must differ").all()
    assert failed["ending"].isna().all() and failed["digest"].isna().all()
    assert (runs.loc[runs["status"] == "ok", "ending"].notna()).all() and len(runs) == 8
    report = callister("report", out, cwd=tmp_path)
    assert "Failed runs (2" in report.stdout and "low and high must differ" in report.stdout

    again = callister("batch", path, "--workers", "1", "--out", out, cwd=tmp_path)
    assert again.returncode == 1 and "this session 0" in again.stderr  # failed runs are kept
    retried = callister(
        "batch", path, "--workers", "1", "--out", out, "--retry-failed", cwd=tmp_path
    )
    assert "this session 2 (0 ok, 2 failed)" in retried.stderr
    assert runs_of(out).set_index("run_id").loc[[6, 7], "attempt"].tolist() == [2, 2]


def test_bad_input_exits_2_with_one_clear_message_and_loses_nothing(tmp_path, default_config_path):
    bad = experiment(
        tmp_path, default_config_path, "bad",
        '"agents.walton.actions.invite_partyy.weight" = [0.0]', ticks=30, replicates=1,
    )  # fmt: skip
    done = callister("batch", bad, "--out", tmp_path / "bad-out", cwd=tmp_path)
    assert done.returncode == 2
    assert "agents.walton.actions.invite_partyy" in done.stderr and "invite_party" in done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "bad-out").exists()

    good = experiment(
        tmp_path,
        default_config_path,
        "good",
        '"economy.price_hike" = [0.1]',
        ticks=30,
        replicates=2,
    )
    out = tmp_path / "out"
    assert callister("batch", good, "--workers", "1", "--out", out, cwd=tmp_path).returncode == 0
    kept = (out / "runs.parquet").read_bytes()
    good.write_text(good.read_text().replace("replicates = 2", "replicates = 3"))
    changed = callister("batch", good, "--out", out, cwd=tmp_path)
    assert changed.returncode == 2 and "holds results of a different experiment" in changed.stderr
    assert "[experiment] settings" in changed.stderr and "Traceback" not in changed.stderr
    assert (out / "runs.parquet").read_bytes() == kept

    for args in (
        ["batch", tmp_path / "nope.toml"],
        ["batch", good, "--workers", "0"],
        ["batch", good, "--dask", "tcp://127.0.0.1:9"],
        ["report", tmp_path / "none"],
    ):
        done = callister(*args, cwd=tmp_path, timeout=60)
        assert done.returncode == 2, (args, done.stderr)
        assert done.stderr.startswith("error: ") and "Traceback" not in done.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads other processes' environ")
def test_a_batch_leaves_no_process_behind_holding_its_output(tmp_path, default_config_path):
    """The forkserver that imports the world for workers goes when the command does.

    Mid-import it would otherwise outlive a batch that stopped on bad input, holding the
    stdout and stderr it inherited: a reader of a pipe (`| tee log`) would wait for it.
    """
    marker = f"callister-test-{os.getpid()}-{time.monotonic_ns()}"
    good = experiment(
        tmp_path, default_config_path, "tidy", '"economy.price_hike" = [0.1]', ticks=30,
        replicates=1,
    )  # fmt: skip
    bad = tmp_path / "bad.toml"
    bad.write_text(good.read_text().replace("price_hike", "price_hikee"), encoding="utf-8")
    for path, code in ((bad, 2), (good, 0)):
        process = subprocess.Popen(
            [sys.executable, "-m", "callister", "batch", str(path), "--workers", "1",
             "--out", str(tmp_path / path.stem)],
            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env={**os.environ, "CALLISTER_TEST_MARKER": marker},
        )  # fmt: skip
        process.wait(timeout=TIMEOUT)
        assert process.returncode == code, process.stderr.read()
        left = [p.pid for p in psutil.process_iter() if _forkserver_with(marker, p)]
        assert left == [], f"{path.name}: a forkserver outlived `callister batch`"
        process.stdout.close()
        process.stderr.close()


def _forkserver_with(marker: str, process: psutil.Process) -> bool:
    try:
        if "forkserver" not in " ".join(process.cmdline()):
            return False
        return process.environ().get("CALLISTER_TEST_MARKER") == marker
    except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
        return False
