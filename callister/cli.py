"""`callister`: the command line, a thin front door over configuration/, world/, experiments/.

Each sub-command lives in `callister/commands/<name>.py` with `register(subparsers)`;
modules are imported only when their command runs, so `callister --help` stays fast.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
import traceback

# sysexits' EX_SOFTWARE: apart from 1 (a batch with failed runs) and 2 (bad input).
INTERNAL_ERROR = 70
TRACEBACK_VARIABLE = "CALLISTER_TRACEBACK"
EXIT_CODES = (
    "exit codes: 0 done; 2 bad input (one message naming the file and key); 1 a batch or fork "
    "finished with failed runs or pairs; 70 an error inside Callister (a bug); 130 interrupted"
)
COMMANDS = {
    "run": "run one simulation and tell its story",
    "validate": "check a scenario config; exit 2 listing every error",
    "schema": "print the config reference generated from the schema",
    "batch": "run or resume an experiment (sweeps, replicates) into a results directory",
    "report": "print outcome statistics of a results directory",
    "fork": "what if? fork a run at hour T under a change; the effect on its endings",
    "discover": "which ranges of the swept parameters lead to an outcome (PRIM, CART)",
    "verify": "does a discovered box hold? fresh runs inside it and in its complement",
    "stories": "find story patterns (a mutiny, a rescue, the aired ending) in a batch or a run",
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own exit code is 2 as well
        self.print_usage(sys.stderr)
        self.exit(2, f"error: {message}\n")


def build_parser(argv: list[str]) -> argparse.ArgumentParser:
    parser = _Parser(prog="callister", description=__doc__.splitlines()[0], epilog=EXIT_CODES)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    wanted = next((arg for arg in argv if arg in COMMANDS), None)
    for name, help_text in COMMANDS.items():
        if wanted in (None, name):
            module = importlib.import_module(f"callister.commands.{name}")
            module.register(sub.add_parser(name, help=help_text, description=help_text))
        else:
            sub.add_parser(name, help=help_text)
    return parser


def main(argv: list[str] | None = None) -> int:
    from configuration.errors import UserError

    argv = sys.argv[1:] if argv is None else argv
    args = build_parser(argv).parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except UserError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `callister run --json | head`: the reader left, not an error
        sys.stderr.close()
        return 0
    except Exception as error:
        # The last line of defence: every door refuses bad input with its own message first,
        # so reaching this is a bug -- still told in one line, the traceback on request.
        print(_bug_message(args.command, error), file=sys.stderr)
        if os.environ.get(TRACEBACK_VARIABLE):
            traceback.print_exc()
        return INTERNAL_ERROR


def _bug_message(command: str, error: Exception) -> str:
    if isinstance(error, MemoryError | RecursionError):
        limit = "ran out of memory" if isinstance(error, MemoryError) else "nested too deep"
        what = (
            f"{limit} for Python ({type(error).__name__}); its input should have been "
            "refused with a clear message instead"
        )
    else:
        text = " ".join(str(error).split())[:200]
        what = f"failed: {type(error).__name__}" + (f": {text}" if text else "")
    return (
        f"error: `callister {command}` {what}. This is a bug in Callister: please report it "
        f"with the command and the input that caused it ({TRACEBACK_VARIABLE}=1 shows the "
        "traceback)."
    )


def console() -> None:
    """The `callister` program: `main`, then exit without a last garbage collection."""
    code = main()
    # Nothing is left to collect at exit, and a final pass over every object of pandas,
    # pyarrow and the world costs a tenth of a second or more.
    gc.freeze()
    sys.exit(code)
