"""Any value an experiment file accepts is stored exactly, and reports on extreme values print
no numpy warnings."""

from __future__ import annotations

import math
import warnings

import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import given, settings
from hypothesis import strategies as st
from test_experiments_report import make_results

from experiments.consolidate import consolidate, read_runs
from experiments.designs import Design
from experiments.html_report import write_html
from experiments.records import row_table, run_schema
from experiments.report import build_report
from experiments.report_text import render_text
from experiments.store import ResultsStore
from experiments.worker import RunOutcome, RunTask

KEY = "world.invite_wave"
SCALARS = st.one_of(
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.integers(min_value=-(2**64), max_value=2**64),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=8),
)


def stored(values: list) -> list:
    """Store one run per value (as the driver does) and read the parameter column back."""
    design = Design("grid", (KEY,), tuple((value,) for value in values))
    schema = run_schema(design, ["robbery"])
    rows = []
    for point, value in enumerate(values):
        task = RunTask(point, point, 0, 7, 1, {KEY: value}, {}, "base.toml")
        outcome = RunOutcome(point, "ok", wall_s=0.1, ending="outlaws", digest="d")
        rows.append(row_table(outcome.row(task, schema), schema))
    return pa.concat_tables(rows).column(KEY).to_pylist()


def same(value, back) -> bool:
    if isinstance(back, str) and not isinstance(value, str):
        return back == repr(value)
    if isinstance(value, float) and math.isnan(value):
        return math.isnan(back)
    return back == value and (isinstance(back, bool) == isinstance(value, bool))


def test_a_grid_value_beyond_64_bits_is_stored_exactly(tmp_path):
    """`[60, 100000000000000000000]` used to crash the driver at every resume."""
    assert stored([60, 10**20]) == [60.0, 1e20]  # exact as floats: a numeric column
    assert stored([60, 2**64 + 1]) == ["60", str(2**64 + 1)]  # not exact as a float: text
    assert stored([-(2**63), 2**63 - 1]) == [-(2**63), 2**63 - 1]  # int64's own range
    assert stored([0.5, 10**20]) == [0.5, 1e20] and stored([True, 2]) == ["True", "2"]
    store = ResultsStore(tmp_path / "out")
    design = Design("grid", (KEY,), ((60,), (10**20,)))
    schema = run_schema(design, ["robbery"])
    with store.locked():
        store.create({"name": "t"}, "")
        for point in range(2):
            task = RunTask(point, point, 0, 7, 1, design.values(point), {}, "base.toml")
            failed = RunOutcome(point, "failed", wall_s=0.1, error="boom")
            store.write_run(row_table(failed.row(task, schema), schema), None)
        consolidate(store)
    assert read_runs(store)[KEY].tolist() == [60.0, 1e20]


@settings(max_examples=200, deadline=None)
@given(st.lists(SCALARS, min_size=1, max_size=6, unique_by=repr))
def test_every_mix_of_values_is_stored_exactly(values):
    back = stored(values)
    assert all(same(value, out) for value, out in zip(values, back, strict=True)), back


def test_reports_on_extreme_values_print_no_warnings(tmp_path):
    """`report` used to print numpy's 'overflow encountered' on such a batch."""
    cases = [
        ({"design": "grid", "replicates": 2}, {"economy.price_hike": [1.0, 1e308]}),
        (
            {"design": "grid", "replicates": 3},
            {"economy.price_hike": [-1e308, 1e308], "economy.loot_mean": [math.nan, 2.0]},
        ),
        (
            {"design": "lhs", "replicates": 1, "samples": 30},
            {"economy.price_hike": {"low": -1e308, "high": 1e308}},
        ),
    ]
    for number, (section, parameters) in enumerate(cases):
        root = make_results(
            tmp_path / str(number),
            section,
            parameters,
            lambda values, replicate: ("outlaws", "collapse", "collapse")[replicate % 3],
        )
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            report = build_report(root)
            render_text(report)
        marginal = next(m for m in report["marginals"] if m["parameter"] == "economy.price_hike")
        assert all(x is None or math.isfinite(x) for x in marginal["x"])


def test_the_html_report_on_huge_series_values_prints_no_warnings(tmp_path):
    """Mean trajectories summed before dividing: two credits of 1e308 overflowed to inf."""
    root = make_results(
        tmp_path,
        {"design": "grid", "replicates": 2, "series_every": 1},
        {"economy.price_hike": [0.1, 0.2]},
        lambda values, replicate: "outlaws",
    )
    store = ResultsStore(root)
    for run_id in range(4):
        series = pa.table({"run_id": [run_id] * 2, "tick": [1, 2], "credits": [1e308, 1e308]})
        pq.write_table(series, store.series_dir / f"r{run_id:010d}-a1.parquet")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        write_html(build_report(root), root, tmp_path / "report.html")
    assert "Mean trajectories" in (tmp_path / "report.html").read_text(encoding="utf-8")
