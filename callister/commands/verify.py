"""`callister verify RESULTS --outcome ... --box K [--runs N] [--out DIR]`: does a box hold?

Runs discovery again on a finished batch (same outcome and method: the boxes `callister
discover` shows), then a new batch of N runs: half at points inside box K, half in its
complement. Reports the fresh density on each side with Wilson intervals, their difference
with Newcombe's interval, and whether the box holds (the rule is printed with the verdict).
The runs go to their own results directory, resumed by running the same command again.
Exit codes: 0 done (whatever the verdict); 1 some runs failed, or the backend broke (finished
runs are kept); 2 bad input (nothing run); 130 interrupted (finished runs are kept).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from callister.commands import add_backend_options, run_resumably, with_warm_workers

DEFAULT_RUNS = 200  # experiments.verify.DEFAULT_RUNS, repeated so that --help imports nothing


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "results", metavar="RESULTS", type=Path, help="results directory of a finished batch"
    )
    parser.add_argument(
        "--outcome",
        required=True,
        metavar="ending=ID|flag=NAME|event=KIND|story=PATTERN",
        help="the outcome the box was discovered for (as given to `callister discover`)",
    )
    parser.add_argument(
        "--box",
        type=int,
        required=True,
        metavar="K",
        help="which box, numbered from 1 as `callister discover` shows them",
    )
    parser.add_argument("--method", choices=("prim", "cart"), default="prim")
    parser.add_argument(
        "--runs",
        type=int,
        default=DEFAULT_RUNS,
        metavar="N",
        help=f"fresh runs, one per design point, half inside the box and half in its "
        f"complement (default: {DEFAULT_RUNS}; 2 to 100,000)",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=None,
        metavar="S",
        help="seed of the new points and runs (default: the batch's seed + 1)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="DIR",
        help="results directory of the verification (default: "
        "results/<experiment>-verify-<kind>-<name>-<method>-box<K>): missing or empty, or "
        "this same verification, which is resumed; anything else is refused",
    )
    add_backend_options(parser)
    parser.add_argument(
        "--json",
        action="store_true",
        help="print one JSON object (box, limits, discovered, inside, complement, difference, "
        "holds, rule, out), nothing else on stdout",
    )
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress bar on stderr")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    return with_warm_workers(_run, args)


def _run(args: argparse.Namespace) -> int:
    from experiments.batch import BatchOptions
    from experiments.verify import Verification, verify
    from experiments.verify_result import render_text

    request = Verification(
        results=args.results,
        outcome=args.outcome,
        box=args.box,
        method=args.method,
        runs=args.runs,
        seed=args.seed,
        out=args.out,
    )
    options = BatchOptions(
        experiment=args.results, out=args.out, workers=args.workers, dask=args.dask,
        quiet=args.quiet,
    )  # fmt: skip

    def body() -> int:
        result, summary = verify(request, options)
        print(summary.line, file=sys.stderr)
        if args.json:
            sys.stdout.write(json.dumps(result, indent=2, allow_nan=False) + "\n")
        else:
            sys.stdout.write(render_text(result))
        return 1 if summary.failed_in_all else 0

    return run_resumably(body)
