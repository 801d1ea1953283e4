"""`callister stories RESULTS|RECORD [--patterns FILE] [--json]`: the story patterns of runs.

On a batch's results directory: each pattern's share of the ok runs with a Wilson interval,
overall and per design point, rarest first. On one run record (`callister run --out DIR`):
each pattern of the file (default `configs/stories/episode.toml`) with its matches, every
beat's hour and event. `--json` prints one object instead (docs/stories.md).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "record",
        metavar="RESULTS|RECORD",
        type=Path,
        help="a batch's results directory, or a run record written by `callister run --out`",
    )
    parser.add_argument(
        "--patterns",
        metavar="FILE",
        default=None,
        help="story pattern file (TOML; default: configs/stories/episode.toml)",
    )
    parser.add_argument("--json", action="store_true", help="print the matches as JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from experiments.store import is_batch_directory
    from experiments.stories_batch import batch_stories
    from experiments.stories_language import DEFAULT_PATTERNS, load_patterns
    from experiments.stories_report import (
        record_stories,
        render_batch_stories,
        render_stories,
    )
    from world.record import read_record

    # the patterns first: a bad file is refused before any record is read
    patterns = load_patterns(DEFAULT_PATTERNS if args.patterns is None else args.patterns)
    if args.record.is_dir() and is_batch_directory(args.record):
        report, render = batch_stories(patterns, args.record), render_batch_stories
    else:
        report, render = record_stories(patterns, read_record(args.record)), render_stories
    text = json.dumps(report, indent=2, allow_nan=False) + "\n" if args.json else render(report)
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:  # `callister stories RECORD | head`: the reader left, that is fine
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0
