"""`callister report` on results directories with known (synthetic) outcomes."""

from __future__ import annotations

import json

import numpy as np
import pytest

from experiments.consolidate import consolidate
from experiments.designs import build_design
from experiments.html_report import write_html
from experiments.records import row_table, run_schema
from experiments.report import build_report
from experiments.report_text import render_text
from experiments.seeds import plan_runs
from experiments.spec import ExperimentFile
from experiments.store import ResultsStore

KINDS = ["robbery", "invite_party"]


def make_results(tmp_path, section: dict, parameters: dict, ending_of, *, missing=(), failed=()):
    """A results directory whose run endings are `ending_of(values, replicate)`."""
    spec = ExperimentFile.model_validate(
        {
            "experiment": {"name": "synthetic", "config": "x.toml", **section},
            "parameters": parameters,
        }
    )
    design = build_design(spec)
    replicates = spec.experiment.replicates
    manifest = {
        "name": "synthetic",
        "experiment": spec.model_dump(mode="json"),
        "design": design.to_json(),
        "replicates": replicates,
        "runs": len(design) * replicates,
    }
    store = ResultsStore(tmp_path / "out")
    schema = run_schema(design, KINDS)
    with store.locked():
        store.create(manifest, "")
        for run in plan_runs(len(design), replicates, spec.experiment.seed):
            if run.run_id in missing:
                continue
            values = design.values(run.point)
            bad = run.run_id in failed
            row = {
                "run_id": run.run_id, "point": run.point, "replicate": run.replicate,
                "seed": run.seed, "attempt": 1, **values,
                "status": "failed" if bad else "ok",
                "ending": None if bad else ending_of(values, run.replicate),
                "walton_arrested": None if bad else run.replicate % 2 == 0,
                "events.robbery": None if bad else 2, "error": "ValueError: boom" if bad else None,
            }  # fmt: skip
            store.write_run(row_table(row, schema), None)
        consolidate(store)
    return store.root


def test_grid_report_counts_intervals_and_test(tmp_path):
    key = "agents.walton.actions.invite_party.weight"

    def ending(values, replicate):  # weight 0: 2 of 10 aired endings; weight 1.2: 8 of 10
        share = 2 if values[key] == 0.0 else 8
        return "nanettes_head" if replicate < share else "outlaws"

    out = make_results(tmp_path, {"replicates": 10}, {key: [0.0, 1.2]}, ending)
    report = build_report(out)
    first = report["points"][0]["endings"]["nanettes_head"]
    assert first["count"] == 2 and first["share"] == pytest.approx(0.2)
    assert (first["low"], first["high"]) == pytest.approx((0.056682, 0.509838), abs=1e-6)
    assert report["endings"] == ["nanettes_head", "outlaws"]
    # 2x2 with expected counts 5: Pearson chi2 = 7.2, p = 0.00729.
    assert report["test"]["method"] == "chi-square"
    assert report["test"]["statistic"] == pytest.approx(7.2)
    assert report["test"]["p_value"] == pytest.approx(0.0072903, rel=1e-4)
    effect = next(
        e for e in report["effects"] if e["parameter"] == key and e["outcome"] == "nanettes_head"
    )
    assert effect["rho"] == pytest.approx(0.6)
    assert report["points"][1]["flags"]["walton_arrested"] == pytest.approx(0.5)
    (marginal,) = report["marginals"]
    assert marginal["x"] == [0.0, 1.2] and marginal["runs"] == [10, 10]
    assert marginal["endings"]["nanettes_head"]["share"] == pytest.approx([0.2, 0.8])
    text = render_text(report)
    assert "2  20% [6%,51%]" in text and "yes (chi-square: chi2 = 7.20, dof 1, p = 0.0073" in text
    json.dumps(report, allow_nan=False)  # strict JSON


def test_sobol_report_finds_the_parameter_that_decides(tmp_path):
    parameters = {"p.decisive": {"low": 0, "high": 1}, "p.inert": {"low": 0, "high": 1}}

    def ending(values, _replicate):
        return "collapse" if values["p.decisive"] > 0.5 else "outlaws"

    section = {"design": "sobol", "samples": 64, "replicates": 1, "seed": 4}
    report = build_report(make_results(tmp_path, section, parameters, ending))
    indices = {i["parameter"]: i for i in report["sobol"]["outcomes"]["collapse"]}
    assert indices["p.decisive"]["s1"] == pytest.approx(1.0, abs=0.2)
    assert indices["p.decisive"]["st"] == pytest.approx(1.0, abs=0.2)
    assert abs(indices["p.inert"]["s1"]) < 0.1 and abs(indices["p.inert"]["st"]) < 0.1
    decisive = next(m for m in report["marginals"] if m["parameter"] == "p.decisive")
    assert len(decisive["x"]) == 8 and decisive["x"] == sorted(decisive["x"])  # quantile bins
    shares = decisive["endings"]["collapse"]["share"]
    assert shares[0] == 0.0 and shares[-1] == 1.0
    assert "Sobol indices" in render_text(report)


def test_an_unfinished_batch_says_so_and_lists_failures(tmp_path):
    out = make_results(
        tmp_path, {"replicates": 4}, {"a.b": [1, 2]}, lambda v, r: "outlaws",
        missing={6, 7}, failed={2},
    )  # fmt: skip
    report = build_report(out)
    assert report["runs"] == {"planned": 8, "ok": 5, "failed": 1, "not_run": 2}
    assert report["failures"][0]["run_id"] == 2
    text = render_text(report)
    assert "the batch is incomplete (2 runs missing)" in text
    assert "run 2 (point 0, replicate 2): ValueError: boom" in text


def test_html_report_is_one_self_contained_file(tmp_path):
    key = "economy.price_hike"
    out = make_results(
        tmp_path, {"replicates": 3}, {key: [0.1, 0.3]},
        lambda v, r: "outlaws" if r else "collapse",
    )  # fmt: skip
    target = tmp_path / "report.html"
    write_html(build_report(out), out, target)
    page = target.read_text()
    assert page.startswith("<!DOCTYPE html>") and "Endings per design point" in page
    assert "<script src=" not in page and len(page) > 1_000_000  # plotly.js inlined
    assert np.isfinite(len(page))
