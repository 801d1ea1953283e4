"""Selectors: total tie-break, inverse-CDF determinism, probabilities, and array equivalents."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from agents import candidates
from agents.candidates import make_candidate_selector
from agents.selectors import (
    SELECTOR_KINDS,
    argmax,
    make_selector,
    select_array,
    softmax,
    tie_break_order,
    top_n,
    top_percent,
    weighted_pick,
)

# Few distinct values so that exact ties are common; zeros are vetoed actions.
SCORES = st.lists(st.sampled_from([0.0, 0.0, 0.1, 0.25, 0.5, 0.5, 0.75, 1.0, 1.3]), max_size=9)


def test_tie_break_order_is_priority_then_alphabetical():
    ids = ["hunt", "attack", "complain", "give_up"]
    assert tie_break_order(ids, [0, 0, 1, 0]) == (2, 1, 3, 0)  # complain, attack, give_up, hunt


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from([0.0, 0.3, 0.3, 0.9]), st.integers(-1, 1)),
        min_size=1,
        max_size=8,
    ),
    st.randoms(use_true_random=False),
)
def test_argmax_tie_break_is_total_and_independent_of_action_order(entries, rng):
    ids = [f"action_{i}" for i in range(len(entries))]
    scores = [s for s, _ in entries]
    priorities = [p for _, p in entries]
    chosen, probabilities = argmax(scores, 0.5, tie_break_order(ids, priorities))
    if max(scores) == 0.0:
        assert chosen == -1
        return
    # The winner beats every other candidate on (score, priority, -alphabetical id).
    key = [(scores[i], priorities[i], [-ord(c) for c in ids[i]]) for i in range(len(ids))]
    assert all(key[chosen] > key[i] for i in range(len(ids)) if i != chosen)
    assert probabilities == [1.0 if i == chosen else 0.0 for i in range(len(ids))]
    permutation = list(range(len(ids)))
    rng.shuffle(permutation)
    shuffled = [ids[i] for i in permutation]
    again, _ = argmax(
        [scores[i] for i in permutation],
        0.5,
        tie_break_order(shuffled, [priorities[i] for i in permutation]),
    )
    assert shuffled[again] == ids[chosen]


def test_vetoed_scores_are_never_chosen_by_any_selector():
    scores = [0.0, 0.4, 0.0, 0.2]
    order = (0, 1, 2, 3)
    for kind in SELECTOR_KINDS:
        select = make_selector(kind, n=4, percent=1.0, temperature=100.0)
        for u in np.linspace(0.0, 0.999999, 101):
            chosen, probabilities = select(scores, float(u), order)
            assert chosen in (1, 3)
            assert probabilities[0] == probabilities[2] == 0.0
        assert select([0.0, 0.0], 0.3, (0, 1)) == (-1, [0.0, 0.0])


def test_weighted_pick_is_an_inverse_cdf_in_tie_break_order():
    weights = [1.0, 0.0, 3.0]  # cumulative in order (2, 0): 3 then 4
    order = (2, 1, 0)
    assert weighted_pick(weights, 0.0, order)[0] == 2
    assert weighted_pick(weights, 0.7499, order)[0] == 2
    assert weighted_pick(weights, 0.75, order)[0] == 0
    assert weighted_pick(weights, 0.9999999, order)[0] == 0
    assert weighted_pick(weights, 0.5, order)[1] == [0.25, 0.0, 0.75]
    assert weighted_pick(weights, 0.5, order, probabilities=False) == (2, None)


@settings(max_examples=200, deadline=None)
@given(SCORES, st.floats(0.0, 1.0, exclude_max=True), st.sampled_from(SELECTOR_KINDS))
def test_selectors_are_deterministic_and_probabilities_are_consistent(scores, u, kind):
    order = tuple(range(len(scores)))
    select = make_selector(kind, n=2, percent=0.3, temperature=0.2)
    chosen, probabilities = select(scores, u, order)
    assert select(scores, u, order) == (chosen, probabilities)
    assert make_selector(kind, n=2, percent=0.3, temperature=0.2, probabilities=False)(
        scores, u, order
    ) == (chosen, None)
    if not any(s > 0 for s in scores):
        assert chosen == -1
        return
    assert probabilities[chosen] > 0.0
    assert math.fsum(probabilities) == pytest.approx(1.0)
    assert all(p == 0.0 for p, s in zip(probabilities, scores, strict=True) if s <= 0.0)


def test_top_n_draws_only_from_the_n_best_in_proportion_to_score():
    scores = [0.2, 0.9, 0.5, 0.5, 0.1]
    order = tie_break_order(["a", "b", "c", "d", "e"], [0] * 5)
    _, probabilities = top_n(scores, 0.0, order, 3)
    total = 0.9 + 0.5 + 0.5  # b, c and d
    assert probabilities == pytest.approx([0.0, 0.9 / total, 0.5 / total, 0.5 / total, 0.0])
    _, probabilities = top_n(scores, 0.0, order, 2)
    assert probabilities == pytest.approx([0.0, 0.9 / 1.4, 0.5 / 1.4, 0.0, 0.0])  # c beats d


def test_top_percent_keeps_scores_within_the_band_of_the_best():
    scores = [1.0, 0.85, 0.8, 0.79, 0.0]
    _, probabilities = top_percent(scores, 0.3, (0, 1, 2, 3, 4), 0.2)
    total = 1.0 + 0.85 + 0.8
    assert probabilities == pytest.approx([1.0 / total, 0.85 / total, 0.8 / total, 0.0, 0.0])


def test_softmax_probabilities_are_the_multinomial_logit_and_stable():
    scores = [0.9, 0.0, 0.6, 0.3]
    _, probabilities = softmax(scores, 0.1, (0, 1, 2, 3), 0.25)
    weights = [math.exp(s / 0.25) if s > 0 else 0.0 for s in scores]
    assert probabilities == pytest.approx([w / sum(weights) for w in weights], rel=1e-14)
    # A tiny temperature would overflow exp(s / T) unshifted; the shift keeps it finite.
    chosen, probabilities = softmax([1.0, 0.999, 0.5], 0.99, (0, 1, 2), 1e-5)
    assert chosen == 0 and probabilities[0] > 0.99 and all(math.isfinite(p) for p in probabilities)
    _, probabilities = softmax([1.0, 0.5], 0.5, (0, 1), 1e6)
    assert probabilities == pytest.approx([0.5, 0.5], abs=1e-6)  # hot: nearly uniform


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("softmax", None),  # exp(s / T) / sum, computed below
        ("top_n", [0.0, 0.6 / 1.5, 0.9 / 1.5, 0.0]),
        ("top_percent", [0.3 / 1.8, 0.6 / 1.8, 0.9 / 1.8, 0.0]),
    ],
)
def test_selection_frequencies_match_the_probabilities(kind, expected):
    scores = [0.3, 0.6, 0.9, 0.0]
    temperature = 0.3
    if expected is None:
        weights = [math.exp(s / temperature) for s in scores[:3]] + [0.0]
        expected = [w / sum(weights) for w in weights]
    select = make_selector(kind, n=2, percent=0.7, temperature=temperature)
    rng = random.Random(20240601)
    draws = 20_000
    counts = [0] * len(scores)
    for _ in range(draws):
        counts[select(scores, rng.random(), (0, 1, 2, 3))[0]] += 1
    assert counts[3] == 0
    observed = [c for c, p in zip(counts, expected, strict=True) if p > 0]
    predicted = [p * draws for p in expected if p > 0]
    _, p_value = stats.chisquare(observed, predicted)
    assert p_value > 1e-3, (counts, predicted)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(SCORES.filter(bool), min_size=1, max_size=6),
    st.sampled_from(SELECTOR_KINDS),
    st.integers(1, 4),
    st.sampled_from([0.05, 0.3, 1.0]),
    st.sampled_from([0.01, 0.2, 5.0]),
    st.randoms(use_true_random=False),
)
def test_array_selectors_choose_what_the_scalar_ones_choose(
    columns, kind, n, percent, temperature, rng
):
    rows = max(len(c) for c in columns)
    scores = np.array([c + [0.0] * (rows - len(c)) for c in columns]).T  # (actions, agents)
    uniforms = np.array([rng.random() for _ in columns])
    chosen = select_array(kind, scores, uniforms, n=n, percent=percent, temperature=temperature)
    select = make_selector(kind, n=n, percent=percent, temperature=temperature)
    expected = [
        select(scores[:, j].tolist(), float(uniforms[j]), tuple(range(rows)))[0]
        for j in range(len(columns))
    ]
    assert chosen.tolist() == expected


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.one_of(st.sampled_from([0.0, 0.1, 0.5, 0.5, 1.3]), st.floats(0.0, 3.0))),
    st.sampled_from(SELECTOR_KINDS),
    st.integers(1, 4),
    st.sampled_from([0.05, 0.3, 1.0]),
    st.sampled_from([0.001, 0.01, 0.2, 5.0]),  # 0.001: most exp weights underflow to 0
    st.one_of(st.floats(0.0, 1.0, exclude_max=True), st.just(math.nextafter(1.0, 0.0))),
    st.randoms(use_true_random=False),
)
def test_candidate_selectors_choose_what_the_scalar_ones_choose(
    scores, kind, n, percent, temperature, u, rng
):
    """The brain's fast path sees only the scores > 0, in tie-break order: same choice."""
    order = list(range(len(scores)))
    rng.shuffle(order)
    params = {"n": n, "percent": percent, "temperature": temperature}
    expected, _ = make_selector(kind, **params)(scores, u, order)
    candidates = [i for i in order if scores[i] > 0.0]
    position = make_candidate_selector(kind, **params)([scores[i] for i in candidates], u)
    assert (candidates[position] if position >= 0 else -1) == expected


def test_unknown_selector_is_rejected():
    with pytest.raises(ValueError, match="unknown selector"):
        make_selector("roulette")
    with pytest.raises(ValueError, match="unknown selector"):
        make_candidate_selector("roulette")
    with pytest.raises(ValueError, match="unknown selector"):
        select_array("roulette", np.zeros((1, 1)), np.zeros(1))


def test_softmax_memo_stays_bounded_and_never_changes_a_choice(monkeypatch):
    monkeypatch.setattr(candidates, "SOFTMAX_MEMO_SIZE", 8)
    monkeypatch.setattr(candidates, "_SOFTMAX_WEIGHTS", {})
    rng = random.Random(4)
    pick = make_candidate_selector("softmax", temperature=0.05)
    for _ in range(300):
        scores = [rng.choice([0.1, 0.2, 0.3, rng.random()]) for _ in range(rng.randint(1, 5))]
        u = rng.random()
        expected, _ = softmax(scores, u, list(range(len(scores))), temperature=0.05)
        assert pick(scores, u) == expected  # hits (repeated scores) and misses alike
        assert len(candidates._SOFTMAX_WEIGHTS) <= 8
