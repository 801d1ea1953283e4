"""The statistics of the report, checked against known answers."""

from __future__ import annotations

import math

import numpy as np
import pytest

from experiments.samplers import saltelli_unit_matrix
from experiments.statistics import independence_test, rank_effect, sobol_indices, wilson_interval


@pytest.mark.parametrize(
    ("successes", "trials", "low", "high"),
    [
        (0, 10, 0.0, 0.277533),  # the "rule of three"-like upper bound at zero successes
        (5, 10, 0.236593, 0.763407),
        (10, 10, 0.722467, 1.0),
        (81, 263, 0.255289, 0.366210),  # Wilson (1927) style textbook example: 30.8%
        (1, 1, 0.206549, 1.0),
    ],
)
def test_wilson_interval_known_values(successes, trials, low, high):
    assert wilson_interval(successes, trials) == pytest.approx((low, high), abs=1e-6)


def test_wilson_interval_of_nothing_is_undefined_and_of_99_percent_is_narrower():
    assert all(math.isnan(x) for x in wilson_interval(0, 0))
    wide, narrow = wilson_interval(3, 10, 0.99), wilson_interval(3, 10, 0.90)
    assert wide[0] < narrow[0] < narrow[1] < wide[1]


def test_chi_square_on_a_table_with_a_known_p_value():
    # Expected counts (50, 30, 30) x (50, 60) / 110 give Pearson chi2 = 7.8222 (= 352/45);
    # with 2 degrees of freedom the chi-square tail is exactly exp(-chi2 / 2).
    result = independence_test(np.array([[30, 10, 10], [20, 20, 20]]))
    assert result.method == "chi-square" and result.dof == 2
    assert result.statistic == pytest.approx(352 / 45)
    assert result.p_value == pytest.approx(math.exp(-176 / 45), rel=1e-9)  # 0.020018


def test_chi_square_2x2_without_continuity_correction():
    result = independence_test(np.array([[10, 20], [20, 10]]))
    assert result.statistic == pytest.approx(20 / 3)
    assert result.p_value == pytest.approx(0.0098232745, rel=1e-6)
    assert result.cramers_v == pytest.approx(1 / 3)


def test_small_2x2_tables_use_fishers_exact_test():
    # Fisher's lady tasting tea: 3 of 4 cups right -> one-sided 0.243, two-sided 0.486.
    result = independence_test(np.array([[3, 1], [1, 3]]))
    assert result.method == "Fisher exact"
    assert result.p_value == pytest.approx(34 / 70)


def test_small_larger_tables_use_a_seeded_monte_carlo_fisher_test():
    table = np.array([[5, 0, 1], [0, 5, 1], [1, 1, 4]])
    first, again = independence_test(table, seed=3), independence_test(table, seed=3)
    assert first.method.startswith("Fisher exact (Monte Carlo")
    assert first.p_value == again.p_value  # reproducible
    assert first.p_value < 0.05


def test_degenerate_tables_are_not_tested():
    assert independence_test(np.array([[5, 0], [7, 0]])).p_value is None  # one ending only
    assert independence_test(np.array([[5, 3], [0, 0]])).p_value is None  # one condition only
    # Empty rows and never-seen endings are dropped before testing.
    padded = independence_test(np.array([[10, 20, 0], [20, 10, 0], [0, 0, 0]]))
    assert padded.rows == 2 and padded.columns == 2 and padded.dof == 1


def test_rank_effect_is_spearmans_rho():
    values = np.repeat([0.0, 0.5, 1.0], 4)
    hits = np.array([0, 0, 0, 0, 0, 1, 0, 1, 1, 1, 1, 1], dtype=float)
    effect = rank_effect("p", "ending", values, hits)
    assert effect.rho == pytest.approx(np.corrcoef(rank(values), rank(hits))[0, 1])
    assert effect.rho > 0.7 and effect.p_value < 0.01
    assert rank_effect("p", "ending", values, np.zeros(12)).rho is None


def rank(x: np.ndarray) -> np.ndarray:
    from scipy.stats import rankdata

    return rankdata(x)


def test_sobol_indices_of_the_ishigami_function():
    """Analytic S1 = (0.314, 0.442, 0), ST = (0.558, 0.442, 0.244) for a = 7, b = 0.1."""
    unit = saltelli_unit_matrix(1024, 3, np.random.default_rng(1))
    x = -math.pi + 2 * math.pi * unit
    y = np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])
    indices = sobol_indices("y", ["x1", "x2", "x3"], y, seed=1)
    s1 = [i.s1 for i in indices]
    st = [i.st for i in indices]
    assert s1 == pytest.approx([0.314, 0.442, 0.0], abs=0.06)
    assert st == pytest.approx([0.558, 0.442, 0.244], abs=0.06)
    assert all(i.s1_conf > 0 and i.st_conf > 0 for i in indices)


def test_sobol_indices_need_a_complete_saltelli_design():
    with pytest.raises(ValueError, match="one finite value per Saltelli design point"):
        sobol_indices("y", ["a", "b"], np.ones(7))
