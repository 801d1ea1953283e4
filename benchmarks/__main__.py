"""Run the registered benchmarks and print one table: `python -m benchmarks [module ...]`.

Exit status 1 when a case misses its target, 2 for an unknown module name.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys

from benchmarks import Result, format_seconds, measure

# Every benchmark module, in run order; a module not written yet is reported and skipped.
MODULES = ("brain", "world", "scale", "batch", "dashboard", "fork", "discover", "stories")


def _table(results: list[Result]) -> str:
    header = ("benchmark", "median", "min", "max", "target", "result")
    rows = [header]
    for r in results:
        verdict = {None: "-", True: "pass", False: "FAIL"}[r.passed]
        rows.append(
            (
                r.case.name,
                format_seconds(r.median_s),
                format_seconds(r.min_s),
                format_seconds(r.max_s),
                format_seconds(r.case.target_s) if r.case.target_s else "-",
                verdict,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = []
    for n, row in enumerate(rows):
        cells = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        lines.append("  ".join(cells))
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("modules", nargs="*", help=f"modules to run (default: all of {MODULES})")
    parser.add_argument("--repeats", type=int, default=None, help="override repeats per case")
    args = parser.parse_args(argv)
    unknown = [m for m in args.modules if m not in MODULES]
    if unknown:
        print(f"unknown benchmark module(s): {', '.join(unknown)}; known: {', '.join(MODULES)}")
        return 2
    results: list[Result] = []
    notes: list[str] = []
    for name in args.modules or MODULES:
        if importlib.util.find_spec(f"benchmarks.{name}") is None:
            print(f"[{name}] not present yet, skipped")
            continue
        module = importlib.import_module(f"benchmarks.{name}")
        mine = []
        for case in module.cases():
            result = measure(case, args.repeats)
            mine.append(result)
            print(f"[{name}] {case.name}: {format_seconds(result.median_s)}", file=sys.stderr)
        results += mine
        # Figures that are not a time per call (ratios, memory) come from an optional notes().
        if hasattr(module, "notes"):
            notes += module.notes(mine)
    print(_table(results))
    for line in notes:
        print(line)
    failed = any(r.passed is False for r in results) or any("FAIL" in line for line in notes)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
