"""`callister batch EXPERIMENT [--workers N] [--dask ADDRESS|local] [--out DIR] [--run-timeout S]`.

Runs an experiment file, or resumes it: running the same command on the same DIR again skips
every finished run. Exit codes: 0 every run ok; 1 the batch finished but some runs failed (their
error is in runs.parquet: an exception, a worker killed twice, over --run-timeout), or the
backend broke (finished runs are kept: re-run to resume); 2 bad input, including an --out that
is not writable or holds files that are not a batch's (nothing written); 130 interrupted by
Ctrl-C or SIGTERM (finished runs are kept).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from callister.commands import add_backend_options, run_resumably, with_warm_workers


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "experiment",
        metavar="EXPERIMENT",
        type=Path,
        help="experiment file, e.g. configs/experiments/invite_ablation.toml",
    )
    add_backend_options(parser)
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="DIR",
        help="results directory (default: results/<experiment name>): missing or empty, or "
        "an earlier batch of this experiment, which is resumed; a directory holding other files "
        "is refused",
    )
    parser.add_argument(
        "--retry-failed",
        action="store_true",
        help="on resume, run failed runs again (default: keep them as failed)",
    )
    parser.add_argument(
        "--run-timeout",
        type=float,
        default=None,
        metavar="SECONDS",
        help="stop a run that takes longer and record it as failed ('timed out after N s'); "
        "default: no limit. Runs check it between ticks; a local worker stuck inside one is "
        "killed 2 s later (on Dask only the check between ticks applies)",
    )
    parser.add_argument(
        "--quiet",
        "-q",
        action="store_true",
        help="no progress bar (the summary line is still printed)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    return with_warm_workers(_run, args)


def _run(args: argparse.Namespace) -> int:
    from experiments.batch import BatchOptions, run_batch

    options = BatchOptions(
        experiment=args.experiment,
        out=args.out,
        workers=args.workers,
        dask=args.dask,
        retry_failed=args.retry_failed,
        quiet=args.quiet,
        run_timeout=args.run_timeout,
    )

    def body() -> int:
        summary = run_batch(options)
        print(summary.line, file=sys.stderr)
        print(f"next: callister report {summary.out_dir}", file=sys.stderr)
        return 1 if summary.failed_in_all else 0

    return run_resumably(body)
