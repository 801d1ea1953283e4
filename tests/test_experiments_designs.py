"""Designs and seeds: the points a design yields and the seeds runs get, exactly as documented."""

from __future__ import annotations

import numpy as np
import pytest

from experiments.designs import build_design, scale
from experiments.samplers import DESIGNS, GRID, SAMPLERS, saltelli_unit_matrix
from experiments.seeds import SEED_BITS, design_rng, plan_runs, run_id_of, run_seed
from experiments.spec import ExperimentFile, ParameterRange


def spec(
    design: str, parameters: dict, samples: int | None = None, seed: int = 1
) -> ExperimentFile:
    section = {"name": "t", "config": "base.toml", "design": design, "seed": seed}
    if samples is not None:
        section["samples"] = samples
    return ExperimentFile.model_validate({"experiment": section, "parameters": parameters})


def test_grid_is_the_full_factorial_with_the_first_key_slowest():
    design = build_design(spec("grid", {"a.x": [0.0, 1.0], "b.y": [1, 2, 3]}))
    assert design.keys == ("a.x", "b.y")
    assert design.points == (
        (0.0, 1), (0.0, 2), (0.0, 3),
        (1.0, 1), (1.0, 2), (1.0, 3),
    )  # fmt: skip
    assert design.values(4) == {"a.x": 1.0, "b.y": 2}


def test_grid_without_parameters_is_one_point():
    design = build_design(spec("grid", {}))
    assert len(design) == 1 and design.values(0) == {}


def test_lhs_puts_exactly_one_point_in_every_stratum_of_every_range():
    n = 16
    design = build_design(
        spec("lhs", {"p.a": {"low": 0.05, "high": 0.5}, "p.b": {"low": 10, "high": 20}}, n)
    )
    assert len(design) == n
    for column, (low, high) in enumerate([(0.05, 0.5), (10, 20)]):
        values = np.array([point[column] for point in design.points])
        assert values.min() >= low and values.max() < high
        strata = np.floor((values - low) / (high - low) * n).astype(int)
        assert sorted(strata) == list(range(n))


def test_sampled_designs_are_reproducible_and_depend_on_the_seed():
    parameters = {"p.a": {"low": 0.0, "high": 1.0}}
    for kind in ("lhs", "random", "sobol"):
        first = build_design(spec(kind, parameters, 8, seed=5))
        assert first.points == build_design(spec(kind, parameters, 8, seed=5)).points
        assert first.points != build_design(spec(kind, parameters, 8, seed=6)).points


def test_random_design_draws_from_the_design_stream():
    design = build_design(spec("random", {"p.a": {"low": 2.0, "high": 4.0}}, 5, seed=9))
    expected = 2.0 + 2.0 * design_rng(9).random((5, 1))[:, 0]
    assert np.allclose([p[0] for p in design.points], expected)


def test_sobol_design_follows_saltellis_layout():
    n, d = 8, 3
    rows = saltelli_unit_matrix(n, d, np.random.default_rng(0))
    assert rows.shape == (n * (d + 2), d)
    step = d + 2
    a, b = rows[0::step], rows[d + 1 :: step]
    for j in range(d):
        ab = rows[j + 1 :: step]
        # AB_j is A with column j taken from B.
        assert np.array_equal(np.delete(ab, j, axis=1), np.delete(a, j, axis=1))
        assert np.array_equal(ab[:, j], b[:, j])
    design = build_design(spec("sobol", {f"k.{i}": {"low": 0, "high": 1} for i in range(d)}, n))
    assert len(design) == n * (d + 2) and design.base_samples == n


def test_integer_and_log_ranges():
    integers = ParameterRange(low=3, high=5, integer=True)
    assert [scale(u, integers) for u in (0.0, 0.34, 0.67, 0.999999)] == [3, 4, 5, 5]
    logs = ParameterRange(low=0.001, high=1.0, log=True)
    assert scale(0.0, logs) == pytest.approx(0.001)
    assert scale(0.5, logs) == pytest.approx(10**-1.5)


def test_run_seeds_are_the_documented_spawned_children():
    root = np.random.SeedSequence(42)
    child = root.spawn(2)[1].spawn(3)[2].spawn(4)[1]
    high, low = (int(w) for w in child.generate_state(2, np.uint32))
    assert run_seed(42, 2, 1) == ((high << 32) | low) >> (64 - SEED_BITS)


def test_planned_runs_have_stable_ids_and_distinct_seeds():
    runs = list(plan_runs(n_points=3, replicates=4, master_seed=7))
    assert [r.run_id for r in runs] == list(range(12))
    assert runs[5].point == 1 and runs[5].replicate == 1 and run_id_of(1, 1, 4) == 5
    seeds = [r.seed for r in runs]
    assert len(set(seeds)) == len(seeds)
    assert all(0 <= s < 2**SEED_BITS for s in seeds)
    # A run's seed depends on its place in the design and the master seed only.
    assert seeds == [r.seed for r in plan_runs(3, 4, 7)]
    assert (
        runs[5].seed
        == next(r for r in plan_runs(10, 9, 7) if (r.point, r.replicate) == (1, 1)).seed
    )
    assert seeds != [r.seed for r in plan_runs(3, 4, 8)]


def test_one_list_of_designs_drives_the_spec_and_the_sampling():
    section = ExperimentFile.model_json_schema()["$defs"]["ExperimentSection"]
    assert section["properties"]["design"]["enum"] == list(DESIGNS)
    assert set(DESIGNS) == {GRID, *SAMPLERS}
    for kind in SAMPLERS:
        design = build_design(spec(kind, {"p.a": {"low": 0, "high": 1}}, 4))
        assert design.kind == kind and len(design) >= 4
