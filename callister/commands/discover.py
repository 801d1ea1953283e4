"""`callister discover DIR --outcome ...`: which ranges of the swept parameters lead to an outcome.

PRIM (or CART) over the design points of a finished batch, each point weighted by its runs:
the peeling trajectory and the boxes, best first, with density intervals, quasi-p values and
the stability of each limit under bootstrap resampling. `--json` prints one object;
`--html FILE` also writes a page with plots (never over a file Callister did not write,
unless `--force`).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

LIMITS = {
    "peel_alpha": (0.01, 0.5),
    "paste_alpha": (0.01, 0.5),
    "min_mass": (0.001, 0.5),
    "boxes": (1, 20),
    "resamples": (0, 1000),
}


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "out_dir", metavar="DIR", type=Path, help="results directory of a finished batch"
    )
    parser.add_argument(
        "--outcome",
        required=True,
        metavar="ending=ID|flag=NAME|event=KIND|story=PATTERN",
        help="what to explain: an ending, a yes/no flag, at least one event of a kind, or a "
        "story pattern of configs/stories/episode.toml (story=mutiny)",
    )
    parser.add_argument("--method", choices=("prim", "cart"), default="prim")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--html", metavar="FILE", help="also write a page with plots to FILE")
    parser.add_argument("--force", action="store_true", help="let --html replace any file")
    parser.add_argument("--peel-alpha", type=float, default=0.05, help="share peeled per step")
    parser.add_argument("--paste-alpha", type=float, default=0.05, help="share pasted per step")
    parser.add_argument(
        "--min-mass", type=float, default=0.05, help="smallest box, as a share of the runs"
    )
    parser.add_argument("--boxes", type=int, default=3, help="at most this many boxes")
    parser.add_argument(
        "--resamples", type=int, default=50, help="bootstrap resamples for stability (0: none)"
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the resampling")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from configuration.errors import UserError
    from experiments.discover import discover
    from experiments.discover_boxes import Settings
    from experiments.discover_pages import check_discover_html, render_text, write_page

    for name, (low, high) in LIMITS.items():
        value = getattr(args, name)
        if not low <= value <= high:
            raise UserError(f"--{name.replace('_', '-')} {value}: allowed {low} to {high}")
    if not args.out_dir.is_dir():
        raise UserError(
            f"{args.out_dir}: no such results directory; "
            "run `callister batch EXPERIMENT --out DIR` first."
        )
    html = None if args.html is None else check_discover_html(args.html, force=args.force)
    settings = Settings(
        peel_alpha=args.peel_alpha,
        paste_alpha=args.paste_alpha,
        min_mass=args.min_mass,
        max_boxes=args.boxes,
    )
    result = discover(args.out_dir, args.outcome, args.method, settings, args.resamples, args.seed)
    if args.json:
        sys.stdout.write(json.dumps(result, indent=2, allow_nan=False) + "\n")
    else:
        sys.stdout.write(render_text(result))
    if html is not None:
        write_page(result, html)
        print(f"HTML page written to {args.html}", file=sys.stderr)
    return 0
