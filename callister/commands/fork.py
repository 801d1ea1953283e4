"""`callister fork [CONFIG] --seed S --at T [--set K=V ...] [--force WHO.ACTION ...]`.

What if? Plays the run to hour T once, then N pairs of futures from there: the baseline
(unchanged) and the branch (the changes act from hour T+1), each pair with common random
numbers, and reports what the change did to the endings and flags, each difference with its
paired 95% interval. Exit codes: 0 done; 1 some pairs failed (listed); 2 bad input (nothing
written); 130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

from callister.commands import add_backend_options, add_scenario_arguments, with_warm_workers
from callister.commands.run import check_option

DEFAULT_REPLICATES = 20
# Series kept for `--out`: every day's metrics, as a batch keeps them by default.
SERIES_EVERY = 24


def register(parser: argparse.ArgumentParser) -> None:
    add_scenario_arguments(parser, "scenario TOML of the run to fork")
    parser.add_argument(
        "--at",
        type=int,
        required=True,
        metavar="T",
        help="fork after T hours (the state Live and Replay show at tick T); the changes act "
        "from hour T+1. From 0 to the last hour before the run stops",
    )
    parser.add_argument(
        "--set",
        dest="changes",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a change of the branch from T, value as a TOML literal (repeatable): weights, "
        "curves, traits, world knobs, e.g. --set agents.walton.actions.invite_party.weight=0; "
        "simulation.* and keys used only to build the world cannot change in a fork",
    )
    parser.add_argument(
        "--force",
        dest="forces",
        action="append",
        default=[],
        metavar="WHO.ACTION",
        help="the branch's character (name or role) takes ACTION in hour T+1 (repeatable), "
        "e.g. --force walton.invite_party; an action it cannot take at T is refused, listing "
        "those it can",
    )
    parser.add_argument(
        "--replicates",
        type=int,
        default=DEFAULT_REPLICATES,
        metavar="N",
        help=f"pairs of futures (default: {DEFAULT_REPLICATES}); replicate 0's baseline is the "
        "original run, the others reseed both branches alike from (seed, T, replicate)",
    )
    add_backend_options(parser)  # the results are the same for any worker count
    parser.add_argument(
        "--json",
        action="store_true",
        help="print one JSON object (seed, at, replicates, changes, interval, pairs, failed, "
        "effects), nothing else on stdout",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="DIR",
        help="also keep both branches' runs in DIR in the batch store's format (point 0 the "
        "baseline, point 1 the branch), for `callister report DIR` and the dashboard's "
        "Experiments page; DIR must be missing or empty",
    )
    parser.add_argument(
        "--replace",
        action="store_true",
        help="let --out replace earlier results (a fork's or a finished batch's) in DIR, or "
        "write into a non-empty directory Callister did not write (its other files are kept); "
        "--force is the forced choice here",
    )
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress bar on stderr")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    return with_warm_workers(_run, args)


def _run(args: argparse.Namespace) -> int:
    from configuration.errors import UserError
    from configuration.loading import load_config
    from experiments.fork import check_replicates, prepare, run_fork
    from experiments.fork_store import check_fork_directory, write_fork_store
    from experiments.progress import Progress
    from experiments.runners import default_workers

    check_option("--seed", args.seed, "seed")
    check_replicates(args.replicates)
    if args.workers is not None and args.workers < 1:
        raise UserError(f"--workers {args.workers}: need at least 1 worker.")
    # before any work: a refused --out must not cost a whole fork first
    output = None if args.out is None else check_fork_directory(args.out, replace=args.replace)
    config = load_config(args.config)
    prepared = prepare(
        config, str(args.config), seed=args.seed, at=args.at, sets=args.changes, forces=args.forces
    )
    progress = Progress("fork", args.replicates, 0, 0, quiet=args.quiet)
    try:
        report = run_fork(
            prepared,
            args.replicates,
            workers=args.workers or default_workers(),
            dask=args.dask,
            series_every=SERIES_EVERY if output is not None else 0,
            on_pair=lambda pair: progress.advance(True),
        )
    finally:
        progress.close()
    if output is not None:
        write_fork_store(output, report, SERIES_EVERY)
    if args.json:
        print(json.dumps(report.to_json()))
    else:
        print(report_text(report, args.out))
    if report.failures:
        print(f"{len(report.failures)} of {args.replicates} pairs failed.", file=sys.stderr)
    return 1 if report.failures else 0


def report_text(report, out: Path | None) -> str:
    """The human report: the change, the endings and flags side by side, the divergence."""
    from experiments.fork_effects import INTERVAL_METHOD
    from world.clock import stamp

    fork = report.fork
    changes = [*fork.sets, *(f"--force {who}.{action}" for who, action in fork.forces)]
    lines = [
        f"Fork of seed {fork.seed} after {fork.at} hours (the state at {stamp(fork.at)}): "
        f"{'; '.join(changes) or 'no change'}",
        f"The branch changes from hour {fork.at + 1}; {len(report.pairs)} pairs of futures "
        f"(of {report.replicates}) with common random numbers; replicate 0's baseline is the "
        "original run.",
        "",
        f"{'':<34}{'baseline':>9}{'branch':>9}{'difference':>12}   95% interval",
    ]
    endings = [e for e in report.effects if e.outcome.startswith("ending=")]
    flags = [e for e in report.effects if not e.outcome.startswith("ending=")]
    shown = [e for e in endings if e.baseline or e.branch]
    lines.append("Endings")
    lines += [_effect_line(effect) for effect in shown]
    lines.append("Flags")
    lines += [_effect_line(effect) for effect in flags if effect.baseline or effect.branch]
    lines += [
        "",
        "Outcomes found in neither branch are left out (--json lists every one).",
        f"Intervals: {INTERVAL_METHOD}.",
        _divergence_text(report),
    ]
    for replicate, error in sorted(report.failures.items()):
        lines.append(f"Replicate {replicate} failed: {error.splitlines()[-1] if error else ''}")
    if out is not None:
        lines.append(f"Both branches' runs written to {out} (callister report {out})")
    return "\n".join(lines)


def _effect_line(effect) -> str:
    name = effect.outcome.partition("=")[2]
    low, high = effect.ci
    return (
        f"  {name:<32}{effect.baseline:>9.0%}{effect.branch:>9.0%}"
        f"{effect.difference * 100:>+10.0f}pt   [{low * 100:+.0f}, {high * 100:+.0f}] pt"
    )


def _divergence_text(report) -> str:
    from world.clock import stamp

    hours = sorted(pair.diverged_at for pair in report.pairs if pair.diverged_at is not None)
    total = len(report.pairs)
    if not hours:
        return f"Divergence: the branches never diverged in any of the {total} pairs."
    median = int(statistics.median_low(hours))
    return (
        f"Divergence: {len(hours)} of {total} pairs diverged; earliest at hour {hours[0]} "
        f"({stamp(hours[0])}), median at hour {median} ({stamp(median)})."
    )
