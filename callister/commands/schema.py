"""`callister schema [--format markdown|json]`: the config reference, generated from the schema."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from world.errors import UserError


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=("markdown", "json"),
        default="markdown",
        help="markdown: the human reference (docs/config-reference.md); json: a JSON Schema",
    )
    parser.add_argument(
        "-o", "--output", metavar="FILE", help="write to FILE instead of standard output"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from world.schema_doc import reference_json, reference_markdown

    text = reference_markdown() if args.format == "markdown" else reference_json()
    if not args.output:
        sys.stdout.write(text)
        return 0
    try:
        Path(args.output).write_text(text, encoding="utf-8")
    except OSError as error:
        raise UserError(f"{args.output}: cannot write ({error.strerror})") from None
    return 0
