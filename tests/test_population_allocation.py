"""The players' allocation picks the same planets as the stable sort it replaced."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from world.population import _allocate, _smallest


@given(
    st.lists(st.integers(-4, 4), min_size=1, max_size=1200).map(lambda v: np.array(v) / 2.0),
    st.data(),
)
def test_the_smallest_values_are_those_a_stable_sort_puts_first(values, data):
    count = data.draw(st.integers(1, len(values)))
    expected = np.argsort(values, kind="stable")[:count]
    assert sorted(_smallest(values, count).tolist()) == sorted(expected.tolist())


@given(st.integers(0, 10**10), st.lists(st.floats(0.01, 100.0), min_size=1, max_size=60))
def test_allocation_places_every_player(total, weights):
    shares = np.array(weights) / sum(weights)
    counts = _allocate(total, shares)
    assert counts.sum() == total and (counts >= 0).all()
    assert np.all(np.abs(counts - total * shares) < 1.0 + 1e-6 * total)


def test_a_big_galaxy_takes_the_linear_path_with_the_same_planets():
    rng = np.random.default_rng(3)
    for count in (1, 7, 900, 1999, 2000):
        values = rng.integers(-3, 3, size=2000) / 2.0  # many ties
        expected = np.argsort(values, kind="stable")[:count]
        assert sorted(_smallest(values, count).tolist()) == sorted(expected.tolist())
