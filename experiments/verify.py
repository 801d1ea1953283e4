"""`callister verify`: does a box that `callister discover` found hold in fresh runs?

Discovery is run again on the finished batch (same outcome and method: the same boxes), box K
is taken, and a new batch runs one run at each of N design points: the first half inside the
box, the rest in its complement (`verify_sampling`). An even split gives the difference of
the two densities its narrowest interval when nothing is known of either beforehand. The new
directory is an ordinary batch store, run and resumed by the batch machinery (`run_planned`);
its manifest's `verify` section says what was verified and which points are inside the box.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomli_w

from configuration.errors import UserError
from configuration.loading import validate_raw
from experiments.batch import (
    DEFAULT_RESULTS_ROOT,
    BatchOptions,
    BatchSummary,
    PlannedBatch,
    check_options,
    run_planned,
)
from experiments.codehash import code_fingerprint
from experiments.designs import Design
from experiments.discover import discover
from experiments.manifest import now_iso, provenance
from experiments.report import json_safe, load_results  # one JSON policy for every command
from experiments.scenario import ScenarioBase
from experiments.seeds import SEED_SCHEME, design_rng
from experiments.spec import ExperimentSection
from experiments.store import ResultsStore, is_batch_directory
from experiments.verify_result import judge
from experiments.verify_sampling import domain_of, open_limits, sample_complement, sample_inside
from world.outputs import check_output_directory

DESIGN_KIND = "verify"
DEFAULT_RUNS = 200
MAX_RUNS = 100_000
MAX_SEED = 2**63 - 1
NAME_LIMIT = 100  # an experiment name's longest (spec.NAME_RULE)


@dataclass(frozen=True)
class Verification:
    """What to verify: box `box` (1-based) of `outcome` by `method` in the batch `results`."""

    results: Path
    outcome: str
    box: int
    method: str = "prim"
    runs: int = DEFAULT_RUNS
    seed: int | None = None  # default: the batch's seed + 1
    out: Path | None = None


def verify(request: Verification, options: BatchOptions) -> tuple[dict[str, Any], BatchSummary]:
    """Run (or resume) the verification batch; its result and the batch's summary."""
    _check_request(request, options)
    if request.out is not None:  # refuse someone else's directory before any work
        _check_out(request.out, request.results)
    discovery = discover(request.results, request.outcome, request.method, resamples=0)
    boxes = discovery["boxes"]
    if not boxes:
        raise UserError(
            f"{request.results}: discover found no box for {request.outcome} "
            f"({request.method}); there is nothing to verify."
        )
    if request.box > len(boxes):
        raise UserError(
            f"--box {request.box}: discover found {len(boxes)} box{'es' * (len(boxes) > 1)} for "
            f"{request.outcome} ({request.method}); choose 1 to {len(boxes)}."
        )
    source = ResultsStore(request.results).read_manifest()
    plan = _plan(request, source, discovery)
    out = request.out or DEFAULT_RESULTS_ROOT / plan.section.name
    _check_out(out, request.results)
    _check_same_verification(out, plan.manifest)
    summary = run_planned(options, out, plan)
    _, runs = load_results(out)
    found = plan.manifest["verify"]
    result = {
        "experiment": source["name"],
        "outcome": request.outcome,
        "method": request.method,
        "box": request.box,
        "limits": found["limits"],
        "discovered": found["discovered"],
        "runs": len(plan.design),
        "seed": plan.section.seed,
        **judge(out, runs, request.outcome, found["inside_points"], found["discovered"]["ci"]),
        "out": str(Path(out).resolve()),
    }
    return json_safe(result), summary


def verification_name(experiment: str, outcome: str, method: str, box: int) -> str:
    """`<experiment>-verify-<kind>-<name>-<method>-box<K>`: the default directory's name.

    Each verification of a batch gets its own: box 1 of another outcome or method is another
    box, which the same directory would refuse.
    """
    kind, _, name = outcome.partition("=")
    suffix = f"-verify-{kind}-{name}-{method}-box{box}"
    return experiment[: max(1, NAME_LIMIT - len(suffix))] + suffix


def _check_request(request: Verification, options: BatchOptions) -> None:
    check_options(options)
    if request.box < 1:
        raise UserError(f"--box {request.box}: boxes are numbered from 1, as discover shows them.")
    if not 2 <= request.runs <= MAX_RUNS:
        raise UserError(f"--runs {request.runs}: allowed 2 to {MAX_RUNS:,}.")
    if request.seed is not None and not 0 <= request.seed <= MAX_SEED:
        raise UserError(f"--seed {request.seed}: allowed 0 to {MAX_SEED}.")
    if not request.results.is_dir():
        raise UserError(
            f"{request.results}: no such results directory; "
            "run `callister batch EXPERIMENT --out DIR` first."
        )


def _check_out(out: Path, results: Path) -> None:
    """Missing, empty, or a batch store (whose verification `_check_same_verification` checks).

    Never inside RESULTS: its own `runs/` or `events/` is empty once folded, and a store nested
    there would take in the source's next fragments.
    """
    if out.resolve().is_relative_to(results.resolve()):
        raise UserError(
            f"--out {out}: inside the results directory {results}, which is the batch's own; "
            "choose a directory outside it."
        )
    check_output_directory(
        out, option="--out", ours=is_batch_directory, reuse=True, forceable=False
    )


def _check_same_verification(out: Path, manifest: dict[str, Any]) -> None:
    store = ResultsStore(out)
    if not store.exists():
        return
    stored = store.read_manifest()
    if "verify" not in stored:
        raise UserError(
            f"--out {out}: holds the results of a batch ({stored.get('name')!r}), not of a "
            "verification; choose another directory."
        )
    if stored.get("fingerprint") != manifest["fingerprint"]:
        was = stored["verify"]
        raise UserError(
            f"--out {out}: holds another verification (box {was.get('box')} of "
            f"{was.get('outcome')} by {was.get('method')} in {was.get('source_experiment')!r}, "
            f"{was.get('runs')} runs, seed {was.get('seed')}); choose another directory."
        )


def _plan(request: Verification, source: dict[str, Any], discovery: dict[str, Any]) -> PlannedBatch:
    """The verification's settings, design, base scenario and manifest."""
    box = discovery["boxes"][request.box - 1]
    keys = discovery["parameters"]
    parameters = source["experiment"].get("parameters", {})
    missing = [key for key in keys if key not in parameters]
    if missing:
        raise UserError(
            f"{request.results}: the manifest gives no values or range of {', '.join(missing)}; "
            "verify samples from the experiment's [parameters]."
        )
    domains = [domain_of(parameters[key]) for key in keys]
    limits = open_limits(keys, box["limits"], discovery["ranges"])
    original = source["experiment"]["experiment"]
    seed = request.seed if request.seed is not None else (original["seed"] + 1) % (MAX_SEED + 1)
    rng = design_rng(seed)
    inside_count = (request.runs + 1) // 2
    swept = sample_inside(domains, limits, inside_count, rng)
    swept += sample_complement(domains, limits, request.runs - inside_count, rng)
    design = _design(source, keys, swept)
    section = ExperimentSection(
        name=verification_name(source["name"], request.outcome, request.method, request.box),
        description=f"Verification of box {request.box} of {request.outcome} "
        f"({request.method}) in {source['name']}: points 0 to {inside_count - 1} inside the "
        f"box, {inside_count} to {request.runs - 1} in its complement; one run each.",
        config=source["base_config_file"],
        replicates=1,
        seed=seed,
        series_every=original.get("series_every", 0),
        series=original.get("series", []),
        events=bool(source.get("events")),
    )
    found = {
        "source": str(request.results.resolve()),
        "source_experiment": source["name"],
        "source_fingerprint": source.get("fingerprint", {}),
        "outcome": request.outcome,
        "method": request.method,
        "box": request.box,
        "limits": box["limits"],
        "discovered": {"density": box["density"], "ci": box["density_ci"]},
        "runs": request.runs,
        "seed": seed,
        "inside_points": list(range(inside_count)),
    }
    base = ScenarioBase(
        source["base_config_file"],
        source["base_config"],
        validate_raw(source["base_config"], source["base_config_file"]),
    )
    manifest = _manifest(section, source, design, found)
    return PlannedBatch(section, _experiment_text(found), base, design, manifest)


def _design(source: dict[str, Any], keys: list[str], swept: list[tuple[Any, ...]]) -> Design:
    """Every key of the batch's design: the sampled ones, the others at their one value."""
    all_keys = source["design"]["keys"]
    fixed_values = dict(zip(all_keys, source["design"]["points"][0], strict=True))
    columns = {key: index for index, key in enumerate(keys)}
    points = tuple(
        tuple(row[columns[key]] if key in columns else fixed_values[key] for key in all_keys)
        for row in swept
    )
    return Design(DESIGN_KIND, tuple(all_keys), points)


def _manifest(
    section: ExperimentSection,
    source: dict[str, Any],
    design: Design,
    found: dict[str, Any],
) -> dict[str, Any]:
    """A batch manifest whose fingerprint is the verification's identity (resume checks it)."""
    identity = {key: value for key, value in found.items() if key != "source"}
    parts = {
        "settings": identity,
        "parameters": design.to_json(),
        "fixed": source["experiment"].get("fixed", {}),
        "base_config": source["base_config"],
    }
    settings = {**section.model_dump(mode="json"), "design": DESIGN_KIND}
    return {
        "name": section.name,
        "description": section.description,
        "fingerprint": {key: _digest(value) for key, value in parts.items()},
        "experiment_file": None,
        "experiment": {
            "experiment": settings,
            "parameters": source["experiment"].get("parameters", {}),
            "fixed": parts["fixed"],
        },
        "base_config_file": source["base_config_file"],
        "base_config": source["base_config"],
        "design": design.to_json(),
        "replicates": 1,
        "runs": len(design),
        "events": section.events,
        "seed_scheme": SEED_SCHEME,
        "verify": found,
        "code": code_fingerprint(),
        "created": now_iso(),
        **provenance(),
    }


def _experiment_text(found: dict[str, Any]) -> str:
    table = {key: found[key] for key in ("source", "outcome", "method", "box", "runs", "seed")}
    return (
        "# Written by `callister verify`: the verification these results come from. It is not\n"
        "# an experiment file for `callister batch`; resume it with the same `callister verify`.\n"
        + tomli_w.dumps({"verify": table})
    )


def _digest(value: Any) -> str:
    canonical = json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]
