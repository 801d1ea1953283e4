"""`callister stories RESULTS`: story patterns over a real batch, read from its events.

A batch keeps each ok run's events (hour, kind, actors) in events.parquet. The shares it
reports must be exactly what matching each run's own record finds, per design point; a batch
without events, or with lost events, is handled as the store's other per-run tables are.
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil

import pyarrow.parquet as pq
import pytest
from test_experiments_batch import callister, experiment

from callister.cli import main
from configuration.errors import UserError
from experiments import stories_batch
from experiments.discover import discover
from experiments.stories_language import DEFAULT_PATTERNS, load_patterns
from experiments.stories_report import record_stories
from experiments.verify_result import judge
from world.record import read_record

INVITE = "agents.walton.actions.invite_party.weight"
TICKS = 400


@pytest.fixture(scope="module")
def batch(tmp_path_factory, default_config_path):
    """Two design points (no invite party, the default one) x 3 replicates, 400 hours."""
    tmp = tmp_path_factory.mktemp("stories_batch")
    path = experiment(tmp, default_config_path, "tales", f'"{INVITE}" = [0.0, 1.2]', TICKS, 3)
    done = callister("batch", path, "--workers", 2, "--out", tmp / "tales", "-q", cwd=tmp)
    assert done.returncode == 0, done.stderr
    return tmp, path, tmp / "tales"


def stories_json(*args) -> tuple[int, dict | None, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["stories", *map(str, args), "--json"])
    return code, json.loads(out.getvalue()) if code == 0 else None, err.getvalue()


def test_batch_shares_are_what_each_runs_own_record_shows(batch):
    tmp, _, results = batch
    code, report, err = stories_json(results)
    assert code == 0, err
    runs = pq.read_table(results / "runs.parquet").to_pylist()
    assert report["runs"] == len(runs) == 6
    patterns = load_patterns(DEFAULT_PATTERNS)
    expected: dict[str, set[int]] = {pattern_id: set() for pattern_id in patterns}
    for run in runs:  # each run again, as a run record, from its seed and design values
        record = tmp / f"record{run['run_id']}"
        argv = ["run", str(tmp / "tales-base.toml"), "--seed", str(run["seed"]), "--json"]
        argv += ["--set", f"{INVITE}={run[INVITE]}", "--ticks", str(TICKS), "--out", str(record)]
        with contextlib.redirect_stdout(io.StringIO()) as printed:
            assert main(argv) == 0
        assert json.loads(printed.getvalue())["digest"] == run["digest"]  # the very same run
        for row in record_stories(patterns, read_record(record))["patterns"]:
            if row["runs_matched"]:
                expected[row["id"]].add(run["run_id"])
    found = {row["id"]: set(row["run_ids"]) for row in report["patterns"]}
    assert found == expected
    assert any(expected.values())  # the comparison saw matches, not only absences
    for row in report["patterns"]:
        assert row["runs_matched"] == sum(point["runs_matched"] for point in row["points"])
        assert [point["runs"] for point in row["points"]] == [3, 3]
        assert row["ci"][0] <= row["share"] <= row["ci"][1]
    shares = [row["share"] for row in report["patterns"]]
    assert shares == sorted(shares)  # rarest first


def test_text_ranks_patterns_and_shows_the_design_points(batch):
    _, _, results = batch
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["stories", str(results)]) == 0
    text = out.getvalue()
    assert text.startswith(f"Story patterns in {results} (tales: 6 ok run(s) of 6 planned)")
    assert f"point 0: {INVITE} = 0.0 (3 runs)" in text
    assert "The aired ending" in text


def test_a_pattern_with_a_chosen_action_is_not_judged_on_a_batch(batch, tmp_path):
    _, _, results = batch
    patterns = tmp_path / "choices.toml"
    patterns.write_text(
        '[patterns.blue]\nname = "Blue"\ndescription = "The captain takes the blue disk."\n'
        '[[patterns.blue.beats]]\naction = "accept_blue"\n',
        encoding="utf-8",
    )
    code, report, err = stories_json(results, "--patterns", patterns)
    assert code == 0, err
    (row,) = report["patterns"]
    assert row["applicable"] is False and row["runs_matched"] is None and row["run_ids"] == []
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        main(["stories", str(results), "--patterns", str(patterns)])
    assert "Not judged (a beat is a chosen action, and batches keep no decisions): Blue." in (
        out.getvalue()
    )


def test_lost_events_are_run_again_on_resume(batch, tmp_path):
    tmp, path, results = batch
    copy = tmp_path / "copy"
    shutil.copytree(results, copy)
    before = stories_json(copy)[1]
    (copy / "events.parquet").unlink()
    code, _, err = stories_json(copy)  # never read as six runs that matched nothing
    assert code == 2 and "6 ok run(s) have lost their events" in err and err.count("\n") == 1
    resumed = callister("batch", path, "--workers", 1, "--out", copy, "-q", cwd=tmp)
    assert resumed.returncode == 0, resumed.stderr
    assert "6 ok run(s) have lost their events" in resumed.stderr
    after = stories_json(copy)[1]
    assert [row["run_ids"] for row in after["patterns"]] == [
        row["run_ids"] for row in before["patterns"]
    ]
    assert {k: v for k, v in after.items() if k != "results"} == {
        k: v for k, v in before.items() if k != "results"
    }


def test_a_batch_that_kept_no_events_is_refused(batch, tmp_path, default_config_path):
    path = experiment(tmp_path, default_config_path, "quiet", f'"{INVITE}" = [0.0]', 30, 1)
    path.write_text(
        path.read_text(encoding="utf-8").replace("[parameters]", "events = false\n[parameters]"),
        encoding="utf-8",
    )
    done = callister("batch", path, "--workers", 1, "--out", tmp_path / "quiet", "-q", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "quiet" / "events.parquet").exists()
    code, _, err = stories_json(tmp_path / "quiet")
    assert code == 2 and "kept no events" in err and err.count("\n") == 1


def test_a_batch_made_before_events_were_kept_is_refused_not_redone(batch, tmp_path):
    tmp, path, results = batch
    old = tmp_path / "old"
    shutil.copytree(results, old)
    shutil.rmtree(old / "events")
    (old / "events.parquet").unlink()
    manifest = json.loads((old / "manifest.json").read_text(encoding="utf-8"))
    del manifest["events"]
    (old / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    code, _, err = stories_json(old)
    assert code == 2 and "kept no events" in err
    resumed = callister("batch", path, "--workers", 1, "--out", old, "-q", cwd=tmp)
    assert resumed.returncode == 0 and "lost their events" not in resumed.stderr
    assert not (old / "events.parquet").exists()


def test_the_results_of_a_fork_are_refused_saying_why(batch, tmp_path):
    _, _, results = batch
    fork = tmp_path / "fork"
    shutil.copytree(results, fork)
    manifest = json.loads((fork / "manifest.json").read_text(encoding="utf-8"))
    manifest["fork"] = {"seed": 1, "at": 10}  # what `callister fork --out` adds
    (fork / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    code, _, err = stories_json(fork)
    assert code == 2 and "results of a fork" in err and err.count("\n") == 1


def test_a_batch_whose_runs_recorded_no_event_has_every_share_zero(tmp_path, default_config_path):
    raids = '"agents.captain.actions.rob_player.weight" = [0.0]'
    path = experiment(tmp_path, default_config_path, "still", raids, 1, 2)
    done = callister("batch", path, "--workers", 1, "--out", tmp_path / "still", "-q", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    runs = pq.read_table(tmp_path / "still" / "runs.parquet").to_pandas()
    assert runs.filter(like="events.").to_numpy().sum() == 0  # nothing happened in one hour
    code, report, err = stories_json(tmp_path / "still")
    assert code == 0, err
    assert report["runs"] == 2 and all(row["runs_matched"] == 0 for row in report["patterns"])


def test_a_damaged_events_table_exits_2_naming_it(batch, tmp_path):
    _, _, results = batch
    copy = tmp_path / "copy"
    shutil.copytree(results, copy)
    events = pq.read_table(copy / "events.parquet")
    pq.write_table(events.drop_columns(["actors"]), copy / "events.parquet")
    code, _, err = stories_json(copy)
    assert code == 2 and "events.parquet" in err and err.count("\n") == 1


def test_a_story_is_an_outcome_discover_and_verify_count_as_stories_does(batch):
    _, _, results = batch
    report = stories_json(results)[1]
    shares = {row["id"]: row for row in report["patterns"]}
    for pattern_id in ("betrayal", "whistleblower", "mutiny"):
        found = discover(results, f"story={pattern_id}", resamples=0)
        assert (found["runs"], found["hits"]) == (6, shares[pattern_id]["runs_matched"])
    runs = pq.read_table(results / "runs.parquet").to_pandas()
    judged = judge(results, runs, "story=betrayal", [0], [0.0, 1.0])
    point0 = shares["betrayal"]["points"][0]
    assert (judged["inside"]["runs"], judged["inside"]["hits"]) == (3, point0["runs_matched"])


def test_a_story_outcome_must_be_a_shipped_pattern_of_events(batch, tmp_path, monkeypatch):
    _, _, results = batch
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["discover", str(results), "--outcome", "story=mutiny_x"])
    assert code == 2 and "no such pattern" in err.getvalue() and "mutiny" in err.getvalue()
    choices = tmp_path / "choices.toml"
    choices.write_text(
        '[patterns.blue]\nname = "Blue"\ndescription = "The blue disk."\n'
        '[[patterns.blue.beats]]\naction = "accept_blue"\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(stories_batch, "DEFAULT_PATTERNS", choices)
    with pytest.raises(UserError, match="batches keep no decisions"):
        discover(results, "story=blue", resamples=0)
