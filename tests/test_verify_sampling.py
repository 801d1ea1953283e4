"""Where `callister verify` samples: inside a box and in its complement; its intervals."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from configuration.errors import UserError
from experiments.seeds import design_rng
from experiments.spec import ExperimentSection
from experiments.verify import verification_name
from experiments.verify_result import difference_interval, judge
from experiments.verify_sampling import (
    domain_of,
    open_limits,
    sample_complement,
    sample_inside,
)

KEYS = ("grid", "count", "switch", "rate")
SEEN = {"grid": [0.0, 1.0], "count": [1, 9], "switch": [0.0, 1.0], "rate": [0.011, 9.7]}
DOMAINS = [
    domain_of([0.0, 0.5, 1.0]),
    domain_of({"low": 0.6, "high": 9.2, "integer": True}),  # the whole numbers 1 to 9
    domain_of([True, False]),
    domain_of({"low": 0.01, "high": 10.0, "log": True}),
]


def test_every_value_comes_from_its_domain_with_its_own_type():
    box = open_limits(KEYS, {"grid": [0.5, 1.0], "count": [3, 9]}, SEEN)
    rows = sample_inside(DOMAINS, box, 50, design_rng(1))
    rows += sample_complement(DOMAINS, box, 50, design_rng(2))
    for grid, count, switch, rate in rows:
        assert grid in (0.0, 0.5, 1.0)
        assert type(count) is int and 1 <= count <= 9
        assert type(switch) is bool
        assert type(rate) is float and 0.01 <= rate <= 10.0


def test_inside_and_complement_are_disjoint_with_exactly_the_asked_counts():
    box = open_limits(KEYS, {"grid": [0.5, 1.0], "rate": [0.5, 3.0]}, SEEN)
    inside = sample_inside(DOMAINS, box, 37, design_rng(5))
    outside = sample_complement(DOMAINS, box, 41, design_rng(6))
    assert len(inside) == 37 and len(outside) == 41
    assert box.holds(inside).all() and not box.holds(outside).any()
    for grid, _, _, rate in inside:
        assert grid in (0.5, 1.0) and 0.5 <= rate <= 3.0
    # the complement is the whole space minus the box: both ways out of it occur
    assert any(row[0] == 0.0 for row in outside)
    assert any(row[0] > 0 and not 0.5 <= row[3] <= 3.0 for row in outside)


def test_inside_spreads_over_the_levels_it_holds_and_the_unrestricted_ranges():
    box = open_limits(KEYS, {"count": [3, 5]}, SEEN)
    inside = sample_inside(DOMAINS, box, 60, design_rng(3))
    counts = pd.Series([row[1] for row in inside]).value_counts()
    assert sorted(counts.index) == [3, 4, 5] and counts.min() == 20  # Latin strata: balanced
    assert {row[0] for row in inside} == {0.0, 0.5, 1.0}
    assert {row[2] for row in inside} == {True, False}
    rates = np.log10([row[3] for row in inside])
    assert rates.min() < -1 and rates.max() > 0.5  # log-uniform over the whole decade span


def test_a_limit_at_the_edge_of_what_discovery_saw_is_open():
    # the box's upper limit of `rate` is the largest value seen: not a restriction
    box = open_limits(KEYS, {"grid": [0.0, 1.0], "rate": [2.0, 9.7]}, SEEN)
    assert box.low.tolist() == [-math.inf, -math.inf, -math.inf, 2.0]
    assert box.high.tolist() == [math.inf] * 4
    inside = sample_inside(DOMAINS, box, 200, design_rng(4))
    assert max(row[3] for row in inside) > 9.7  # up to the range's end, 10


def test_a_box_that_holds_the_whole_space_has_no_complement():
    box = open_limits(KEYS, {"grid": [0.0, 1.0], "count": [1, 9]}, SEEN)
    with pytest.raises(UserError, match="complement is empty"):
        sample_complement(DOMAINS, box, 10, design_rng(0))


def test_a_box_holding_no_level_of_a_parameter_is_refused():
    box = open_limits(KEYS, {"grid": [0.6, 0.9]}, SEEN)
    with pytest.raises(UserError, match="holds no value of grid"):
        sample_inside(DOMAINS, box, 10, design_rng(0))


def test_the_same_seed_gives_the_same_points():
    box = open_limits(KEYS, {"rate": [0.5, 3.0]}, SEEN)
    first = sample_complement(DOMAINS, box, 30, design_rng(9))
    assert first == sample_complement(DOMAINS, box, 30, design_rng(9))
    assert first != sample_complement(DOMAINS, box, 30, design_rng(10))


@pytest.mark.parametrize(
    ("counts", "expected"),
    [  # Newcombe (1998), Statistics in Medicine 17:873, Table II, method 10
        ((56, 70, 48, 80), (0.0524, 0.3339)),
        ((9, 10, 3, 10), (0.1705, 0.8090)),
        ((6, 7, 2, 7), (0.0582, 0.8062)),
        ((5, 56, 0, 29), (-0.0381, 0.1926)),
    ],
)
def test_the_difference_interval_is_newcombes_method_10(counts, expected):
    low, high = difference_interval(*counts)
    assert (round(low, 4), round(high, 4)) == expected


def test_the_verdict_follows_its_rule():
    runs = pd.DataFrame(
        {
            "point": list(range(20)),
            "status": ["ok"] * 19 + ["failed"],
            "ending": ["outlaws"] * 9 + ["collapse"] * 11,
        }
    )
    found = judge("unused", runs, "ending=outlaws", list(range(10)), [0.8, 1.0])
    assert found["inside"] == {"runs": 10, "hits": 9, "density": 0.9, "ci": pytest.approx(
        [0.5958, 0.9821], abs=1e-4)}  # fmt: skip
    assert found["complement"]["runs"] == 9 and found["complement"]["hits"] == 0
    assert found["failed_runs"] == 1 and found["holds"] is True
    # an inside interval below the discovered one: the box does not hold
    assert judge("unused", runs, "ending=outlaws", list(range(10)), [0.99, 1.0])["holds"] is False
    # no difference between the sides: the box does not hold either
    assert (
        judge("unused", runs, "ending=outlaws", list(range(0, 20, 2)), [0.3, 0.6])["holds"] is False
    )


def test_each_outcome_method_and_box_gets_its_own_default_directory():
    names = {
        verification_name("raids", outcome, method, box)
        for outcome in ("event=robbery", "ending=outlaws", "flag=walton_arrested")
        for method in ("prim", "cart")
        for box in (1, 2)
    }
    assert len(names) == 12
    assert verification_name("raids", "event=robbery", "prim", 1) == (
        "raids-verify-event-robbery-prim-box1"
    )
    long = verification_name("x" * 100, "story=" + "m" * 64, "cart", 3)
    assert len(long) <= 100 and long.endswith("-verify-story-" + "m" * 64 + "-cart-box3")
    ExperimentSection(name=long, config="base.toml")  # a name the experiment schema accepts
