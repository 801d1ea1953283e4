"""The paired interval of a fork's effects (Newcombe 1998, method 10) and `effects()` itself."""

from __future__ import annotations

import functools
import math
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from experiments.fork_effects import effects, paired_difference_interval
from experiments.statistics import wilson_interval

counts = st.integers(min_value=0, max_value=80)
tables = st.tuples(counts, counts, counts, counts).filter(lambda table: sum(table) > 0)


def shares(both, first_only, second_only, neither):
    n = both + first_only + second_only + neither
    return (both + first_only) / n, (both + second_only) / n


def unpaired_interval(both, first_only, second_only, neither):
    """Newcombe's interval for two independent proportions (his 1998b method 10): no pairing."""
    n = both + first_only + second_only + neither
    first, second = shares(both, first_only, second_only, neither)
    low1, high1 = wilson_interval(both + first_only, n)
    low2, high2 = wilson_interval(both + second_only, n)
    difference = second - first
    return (
        difference - math.hypot(second - low2, high1 - first),
        difference + math.hypot(high2 - second, first - low1),
    )


@given(tables)
def test_the_interval_lies_in_minus_1_to_1_and_holds_the_estimate(table):
    low, high = paired_difference_interval(*table)
    first, second = shares(*table)
    assert -1.0 <= low <= second - first + 1e-12
    assert second - first - 1e-12 <= high <= 1.0


@given(tables)
def test_swapping_the_branches_mirrors_the_interval(table):
    both, first_only, second_only, neither = table
    low, high = paired_difference_interval(both, first_only, second_only, neither)
    mirrored = paired_difference_interval(both, second_only, first_only, neither)
    assert mirrored == pytest.approx((-high, -low), abs=1e-12)


@given(tables)
def test_pairs_that_agree_give_a_narrower_interval_than_unpaired_wilson(table):
    both, first_only, second_only, neither = table
    n = sum(table)
    low, high = paired_difference_interval(*table)
    unpaired_low, unpaired_high = unpaired_interval(*table)
    cross = both * neither - first_only * second_only
    if cross > n / 2:  # agreement beyond chance: Newcombe's corrected phi > 0
        assert high - low <= unpaired_high - unpaired_low + 1e-12
    elif cross >= 0:  # within the continuity correction: phi is 0, the unpaired interval
        assert (low, high) == pytest.approx((unpaired_low, unpaired_high), abs=1e-12)
    else:  # branches that disagree more than chance: wider than if they were independent
        assert high - low >= unpaired_high - unpaired_low - 1e-12


def test_a_fork_whose_branches_mostly_agree_is_measured_much_more_tightly():
    # 100 pairs, 8 of them part: the paired interval is far narrower than the unpaired one.
    low, high = paired_difference_interval(40, 1, 7, 52)
    unpaired_low, unpaired_high = unpaired_interval(40, 1, 7, 52)
    assert high - low < 0.6 * (unpaired_high - unpaired_low)
    assert low > 0 > unpaired_low  # only the paired interval sees that the change did something


def test_no_pairs_give_no_interval():
    assert all(math.isnan(bound) for bound in paired_difference_interval(0, 0, 0, 0))


def test_identical_branches_give_an_interval_around_0():
    low, high = paired_difference_interval(30, 0, 0, 70)
    assert low < 0 < high
    assert high - low < 0.1


def test_a_published_example_fagerland_lydersen_laake_cavo_2012():
    """Cavo et al. (2012) as analysed in Fagerland, Lydersen & Laake, *Statistical Analysis of
    Contingency Tables* (2017), chapter 8: the table [[59, 6], [16, 80]]; the R package
    `contingencytables` (github.com/ocbe-uio/contingencytables, tests/testthat/test-ch8.R)
    prints its Newcombe square-and-add interval of pi_1+ - pi_+1 as -0.0621 (-0.1186 to -0.0046).
    Ours is of the second minus the first, so the signs flip."""
    low, high = paired_difference_interval(59, 6, 16, 80)
    assert round(16 / 161 - 6 / 161, 4) == 0.0621
    assert (round(low, 4), round(high, 4)) == (0.0046, 0.1186)


@pytest.mark.parametrize(
    "joint",
    [
        (0.30, 0.10, 0.20, 0.40),  # moderately correlated branches, a true difference of 0.1
        (0.45, 0.02, 0.06, 0.47),  # branches that mostly agree, as common random numbers give
        (0.25, 0.25, 0.25, 0.25),  # independent branches, no difference
    ],
)
def test_95_percent_intervals_cover_the_true_difference_about_95_percent_of_the_time(joint):
    samples, n = 2_000, 50
    rng = np.random.default_rng(20_240_614)
    drawn = rng.multinomial(n, joint, size=samples)  # rows: both, first only, second only, neither
    truth = (joint[0] + joint[2]) - (joint[0] + joint[1])
    unique, times = np.unique(drawn, axis=0, return_counts=True)
    interval = functools.cache(paired_difference_interval)
    covered = sum(
        int(count)
        for table, count in zip(unique.tolist(), times, strict=True)
        if interval(*table)[0] <= truth <= interval(*table)[1]
    )
    assert 0.93 <= covered / samples <= 0.975


# --- effects() over hand-built pairs ---------------------------------------------------------


def future(ending: str, **flags) -> SimpleNamespace:
    defaults = {"walton_arrested": False, "nanette_state": "well"}
    return SimpleNamespace(ending=ending, flags={**defaults, **flags})


def pair(baseline: SimpleNamespace, branch: SimpleNamespace) -> SimpleNamespace:
    return SimpleNamespace(baseline=baseline, branch=branch)


def test_effects_count_each_outcome_pair_by_pair():
    pairs = [
        pair(future("nanettes_head"), future("nanettes_head")),
        pair(future("nanettes_head"), future("outlaws", walton_arrested=True)),
        pair(future("outlaws"), future("nanettes_head", nanette_state="coma")),
        pair(future("outlaws"), future("nanettes_head")),
        pair(future("outlaws"), future("outlaws")),
    ]
    found = {effect.outcome: effect for effect in effects(pairs)}
    head = found["ending=nanettes_head"]
    assert (head.baseline, head.branch, head.difference) == (0.4, 0.6, pytest.approx(0.2))
    assert head.ci == paired_difference_interval(1, 1, 2, 1)
    arrested = found["flag=walton_arrested"]
    assert (arrested.baseline, arrested.branch) == (0.0, 0.2)
    assert arrested.ci == paired_difference_interval(0, 0, 1, 4)
    coma = found["flag=nanette_state:coma"]
    assert (coma.baseline, coma.branch) == (0.0, 0.2)
    never = found["ending=daly_copy"]
    assert (never.baseline, never.branch, never.difference) == (0.0, 0.0, 0.0)
    assert never.ci == paired_difference_interval(0, 0, 0, 5)


def test_effects_cover_every_ending_and_every_word_of_a_word_flag():
    pairs = [pair(future("outlaws"), future("outlaws", nanette_state="unheard_of"))]
    outcomes = [effect.outcome for effect in effects(pairs)]
    assert outcomes[:2] == ["ending=nanettes_head", "ending=private_universe"]
    assert "flag=nanette_state:well" in outcomes
    assert "flag=nanette_state:unheard_of" in outcomes  # a word no list knows still counts
    assert len(outcomes) == len(set(outcomes))


def test_effects_are_the_same_whatever_order_the_pairs_come_in():
    pairs = [
        pair(future("outlaws"), future("nanettes_head")),
        pair(future("crew_destroyed"), future("crew_destroyed")),
        pair(future("nanettes_head"), future("outlaws")),
        pair(future("outlaws"), future("nanettes_head")),
    ]
    assert effects(pairs) == effects(pairs[::-1])
