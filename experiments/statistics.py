"""Outcome statistics of a batch: intervals, an independence test, effects, Sobol indices.

Pure functions over numbers and data frames, so each is tested against known answers:

- `wilson_interval`: the Wilson score interval of a proportion (good at small n and near 0/1,
  where the normal approximation gives impossible intervals).
- `independence_test`: does the ending distribution differ between design points? Pearson's
  chi-square when expected counts allow it (Cochran's rule), otherwise Fisher's exact test
  (exact for 2x2, Monte Carlo for larger tables).
- `rank_effect`: Spearman's rank correlation between a parameter and an outcome indicator
  (monotone effects of any shape, robust to the scale of the parameter).
- `sobol_indices`: first-order and total Sobol indices (SALib) from a Saltelli design.
"""

from __future__ import annotations

import functools
import math
import warnings
from dataclasses import asdict, dataclass

import numpy as np
from scipy import stats

MONTE_CARLO_TABLES = 9999


def wilson_interval(successes: int, trials: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for `successes` out of `trials`; (nan, nan) when trials == 0."""
    if trials <= 0:
        return math.nan, math.nan
    z = _normal_quantile(0.5 + confidence / 2)
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    # Clamp rounding noise: the interval of 0/n starts exactly at 0, of n/n ends exactly at 1.
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == trials else min(1.0, centre + half)
    return low, high


@functools.cache
def _normal_quantile(probability: float) -> float:
    # scipy's ppf costs ~80 µs a call; a report asks for the same one thousands of times
    return float(stats.norm.ppf(probability))


@dataclass(frozen=True)
class IndependenceTest:
    """Result of testing whether outcome frequencies differ between conditions."""

    method: str
    statistic: float | None
    dof: int | None
    p_value: float | None
    cramers_v: float | None
    rows: int
    columns: int
    note: str = ""

    def to_json(self) -> dict:
        return {k: _finite(v) for k, v in asdict(self).items()}


def independence_test(table: np.ndarray, seed: int = 0) -> IndependenceTest:
    """Test independence of rows (conditions) and columns (outcomes) of a count table.

    Rows and columns that are all zero are dropped first (an ending never seen says nothing).
    With fewer than two of either, there is nothing to test.
    """
    observed = np.asarray(table, dtype=np.int64)
    observed = observed[observed.sum(axis=1) > 0][:, observed.sum(axis=0) > 0]
    rows, columns = observed.shape if observed.ndim == 2 else (0, 0)
    if rows >= 2 and columns >= 2 and observed.sum(axis=1).max() < 2:
        # One run per condition: every table with these margins is equally likely, so no
        # test can say anything (use rank effects or Sobol indices for such designs).
        return IndependenceTest(
            "none", None, None, None, None, rows, columns,
            note="one run per condition: use the parameter effects instead",
        )  # fmt: skip
    if rows < 2 or columns < 2:
        what = "condition" if rows < 2 else "outcome"
        return IndependenceTest(
            "none",
            None,
            None,
            None,
            None,
            rows,
            columns,
            note=f"only one {what} observed: nothing to compare",
        )
    expected = stats.contingency.expected_freq(observed)
    cramers_v = _cramers_v(observed)
    # Cochran's rule: the chi-square approximation needs expected counts >= 1 everywhere and
    # >= 5 in at least 80% of the cells.
    if expected.min() >= 1 and (expected < 5).mean() <= 0.2:
        result = stats.chi2_contingency(observed, correction=False)
        return IndependenceTest(
            "chi-square",
            float(result.statistic),
            int(result.dof),
            float(result.pvalue),
            cramers_v,
            rows,
            columns,
        )
    if rows == 2 and columns == 2:
        result = stats.fisher_exact(observed)
        return IndependenceTest(
            "Fisher exact",
            None,
            None,
            float(result.pvalue),
            cramers_v,
            rows,
            columns,
            note="small expected counts",
        )
    method = stats.MonteCarloMethod(n_resamples=MONTE_CARLO_TABLES, rng=np.random.default_rng(seed))
    result = stats.fisher_exact(observed, method=method)
    return IndependenceTest(
        f"Fisher exact (Monte Carlo, {MONTE_CARLO_TABLES} tables)",
        None,
        None,
        float(np.ravel(result.pvalue)[0]),  # scipy returns shape (1,) for some table shapes
        cramers_v,
        rows,
        columns,
        note="small expected counts make chi-square unreliable",
    )


def _cramers_v(observed: np.ndarray) -> float:
    """Effect size of a contingency table: 0 = independent, 1 = outcome fixed by condition."""
    chi2 = stats.chi2_contingency(observed, correction=False).statistic
    n, k = observed.sum(), min(observed.shape) - 1
    return float(math.sqrt(chi2 / (n * k))) if n and k else math.nan


@dataclass(frozen=True)
class RankEffect:
    """Spearman's rho between a parameter's values and an outcome indicator over runs."""

    parameter: str
    outcome: str
    rho: float | None
    p_value: float | None
    runs: int

    def to_json(self) -> dict:
        return {k: _finite(v) for k, v in asdict(self).items()}


def rank_effect(parameter: str, outcome: str, values: np.ndarray, hits: np.ndarray) -> RankEffect:
    """Spearman correlation over runs with a finite value; None when either side never varies.

    Variation is tested by comparing the extremes, not by their difference, which overflows
    for values near the largest float.
    """
    values = np.asarray(values, dtype=float)
    hits = np.asarray(hits, dtype=float)
    finite = np.isfinite(values) & np.isfinite(hits)
    values, hits = values[finite], hits[finite]
    if len(values) < 3 or not (_varies(values) and _varies(hits)):
        return RankEffect(parameter, outcome, None, None, len(values))
    result = stats.spearmanr(values, hits)
    return RankEffect(
        parameter, outcome, float(result.statistic), float(result.pvalue), len(values)
    )


def _varies(values: np.ndarray) -> bool:
    return bool(values.min() != values.max())


def middle(values: np.ndarray) -> float:
    """The median of finite values without overflow (numpy averages the two middle values
    by adding them, which overflows near the largest float); NaN if there are none."""
    ordered = np.sort(np.asarray(values, dtype=float)[np.isfinite(values)])
    if not len(ordered):
        return math.nan
    half = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[half])
    return float(ordered[half - 1] / 2 + ordered[half] / 2)


@dataclass(frozen=True)
class SobolIndices:
    """First-order (S1) and total (ST) Sobol indices of one parameter for one outcome."""

    parameter: str
    outcome: str
    s1: float
    s1_conf: float
    st: float
    st_conf: float

    def to_json(self) -> dict:
        return {k: _finite(v) for k, v in asdict(self).items()}


def sobol_indices(
    outcome: str, parameters: list[str], y: np.ndarray, seed: int = 0, resamples: int = 1000
) -> list[SobolIndices]:
    """SALib's Sobol analysis of `y` (one value per design point, in Saltelli order).

    The design is `samplers.saltelli_unit_matrix` (no second-order rows); the confidence
    intervals are SALib's bootstrap 95% intervals (half-widths).
    """
    from SALib.analyze import sobol

    d = len(parameters)
    y = np.asarray(y, dtype=float)
    if len(y) % (d + 2) or not np.all(np.isfinite(y)):
        raise ValueError("y must have one finite value per Saltelli design point")
    problem = {"num_vars": d, "names": list(parameters), "bounds": [[0.0, 1.0]] * d}
    with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        result = sobol.analyze(
            problem, y, calc_second_order=False, num_resamples=resamples, conf_level=0.95, seed=seed
        )
    return [
        SobolIndices(
            name,
            outcome,
            float(result["S1"][i]),
            float(result["S1_conf"][i]),
            float(result["ST"][i]),
            float(result["ST_conf"][i]),
        )
        for i, name in enumerate(parameters)
    ]


def _finite(value):
    """JSON-safe numbers: NaN and infinities become None."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
