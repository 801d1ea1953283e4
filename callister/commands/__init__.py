"""Sub-commands of `callister`; options shared by several of them live here."""

from __future__ import annotations

import argparse


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
