"""`callister discover`: PRIM and CART find planted boxes; JSON shape; every bad input exits 2."""

from __future__ import annotations

import json

import numpy as np
import pytest
from test_experiments_report import make_results

from callister.cli import main
from experiments.discover_boxes import Settings, cart_boxes, prim_boxes, quasi_p, stability
from experiments.discover_prim import Points, full_box, restricted

WEIGHT = "agents.walton.actions.invite_party.weight"
HIKE = "economy.price_hike"


def planted(seed: int = 3, points: int = 400, replicates: int = 5) -> Points:
    """Three uniform parameters; the outcome is likely (85%) only where 0.3<x0<0.7 and x1>0.5."""
    rng = np.random.default_rng(seed)
    values = rng.uniform(0, 1, (points, 3))
    box = (values[:, 0] > 0.3) & (values[:, 0] < 0.7) & (values[:, 1] > 0.5)
    hits = rng.binomial(replicates, np.where(box, 0.85, 0.1))
    return Points(values, np.full(points, replicates), hits)


@pytest.mark.parametrize("seed", [3, 4, 5])
def test_prim_recovers_a_planted_box_through_the_noise_of_replicates(seed):
    points = planted(seed)
    found = prim_boxes(points, Settings())
    box = found.boxes[0]
    assert restricted(box, full_box(points)).tolist() == [True, True, False]
    assert box.low[:2] == pytest.approx([0.3, 0.5], abs=0.08)
    assert box.high[0] == pytest.approx(0.7, abs=0.08)
    assert box.density > 0.75 and box.hits / points.hits.sum() > 0.6
    # the trajectory starts at the whole space and its density rises as it peels
    assert found.trajectory[0].runs == points.runs.sum()
    assert found.trajectory[found.chosen_step].density > 2 * found.trajectory[0].density


def test_cart_finds_the_planted_region_in_its_densest_leaf():
    points = planted()
    box = cart_boxes(points, Settings()).boxes[0]
    assert restricted(box, full_box(points)).tolist() == [True, True, False]
    assert box.low[0] > 0.25 and box.high[0] < 0.75 and box.low[1] > 0.45
    assert box.density > 0.75


def test_quasi_p_and_stability_tell_real_limits_and_are_seeded():
    points = planted()
    boxes = prim_boxes(points, Settings()).boxes
    tests = quasi_p(points, boxes[0], full_box(points))
    assert set(tests) == {0, 1} and max(tests.values()) < 1e-10
    first = stability(points, boxes, prim_boxes, Settings(), resamples=12, seed=7)
    assert first == stability(points, boxes, prim_boxes, Settings(), resamples=12, seed=7)
    assert first[0][0] >= 0.9 and first[0][1] >= 0.9


@pytest.mark.parametrize("seed", [0, 2, 3])
def test_a_second_region_below_the_base_rate_is_found_if_it_stands_out(seed):
    # region A (60%) lifts the batch's base rate to 21%; region B (20%) is below that, yet
    # the only place outside A where the outcome happens at all: it is a region of its own
    grid = np.linspace(0.025, 0.975, 20)
    values = np.array([(x, y) for x in grid for y in grid])
    rate = np.where(values[:, 0] < 0.3, 0.6, 0.0)
    rate[(values[:, 0] > 0.6) & (values[:, 1] > 0.6)] = 0.2
    rng = np.random.default_rng(seed)
    points = Points(values, np.full(400, 5), rng.binomial(5, rate))
    assert points.hits.sum() / points.runs.sum() > 0.19
    first, second = prim_boxes(points, Settings()).boxes[:2]
    assert first.high[0] < 0.3 and first.density > 0.5
    assert second.low == pytest.approx([0.62, 0.62], abs=0.05) and second.density < 0.3


@pytest.mark.parametrize("seed", range(6))
def test_a_box_whose_limits_do_not_matter_is_noise_not_a_region(seed):
    # one real region (25% against 4%) among five parameters, as in docs/experiments.md's
    # worked example: once it is taken out, what is left is noise, and covering must not
    # slice it into boxes (compared only with the sparse rest, it did in all six seeds)
    rng = np.random.default_rng(seed)
    values = rng.uniform(0, 1, (200, 5))
    hits = rng.binomial(5, np.where(values[:, 0] > 0.25, 0.25, 0.04))
    boxes = prim_boxes(Points(values, np.full(200, 5), hits), Settings()).boxes
    assert len(boxes) == 1 and boxes[0].low[0] == pytest.approx(0.25, abs=0.1)


def test_two_separate_dense_regions_are_both_found_by_covering():
    rng = np.random.default_rng(3)
    values = rng.uniform(0, 1, (600, 2))
    low_corner = (values[:, 0] < 0.3) & (values[:, 1] < 0.3)
    high_corner = (values[:, 0] > 0.7) & (values[:, 1] > 0.7)
    hits = rng.binomial(5, np.where(low_corner | high_corner, 0.85, 0.05))
    boxes = prim_boxes(Points(values, np.full(600, 5), hits), Settings()).boxes
    assert len(boxes) == 2
    first, second = sorted(boxes, key=lambda box: box.low[0])
    assert first.high == pytest.approx([0.3, 0.3], abs=0.05)
    assert second.low == pytest.approx([0.7, 0.7], abs=0.05)
    assert min(first.density, second.density) > 0.75


def test_no_box_when_the_outcome_does_not_depend_on_the_parameters():
    rng = np.random.default_rng(1)
    values = rng.uniform(0, 1, (300, 2))
    points = Points(values, np.full(300, 4), rng.binomial(4, 0.3, 300))
    found = prim_boxes(points, Settings())
    assert found.boxes == []
    # the peeling is still there to see, down to the smallest box allowed (5% of the runs)
    assert len(found.trajectory) > 10 and found.trajectory[0].runs == 1200
    assert 0.05 * 1200 <= found.trajectory[-1].runs < 0.1 * 1200


def cli(capsys, *argv):
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def aired_when_invited(values, replicate):
    """The aired ending in 9 of 10 replicates with the party on and a low hike, else 1 of 10."""
    likely = values[WEIGHT] > 0.5 and values[HIKE] < 0.25
    return "nanettes_head" if replicate < (9 if likely else 1) else "outlaws"


@pytest.fixture
def grid(tmp_path):
    parameters = {WEIGHT: [0.0, 0.6, 1.2], HIKE: [0.1, 0.2, 0.3, 0.4]}
    return make_results(tmp_path, {"replicates": 10}, parameters, aired_when_invited)


def test_json_has_the_documented_shape(capsys, grid):
    code, out, err = cli(capsys, "discover", grid, "--outcome", "ending=nanettes_head", "--json",
                         "--resamples", 10)  # fmt: skip
    assert code == 0, err
    result = json.loads(out)
    assert {"outcome", "runs", "base_rate", "trajectory", "boxes"} <= set(result)
    assert result["runs"] == 120 and result["base_rate"] == pytest.approx((4 * 9 + 8) / 120)
    step = result["trajectory"][0]
    assert {"coverage", "density", "mass", "restricted"} <= set(step) and step["mass"] == 1
    box = result["boxes"][0]
    assert set(box) >= {"limits", "coverage", "density", "density_ci", "quasi_p", "stability"}
    assert box["limits"] == {WEIGHT: [0.6, 1.2], HIKE: [0.1, 0.2]}
    assert box["density"] == pytest.approx(0.9) and box["coverage"] == pytest.approx(36 / 44)
    low, high = box["density_ci"]
    assert low < 0.9 < high
    assert set(box["quasi_p"]) == set(box["stability"]) == {WEIGHT, HIKE}


def test_text_and_html(capsys, grid, tmp_path):
    page = tmp_path / "discover.html"
    code, out, err = cli(capsys, "discover", grid, "--outcome", "ending=nanettes_head",
                         "--method", "cart", "--html", page, "--resamples", 5)  # fmt: skip
    assert code == 0, err
    assert "Box 1:" in out and f"<= {WEIGHT} <=" in out
    text = page.read_text(encoding="utf-8")
    assert 'content="callister discover"' in text and "coverage against density" in text
    # a page Callister wrote is replaced; a file it did not write is not, without --force
    assert cli(capsys, "discover", grid, "--outcome", "ending=nanettes_head", "--html", page,
               "--resamples", 0)[0] == 0  # fmt: skip
    foreign = tmp_path / "notes.html"
    foreign.write_text("mine", encoding="utf-8")
    code, _, err = cli(capsys, "discover", grid, "--outcome", "ending=outlaws", "--html", foreign)
    assert code == 2 and "was not written by Callister" in err
    assert foreign.read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize(
    ("outcome", "message"),
    [
        ("nanettes_head", "expected ending=ID, flag=NAME, event=KIND or story=PATTERN"),
        ("mood=happy", "expected ending=ID, flag=NAME, event=KIND or story=PATTERN"),
        ("ending=happily", "unknown ending; allowed: nanettes_head"),
        ("flag=nanette_state", "unknown yes/no flag; allowed: walton_arrested"),
        ("event=picnic", "no event kind 'picnic' in this batch; allowed: invite_party, robbery"),
    ],
)
def test_a_bad_outcome_exits_2_with_one_message(capsys, grid, outcome, message):
    code, out, err = cli(capsys, "discover", grid, "--outcome", outcome)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and message in err


def test_bad_stores_and_options_exit_2_with_one_message(capsys, tmp_path):
    def refused(directory, *options):
        code, out, err = cli(capsys, "discover", directory, "--outcome", "ending=outlaws", *options)
        assert code == 2 and out == "" and err.count("\n") == 1, err
        return err

    assert "no such results directory" in refused(tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    assert "not a batch results directory" in refused(tmp_path / "empty")
    one_value = make_results(tmp_path / "a", {"replicates": 2}, {WEIGHT: [0.5]}, _outlaws)
    assert "no swept parameter" in refused(one_value)
    unfinished = make_results(
        tmp_path / "b", {"replicates": 2}, {WEIGHT: [0.0, 1.0]}, _outlaws, missing=(3,)
    )
    assert "unfinished (3 of 4 runs)" in refused(unfinished)
    failed = make_results(
        tmp_path / "c", {"replicates": 1}, {WEIGHT: [0.0, 1.0]}, _outlaws, failed=(0, 1)
    )
    assert "no run of the batch finished ok" in refused(failed)
    text = make_results(tmp_path / "d", {"replicates": 1}, {"galaxy.name": ["a", "b"]}, _outlaws)
    assert "takes text values" in refused(text)
    assert "--peel-alpha 0.9: allowed 0.01 to 0.5" in refused(one_value, "--peel-alpha", 0.9)
    assert "--resamples -1: allowed 0 to 1000" in refused(one_value, "--resamples", -1)


def _outlaws(values, replicate):
    return "outlaws"
