"""`callister validate CONFIG [--set k=v ...]`: check a scenario, exit 2 listing every error."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from callister.commands import add_overrides_option

if TYPE_CHECKING:
    from configuration.scenario import ScenarioConfig


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "config", metavar="CONFIG", help="scenario TOML file (regular file, UTF-8, at most 4 MiB)"
    )
    add_overrides_option(parser)
    parser.add_argument(
        "--resolved",
        action="store_true",
        help="print the resolved config (defaults and overrides filled in) as TOML",
    )
    parser.set_defaults(handler=run)


def summary(config: ScenarioConfig) -> str:
    """One line: what the scenario holds, so a user sees the file was read as intended."""
    roles = config.agents.model_dump(exclude_none=True)
    actions = sum(len(role["actions"]) for role in roles.values())
    alive = sum(character.alive for character in config.characters.values())
    return (
        f"{len(roles)} roles, {actions} actions configured, "
        f"{len(config.characters)} characters ({alive} alive), "
        f"{config.simulation.ticks} ticks, seed {config.simulation.seed}"
    )


def run(args: argparse.Namespace) -> int:
    # Imported here: the schema is built from the cast, which loads Mesa (~1.5 s); `--help`
    # and the other commands do not pay for it.
    from configuration.loading import config_to_toml, load_config

    config = load_config(args.config, args.overrides)
    if args.resolved:
        print(config_to_toml(config), end="")
    else:
        print(f"{args.config}: OK: {summary(config)}")
    return 0
