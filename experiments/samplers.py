"""How each sampled design fills the unit cube, and the one list of design names.

- lhs:    `samples` points of a Latin hypercube (scipy.stats.qmc.LatinHypercube).
- random: `samples` independent uniform points.
- sobol:  Saltelli's scheme on a scrambled Sobol sequence (scipy.stats.qmc.Sobol), laid out
          exactly as SALib's `sobol.analyze(calc_second_order=False)` expects: for each of
          the N = `samples` base rows, the rows A, AB_1 .. AB_d, B, i.e. N * (d + 2) points.

The experiment file accepts exactly the names in `DESIGNS` and `designs.build_design`
dispatches on `SAMPLERS`: a new design is one function here, keyed by its name. scipy.stats
takes seconds to import, so only the samplers that need it import it.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

# (points, dimensions, generator) -> rows in [0, 1)^dimensions; for sobol, points is N of
# Saltelli's scheme and N * (dimensions + 2) rows come back.
UnitSampler = Callable[[int, int, np.random.Generator], np.ndarray]
GRID = "grid"  # the full factorial of value lists: nothing to sample


def latin_hypercube(samples: int, dims: int, rng: np.random.Generator) -> np.ndarray:
    """`samples` points with exactly one in every stratum of every dimension."""
    from scipy.stats import qmc

    return qmc.LatinHypercube(dims, rng=rng).random(samples)


def uniform(samples: int, dims: int, rng: np.random.Generator) -> np.ndarray:
    """`samples` independent uniform points."""
    return rng.random((samples, dims))


def saltelli_unit_matrix(base_samples: int, dims: int, rng: np.random.Generator) -> np.ndarray:
    """Saltelli's A / AB_j / B rows in [0, 1)^dims, interleaved per base sample (SALib layout)."""
    from scipy.stats import qmc

    sobol = qmc.Sobol(2 * dims, scramble=True, rng=rng).random(base_samples)
    a, b = sobol[:, :dims], sobol[:, dims:]
    rows = np.empty((base_samples * (dims + 2), dims))
    step = dims + 2
    rows[0::step] = a
    for j in range(dims):
        ab = a.copy()
        ab[:, j] = b[:, j]
        rows[j + 1 :: step] = ab
    rows[dims + 1 :: step] = b
    return rows


SAMPLERS: dict[str, UnitSampler] = {
    "lhs": latin_hypercube,
    "sobol": saltelli_unit_matrix,
    "random": uniform,
}
DESIGNS: tuple[str, ...] = (GRID, *SAMPLERS)
