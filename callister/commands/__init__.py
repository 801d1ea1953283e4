"""Sub-commands of `callister`; options shared by several of them live here."""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Callable
from pathlib import Path

DEFAULT_CONFIG = Path(__file__).resolve().parents[2] / "configs" / "default.toml"


def add_scenario_arguments(parser: argparse.ArgumentParser, what: str) -> None:
    """The optional CONFIG argument (default: configs/default.toml) and `--seed`."""
    parser.add_argument(
        "config",
        nargs="?",
        default=str(DEFAULT_CONFIG),
        metavar="CONFIG",
        help=f"{what} (default: configs/default.toml)",
    )
    parser.add_argument("--seed", type=int, help="seed of this run (default: simulation.seed)")


def add_backend_options(parser: argparse.ArgumentParser) -> None:
    """`--workers N` and `--dask ADDRESS|local`: where the runs go (`experiments.runners`)."""
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


def add_overrides_option(parser: argparse.ArgumentParser) -> None:
    """`--set dotted.key=value` (repeatable), collected into `args.overrides`."""
    parser.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help=(
            "override a key, value as a TOML literal (repeatable): --set simulation.ticks=500; "
            "keys and values nest at most 32 levels, numbers have at most 4,300 digits"
        ),
    )


def with_warm_workers(body: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """`body(args)` while local workers load the world (unless `--dask`); then stop them."""
    from experiments.runners import start_worker_imports, stop_worker_imports

    if args.dask is None:
        start_worker_imports()  # the workers' imports overlap the driver's checks
    try:
        return body(args)
    finally:
        if args.dask is None:
            stop_worker_imports()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def run_resumably(body: Callable[[], int]) -> int:
    """`body()` of a command that runs a batch: SIGTERM (`kill`, a SLURM time limit) stops it
    like Ctrl-C (exit 130), a broken backend exits 1; both keep the finished runs."""
    from experiments.runners import BackendFailure

    signal.signal(signal.SIGTERM, _interrupt)
    try:
        return body()
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
