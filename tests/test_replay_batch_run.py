"""A batch run played again as a run record: the batch's very run (same digest), its decisions
kept, the same story patterns as the batch found, and a clear error when it cannot be."""

from __future__ import annotations

import shutil

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from test_experiments_batch import callister, experiment

from configuration.errors import UserError
from configuration.loading import dump_resolved
from experiments.replay_batch_run import record_batch_run
from experiments.stories_batch import batch_stories
from experiments.stories_language import DEFAULT_PATTERNS, load_patterns
from experiments.stories_report import record_stories
from world.record import read_record

INVITE = "agents.walton.actions.invite_party.weight"


@pytest.fixture(scope="module")
def batch(tmp_path_factory, default_config_path):
    """Two design points x 2 replicates, 400 hours: a batch with a few stories."""
    tmp = tmp_path_factory.mktemp("replay_batch")
    path = experiment(tmp, default_config_path, "tales", f'"{INVITE}" = [0.0, 1.2]', 400, 2)
    done = callister("batch", path, "--workers", 2, "--out", tmp / "tales", "-q", cwd=tmp)
    assert done.returncode == 0, done.stderr
    return tmp, tmp / "tales"


def test_each_run_is_the_batchs_run_with_the_stories_the_batch_found(batch):
    tmp, results = batch
    patterns = load_patterns(DEFAULT_PATTERNS)
    report = batch_stories(patterns, results)
    runs = pq.read_table(results / "runs.parquet").to_pylist()
    for run in runs:
        record = read_record(record_batch_run(results, run["run_id"], tmp / f"r{run['run_id']}"))
        assert record.summary["digest"] == run["digest"]
        assert record.summary["seed"] == run["seed"]
        assert record.config.simulation.trace == "winners" and len(record.decisions) > 0
        resolved = dump_resolved(record.config)["agents"]["walton"]["actions"]["invite_party"]
        assert resolved["weight"] == run[INVITE]  # the run's design point
        found = {
            row["id"] for row in record_stories(patterns, record)["patterns"] if row["runs_matched"]
        }
        said = {row["id"] for row in report["patterns"] if run["run_id"] in row["run_ids"]}
        assert found == said
    assert any(row["run_ids"] for row in report["patterns"])  # some story was compared


def test_an_unknown_run_or_a_taken_directory_is_refused(batch):
    tmp, results = batch
    with pytest.raises(UserError, match="no run 99 in this batch"):
        record_batch_run(results, 99, tmp / "nowhere")
    taken = tmp / "taken"
    taken.mkdir()
    (taken / "mine.txt").write_text("not a record")
    with pytest.raises(UserError, match="--out"):
        record_batch_run(results, 0, taken)
    assert not (taken / "summary.json").exists()


@pytest.mark.parametrize(
    ("code", "why"),
    [(None, "the code is the same"), ("0123456789abcdef", "the world's code changed")],
)
def test_a_replay_that_is_not_the_batchs_run_is_an_error(batch, code, why):
    tmp, results = batch
    copy = tmp / f"altered-{code}"
    shutil.copytree(results, copy)
    table = pq.read_table(copy / "runs.parquet")
    digests = [
        "0" * 32 if n == 0 else d
        for n, d in zip(table["run_id"].to_pylist(), table["digest"].to_pylist(), strict=True)
    ]
    table = table.set_column(table.schema.get_field_index("digest"), "digest", pa.array(digests))
    if code is not None:
        codes = pa.array([code] * len(table), pa.string())
        table = table.set_column(table.schema.get_field_index("code"), "code", codes)
    pq.write_table(table, copy / "runs.parquet")
    out = tmp / f"never-{code}"
    with pytest.raises(UserError, match=f"run 0 played again gives digest .*{why}"):
        record_batch_run(copy, 0, out)
    assert not out.exists()
