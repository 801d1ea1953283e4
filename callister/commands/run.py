"""`callister run [CONFIG]`: one simulation, told as a story while it unfolds, then a summary."""

from __future__ import annotations

import argparse
import json
import sys
import time

from callister.commands import add_overrides_option, add_scenario_arguments
from world.clock import day_of
from world.endings import FLAGS
from world.story_text import StoryFolder


def register(parser: argparse.ArgumentParser) -> None:
    add_scenario_arguments(parser, "scenario TOML")
    parser.add_argument(
        "--ticks",
        type=int,
        help="horizon in hours, within the bounds of simulation.ticks in `callister schema` "
        "(default: simulation.ticks)",
    )
    add_overrides_option(parser)
    parser.add_argument(
        "--out",
        metavar="DIR",
        help="write a run record the dashboard can replay into DIR (a new or empty directory)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="let --out replace an existing run record, or write into a non-empty directory "
        "Callister did not write (its other files are kept)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object, no story")
    parser.set_defaults(handler=run)


def check_option(option: str, value: int | None, field: str) -> None:
    """`--seed`/`--ticks` within the schema's bounds of `simulation.<field>`, naming the option."""
    from configuration.errors import UserError
    from configuration.limits import bounds_of
    from configuration.scenario import Simulation

    if value is None:
        return
    low, high = bounds_of(Simulation.model_fields[field].metadata).whole()
    if low is not None and value < low:
        raise UserError(f"{option} {value}: must be at least {low}.")
    if high is not None and value > high:
        raise UserError(f"{option} {value}: must be at most {high}.")


class StoryTeller:
    """Prints the story as the model produces it: turning points in full, routine runs folded."""

    def __init__(self, stream) -> None:
        self.stream = stream
        self.printed = 0
        self.folder = StoryFolder()

    def __call__(self, model) -> None:
        events = model.events.events
        for event in events[self.printed :]:
            self._print(self.folder.feed(event.tick, event.kind, event.text))
        self.printed = len(events)

    def flush(self) -> None:
        self._print(self.folder.flush())
        self.stream.flush()

    def _print(self, lines) -> None:
        for line in lines:
            print(line.render(), file=self.stream)


def run(args: argparse.Namespace) -> int:
    from configuration.loading import config_to_toml, load_config
    from world.record import ReplayRecorder, check_record_directory, galaxy_snapshot, write_record
    from world.simulate import build_model, play_out

    check_option("--seed", args.seed, "seed")
    check_option("--ticks", args.ticks, "ticks")
    # before any work: a refused --out must not cost a whole run first
    output = None if args.out is None else check_record_directory(args.out, force=args.force)
    config = load_config(args.config, args.overrides)
    started = time.perf_counter()
    model = build_model(config, seed=args.seed, ticks=args.ticks)
    teller = None if args.json else StoryTeller(sys.stdout)
    recorder = ReplayRecorder() if output is not None else None
    if teller:
        print(
            f"USS Callister: Into Infinity — seed {model.seed}, "
            f"{model.config.simulation.ticks} hours, {model.population.total:,} players, "
            f"{model.galaxy.size} planets\n"
        )
    result = play_out(model, started, [o for o in (teller, recorder) if o is not None])
    if output is not None:
        write_record(
            output, config_to_toml(model.config), result, galaxy_snapshot(model.galaxy), recorder
        )
    if args.json:
        print(json.dumps(result.summary()))
    else:
        teller.flush()
        print(summary_text(model, result, args.out))
    return 0


def _flag_text(value: bool | str) -> str:
    return ("yes" if value else "no") if isinstance(value, bool) else value


def summary_text(model, result, out: str | None) -> str:
    metrics = result.metrics
    flags = result.flags
    lived = [c["name"] for c in result.crew if c["alive"]]
    dead = [c["name"] for c in result.crew if not c["alive"]]
    lines = [
        "",
        f"Ending: {result.ending}"
        + (f" (day {day_of(result.ending_tick)})" if result.ending_tick else " (horizon)"),
        "Flags: "
        + "; ".join(f"{label}: {_flag_text(flags[name])}" for name, label in FLAGS.items()),
        f"Lived: {', '.join(lived) or 'nobody'}",
        f"Died: {', '.join(dead) or 'nobody'}",
        f"Robberies: {result.event_counts['robbery']}; price index "
        f"{metrics['price_index'].iloc[0]:.2f} -> {metrics['price_index'].iloc[-1]:.2f}; "
        f"players {int(metrics['players'].iloc[0]):,} -> {int(metrics['players'].iloc[-1]):,}; "
        f"planets {int(metrics['planets'].iloc[0])} -> {int(metrics['planets'].iloc[-1])}",
        f"{result.ticks} hours simulated in {result.wall_s:.2f} s; digest {result.digest}",
    ]
    if out:
        lines.append(f"Run record written to {out}")
    return "\n".join(lines)
