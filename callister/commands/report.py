"""`callister report DIR [--json] [--html FILE]`: outcome statistics of a batch's results.

Plain text by default; `--json` prints one JSON object instead (for scripts); `--html FILE`
also writes a self-contained HTML report with plots. Works on an unfinished batch too (it
says how many runs are missing) and while a batch is still writing into DIR.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "out_dir", metavar="DIR", type=Path, help="results directory written by `callister batch`"
    )
    parser.add_argument("--json", action="store_true", help="print the statistics as JSON")
    parser.add_argument(
        "--html",
        type=Path,
        default=None,
        metavar="FILE",
        help="also write an HTML report with plots to FILE",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from experiments.report import build_report
    from experiments.report_text import render_text
    from world.errors import UserError

    if not args.out_dir.is_dir():
        raise UserError(
            f"{args.out_dir}: no such results directory; "
            "run `callister batch EXPERIMENT --out DIR` first."
        )
    report = build_report(args.out_dir)
    text = (
        json.dumps(report, indent=2, allow_nan=False) + "\n" if args.json else render_text(report)
    )
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:  # `callister report DIR | head`: the reader left, that is fine
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    if args.html is not None:
        from experiments.html_report import write_html

        try:
            write_html(report, args.out_dir, args.html)
        except OSError as error:
            raise UserError(
                f"--html {args.html}: cannot write the report ({error.strerror})."
            ) from None
        print(f"HTML report written to {args.html}", file=sys.stderr)
    return 0
