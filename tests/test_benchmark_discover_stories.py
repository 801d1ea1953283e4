"""The discover and stories benchmarks' stores are real batch stores, and their stage clock."""

from __future__ import annotations

import pyarrow as pa
import pytest

import experiments.discover as discover_module
from benchmarks import discover as discover_bench
from benchmarks import stories as stories_bench
from benchmarks.stages import StageClock
from experiments.discover import discover
from experiments.records import EVENTS_SCHEMA
from experiments.stories_batch import batch_stories
from experiments.stories_language import load_patterns


def test_the_synthetic_store_is_read_as_a_batch_and_its_driver_is_found(tmp_path):
    results = discover_bench.build_store(tmp_path, 1_000)
    found = discover(results, discover_bench.OUTCOME, resamples=0)
    assert found["runs"] == 1_000 and found["points"] == 200 and found["failed_runs"] == 0
    assert len(found["parameters"]) == len(discover_bench.PARAMETERS)
    # the planted driver: crew_destroyed rises with the invite weight, so box 1 starts high
    (low, high) = found["boxes"][0]["limits"][discover_bench.INVITE]
    assert low > 0.5 and high == pytest.approx(found["ranges"][discover_bench.INVITE][1])
    arrests = discover(results, "flag=walton_arrested", resamples=0)
    assert discover_bench.FBI in arrests["boxes"][0]["limits"]


def log(*events: tuple[int, str, list[str]]) -> pa.Table:
    rows = [{"run_id": 0, "tick": t, "kind": k, "actors": a} for t, k, a in events]
    return pa.Table.from_pylist(rows, schema=EVENTS_SCHEMA)


def test_the_stories_store_repeats_each_log_under_new_run_ids(tmp_path):
    last_resort = log(
        (5, "robbery", ["Captain Cole", "V_1"]),
        (9, "heart_entered", ["Captain Cole"]),
        (11, "invite_party", ["James Walton"]),
    )
    quiet = log((3, "robbery", ["Captain Cole", "V_2"]))
    results = stories_bench.build_store(
        tmp_path, 10, [("outlaws", last_resort), ("outlaws", quiet)]
    )
    report = batch_stories(load_patterns(stories_bench.PATTERNS), results)
    assert report["runs"] == 10
    row = next(row for row in report["patterns"] if row["id"] == "waltons_last_resort")
    assert row["run_ids"] == [0, 2, 4, 6, 8]  # run k repeats log k mod 2
    assert [point["runs_matched"] for point in row["points"]] == [3, 2]


def test_the_stage_clock_times_each_stage_once_and_restores_what_it_wrapped():
    def inner():
        return sum(range(1000))

    namespace = {"inner": inner}

    def outer():
        return namespace["inner"]() + 1

    clock = StageClock([(namespace, "outer", "outer"), (namespace, "inner", "inner")])
    namespace["outer"] = outer
    with clock.installed():
        assert namespace["outer"]() == 499_501
        assert clock.seconds["inner"] == 0 < clock.seconds["outer"]  # inside outer: outer's
        assert namespace["inner"]() == 499_500
        assert clock.seconds["inner"] > 0
    assert namespace["outer"] is outer and namespace["inner"] is inner
    before = discover_module.load_results
    with StageClock([(discover_module, "load_results", "reading")]).installed():
        assert discover_module.load_results is not before
    assert discover_module.load_results is before
