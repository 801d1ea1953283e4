"""`callister batch EXPERIMENT [--workers N] [--dask ADDRESS|local] [--out DIR]`.

Runs an experiment file, or resumes it: running the same command on the same DIR again skips
every finished run. Exit codes: 0 every run ok; 1 the batch finished but some runs failed (their
error is in runs.parquet), or the workers died (finished runs are kept: re-run to resume);
2 bad input (nothing written); 130 interrupted by Ctrl-C or SIGTERM (finished runs are kept).
"""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "experiment",
        metavar="EXPERIMENT",
        type=Path,
        help="experiment file, e.g. configs/experiments/invite_ablation.toml",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        metavar="N",
        help="worker processes (default: the number of cores)",
    )
    parser.add_argument(
        "--dask",
        default=None,
        metavar="ADDRESS|local",
        help="run on Dask: 'local' starts a LocalCluster of --workers processes, "
        "tcp://HOST:PORT uses a running scheduler",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="DIR",
        help="results directory (default: results/<experiment name>); an existing one is resumed",
    )
    parser.add_argument(
        "--retry-failed",
        action="store_true",
        help="on resume, run failed runs again (default: keep them as failed)",
    )
    parser.add_argument(
        "--quiet",
        "-q",
        action="store_true",
        help="no progress bar (the summary line is still printed)",
    )
    parser.set_defaults(handler=run)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def run(args: argparse.Namespace) -> int:
    from experiments.runners import start_worker_imports, stop_worker_imports

    if args.dask is None:
        start_worker_imports()  # local workers load the world while the driver validates
    try:
        return _run(args)
    finally:
        if args.dask is None:
            stop_worker_imports()


def _run(args: argparse.Namespace) -> int:
    from experiments.batch import BatchOptions, run_batch
    from experiments.runners import BackendFailure

    options = BatchOptions(
        experiment=args.experiment,
        out=args.out,
        workers=args.workers,
        dask=args.dask,
        retry_failed=args.retry_failed,
        quiet=args.quiet,
    )
    # SIGTERM (`kill`, a SLURM time limit) stops the batch like Ctrl-C: workers stopped,
    # finished runs kept, the session logged as interrupted.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        summary = run_batch(options)
    except BackendFailure as error:
        print(
            f"error: {error}. Finished runs are saved; run the same command again to resume.",
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        print(
            "interrupted: finished runs are saved; run the same command again to resume.",
            file=sys.stderr,
        )
        return 130
    print(summary.line, file=sys.stderr)
    print(f"next: callister report {summary.out_dir}", file=sys.stderr)
    return 1 if summary.failed_in_all else 0
