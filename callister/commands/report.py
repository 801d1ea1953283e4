"""`callister report DIR [--json] [--html FILE]`: outcome statistics of a batch's results.

Plain text by default; `--json` prints one JSON object instead (for scripts); `--html FILE`
also writes a self-contained HTML report with plots (checked before the report is built; an
existing file is replaced only if it is a report Callister wrote, or with `--force`). Works on
an unfinished batch too (it says how many runs are missing) and while a batch is still writing
into DIR.
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
        default=None,
        metavar="FILE",
        help="also write an HTML report with plots to FILE; an existing FILE is replaced only "
        "if it is a report Callister wrote",
    )
    parser.add_argument(
        "--force", action="store_true", help="let --html replace a file Callister did not write"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from configuration.errors import UserError
    from experiments.html_report import check_html_output, write_html
    from experiments.report import build_report
    from experiments.report_text import render_text

    if not args.out_dir.is_dir():
        raise UserError(
            f"{args.out_dir}: no such results directory; "
            "run `callister batch EXPERIMENT --out DIR` first."
        )
    # before any work: a refused --html must not cost building the report first
    html = None if args.html is None else check_html_output(args.html, force=args.force)
    report = build_report(args.out_dir)
    text = (
        json.dumps(report, indent=2, allow_nan=False) + "\n" if args.json else render_text(report)
    )
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:  # `callister report DIR | head`: the reader left, that is fine
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    if html is not None:
        write_html(report, args.out_dir, html)
        print(f"HTML report written to {args.html}", file=sys.stderr)
    return 0
