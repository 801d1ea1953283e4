"""The plain-text report (`callister report DIR`), rendered from `report.build_report`."""

from __future__ import annotations

from typing import Any

from world.endings import YES_NO_FLAGS

MAX_POINTS_SHOWN = 40
SIGNIFICANT = 0.05


def render_text(report: dict[str, Any]) -> str:
    lines: list[str] = []
    runs = report["runs"]
    n_points = len(report["points"])
    lines.append(
        f"{report['experiment']}: {report['design']} design, {n_points} point"
        f"{'s' if n_points != 1 else ''} x {report['replicates']} replicates = {runs['planned']} "
        f"runs ({runs['ok']} ok, {runs['failed']} failed, {runs['not_run']} not run yet)"
    )
    prov = report["provenance"]
    commit = (prov.get("git_commit") or "no git")[:10] + (
        " (dirty)" if prov.get("git_dirty") else ""
    )
    lines.append(
        f"results {report['out_dir']}, created {prov.get('created')}, "
        f"callister {prov.get('package_version')}, {commit}"
    )
    if report["description"]:
        lines.append(report["description"].strip())
    if len(report.get("code_versions", [])) > 1:
        lines.append(
            f"warning: these runs come from {len(report['code_versions'])} different versions "
            "of the world code (column `code`); compare them with care."
        )
    if runs["not_run"]:
        lines.append(
            f"note: the batch is incomplete ({runs['not_run']} runs missing); "
            "resume it with the same `callister batch` command."
        )
    if not runs["ok"]:
        lines.append("\nno finished ok runs yet: nothing to summarise.")
        lines += _failures(report)
        return "\n".join(lines) + "\n"
    lines += _endings_table(report)
    lines += _test_section(report)
    lines += _effects_section(report)
    lines += _sobol_section(report)
    lines += _failures(report)
    return "\n".join(lines) + "\n"


def _percent(cell: dict[str, Any]) -> str:
    if cell["share"] is None:
        return "-"
    return f"{cell['count']:>3} {cell['share']:4.0%} [{cell['low']:.0%},{cell['high']:.0%}]"


def _endings_table(report: dict[str, Any]) -> list[str]:
    endings, keys = report["endings"], report["parameters"]
    width = max(17, *(len(e) + 1 for e in endings))
    lines = ["", "Endings (runs, share, 95% Wilson interval)"]
    if keys:
        lines.append("design points:")
        for point in report["points"][:MAX_POINTS_SHOWN]:
            values = ", ".join(f"{k} = {_value(v)}" for k, v in point["values"].items())
            lines.append(f"  {point['point']:>4}  {values}")
    header = f"  {'point':>5} {'ok':>4}  " + "".join(f"{e:<{width}}" for e in endings)
    lines.append(header)
    for point in report["points"][:MAX_POINTS_SHOWN]:
        cells = "".join(f"{_percent(point['endings'][e]):<{width}}" for e in endings)
        lines.append(f"  {point['point']:>5} {point['ok']:>4}  {cells}")
    hidden = len(report["points"]) - MAX_POINTS_SHOWN
    if hidden > 0:
        lines.append(f"  ... {hidden} more design points (see --json or --html)")
    if len(report["points"]) > 1:
        overall = "".join(f"{_percent(report['overall'][e]):<{width}}" for e in endings)
        lines.append(f"  {'all':>5} {report['runs']['ok']:>4}  {overall}")
    flags = [f for f in YES_NO_FLAGS if any(f in p["flags"] for p in report["points"])]
    if flags:
        lines.append(
            "flags (share of ok runs where true): "
            + ", ".join(
                f"{f} {_mean([p['flags'].get(f) for p in report['points']], report):.0%}"
                for f in flags
            )
        )
    return lines


def _mean(shares: list[float | None], report: dict[str, Any]) -> float:
    weights = [p["ok"] for p in report["points"]]
    pairs = [(s, w) for s, w in zip(shares, weights, strict=True) if s is not None and w]
    total = sum(w for _, w in pairs)
    return sum(s * w for s, w in pairs) / total if total else 0.0


def _test_section(report: dict[str, Any]) -> list[str]:
    lines = []
    if report["test"]:
        lines += ["", "Does the ending distribution differ between design points?"]
        lines.append("  " + _describe_test(report["test"]))
    for test in report["parameter_tests"]:
        if not lines:
            lines.append("")
        lines.append(
            f"  by {test['parameter']} ({len(test['levels'])} levels): {_describe_test(test)}"
        )
    return lines


def _describe_test(test: dict[str, Any]) -> str:
    if test["p_value"] is None:
        return f"not tested: {test['note']}"
    stat = (
        f"chi2 = {test['statistic']:.2f}, dof {test['dof']}, "
        if test["statistic"] is not None
        else ""
    )
    verdict = "yes" if test["p_value"] < SIGNIFICANT else "no evidence"
    v = f", Cramer's V = {test['cramers_v']:.2f}" if test["cramers_v"] is not None else ""
    return f"{verdict} ({test['method']}: {stat}p = {_p(test['p_value'])}{v})"


def _effects_section(report: dict[str, Any]) -> list[str]:
    effects = [e for e in report["effects"] if e["rho"] is not None]
    if not effects:
        return []
    width = max(len(e["parameter"]) for e in effects) + 2
    lines = [
        "",
        "Parameter effects (Spearman rank correlation over ok runs; * p < 0.05)",
        f"  {'parameter':<{width}}{'outcome':<18}{'rho':>7}  {'p':>8}",
    ]
    for effect in effects:
        mark = " *" if effect["p_value"] < SIGNIFICANT else ""
        lines.append(
            f"  {effect['parameter']:<{width}}{effect['outcome']:<18}"
            f"{effect['rho']:>7.2f}  {_p(effect['p_value']):>8}{mark}"
        )
    return lines


def _sobol_section(report: dict[str, Any]) -> list[str]:
    sobol = report["sobol"]
    if not sobol:
        return []
    lines = [
        "",
        f"Sobol indices of each outcome's frequency (SALib, N = {sobol['base_samples']} "
        "base samples; +- is the 95% bootstrap interval half-width)",
    ]
    if sobol["note"]:
        return [*lines, f"  not computed: {sobol['note']}"]
    if report["replicates"] < 4:
        lines.append(
            f"  note: {report['replicates']} run(s) per point: the seeds' noise counts as "
            "interaction and inflates ST; add replicates"
        )
    for outcome, indices in sobol["outcomes"].items():
        lines.append(f"  {outcome}")
        width = max(len(i["parameter"]) for i in indices) + 2
        for i in indices:
            lines.append(
                f"    {i['parameter']:<{width}}S1 {_num(i['s1'])} +- {_num(i['s1_conf'])}"
                f"   ST {_num(i['st'])} +- {_num(i['st_conf'])}"
            )
    return lines


def _failures(report: dict[str, Any]) -> list[str]:
    if not report["failures"]:
        return []
    lines = ["", f"Failed runs ({report['runs']['failed']}; first {len(report['failures'])} shown)"]
    for failure in report["failures"]:
        text = failure["error"].strip().splitlines() or ["?"]
        # A traceback ends with the exception; other errors lead with their message.
        first = text[-1] if text[0].startswith("Traceback") else text[0]
        lines.append(
            f"  run {failure['run_id']} (point {failure['point']}, replicate "
            f"{failure['replicate']}): {first[:200]}"
        )
    return lines


def _p(p: float) -> str:
    return "<0.0001" if p < 1e-4 else f"{p:.4f}"


def _num(x: float | None) -> str:
    return "  n/a" if x is None else f"{x:5.2f}"


def _value(v: Any) -> str:
    return f"{v:.4g}" if isinstance(v, float) else str(v)
