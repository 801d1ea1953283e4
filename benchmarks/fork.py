"""Fork benchmarks: what a fork costs beside the bare work it stands for, on 1 and 2 workers.

The fork: the default scenario, seed 1, at day 10 (T = 240), Walton's invite party weighted 0
from T on (the docs' worked example). Each round plays the same fork three ways, in one
process, the order rotating from round to round (a shared machine drifts over minutes):

- reference: the prefix simulated once, then the 2 x N suffixes (the baseline and the branch
  of every replicate) played bare, one after the other: copy the prefix, reseed (replicate
  > 0), change the rules (branch), advance to the end, collect the run's result (its digest);
  no worker, no driver, no divergence trail;
- 1 worker: `prepare` + `run_fork(workers=1)`, as `callister fork` does them (worker start-up,
  the worker's own prefix, the divergence trail, effects);
- 2 workers: the same on 2 workers.

Every round checks that all three produce the same digests (the bench measures the right
work). Targets (issue 14): 1 worker <= 1.2x the reference, 2 workers >= 1.7x faster than 1.

Cases: `fork 100 replicates` (one timed round: ~3 minutes on an idle 2-core machine; the
harness's untimed warm-up round uses 4 replicates) and `fork 20 replicates` (5 timed rounds,
for medians). The ratios are lines under the table (`notes`), from the medians of each way.
`python -m benchmarks.fork` runs the same cases without the table.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from benchmarks import Case, Result, format_seconds, measure
from configuration.loading import load_config
from experiments.fork import PreparedFork, prepare, run_fork
from experiments.fork_pairs import start_future
from world.simulate import advance, collect_result

DEFAULT = Path(__file__).resolve().parents[1] / "configs" / "default.toml"
SEED, AT = 1, 240
CHANGE = "agents.walton.actions.invite_party.weight=0"
OVERHEAD_TARGET = 1.2  # 1 worker over the reference
SPEEDUP_TARGET = 1.7  # 2 workers over 1
WARM_UP_REPLICATES = 4


def prepared_fork() -> PreparedFork:
    config = load_config(DEFAULT)
    return prepare(config, str(DEFAULT), seed=SEED, at=AT, sets=[CHANGE])


def reference(replicates: int) -> list[tuple[str, str]]:
    """The prefix once and every suffix bare, in this process: (baseline, branch) digests."""
    prepared = prepared_fork()  # checks the fork and simulates its prefix, once
    fork, prefix = prepared.fork, prepared.prefix
    digests = []
    for replicate in range(replicates):
        pair = []
        for rules in (None, prepared.branch_config):  # the baseline, then the branch
            started = time.perf_counter()
            model = start_future(prefix, fork, replicate, rules)
            advance(model)
            pair.append(collect_result(model, time.perf_counter() - started).digest)
            model.release()
        digests.append((pair[0], pair[1]))
    return digests


def forked(replicates: int, workers: int) -> list[tuple[str, str]]:
    """The fork as the command runs it: checked and prepared, then played on `workers`."""
    report = run_fork(prepared_fork(), replicates, workers=workers)
    if report.failures:
        raise RuntimeError(f"fork replicates failed: {report.failures}")
    return [(pair.baseline.digest, pair.branch.digest) for pair in report.pairs]


WAYS = {
    "reference": reference,
    "1 worker": lambda replicates: forked(replicates, 1),
    "2 workers": lambda replicates: forked(replicates, 2),
}


class ForkRounds:
    """One call = one round: the fork played the three ways, in a rotating order, each timed.

    The harness times the whole round (its median is reported in the table); the per-way
    times, kept here, give the ratios. The first call is the harness's untimed warm-up.
    """

    def __init__(self, replicates: int) -> None:
        self.replicates = replicates
        self.calls = 0
        self.seconds: dict[str, list[float]] = {way: [] for way in WAYS}

    def __call__(self) -> None:
        warm_up = self.calls == 0
        names = list(WAYS)
        shift = self.calls % len(names)
        self.calls += 1
        replicates = WARM_UP_REPLICATES if warm_up else self.replicates
        digests = {}
        for name in names[shift:] + names[:shift]:
            started = time.perf_counter()
            digests[name] = WAYS[name](replicates)
            if not warm_up:
                self.seconds[name].append(time.perf_counter() - started)
        if len({tuple(found) for found in digests.values()}) != 1:
            raise RuntimeError("the reference and the fork's runners disagree on the futures")


def cases() -> list[Case]:
    return [
        Case("fork 100 replicates: reference, 1 worker, 2 workers", ForkRounds(100), repeats=1),
        Case("fork 20 replicates: reference, 1 worker, 2 workers", ForkRounds(20), repeats=5),
    ]


def notes(results: list[Result]) -> list[str]:
    """Per case: the median time of each way, 1 worker over the reference, 2 workers over 1."""
    lines = []
    for result in results:
        rounds = result.case.run
        if not isinstance(rounds, ForkRounds) or not rounds.seconds["reference"]:
            continue
        median = {way: statistics.median(times) for way, times in rounds.seconds.items()}
        overhead = median["1 worker"] / median["reference"]
        speedup = median["1 worker"] / median["2 workers"]
        lines.append(
            f"fork: {rounds.replicates} replicates ({2 * rounds.replicates} suffixes from T = "
            f"{AT}), medians of {len(rounds.seconds['reference'])} round(s): reference "
            f"{format_seconds(median['reference'])}, 1 worker "
            f"{format_seconds(median['1 worker'])}, 2 workers "
            f"{format_seconds(median['2 workers'])}; 1 worker / reference {overhead:.2f}x "
            f"(target <= {OVERHEAD_TARGET}x: {_verdict(overhead <= OVERHEAD_TARGET)}); "
            f"1 / 2 workers {speedup:.2f}x (target >= {SPEEDUP_TARGET}x: "
            f"{_verdict(speedup >= SPEEDUP_TARGET)})"
        )
    return lines


def _verdict(passed: bool) -> str:
    return "pass" if passed else "FAIL"


def main() -> int:
    results = []
    for case in cases():
        result = measure(case)
        print(f"{case.name}: median {format_seconds(result.median_s)}", file=sys.stderr)
        results.append(result)
    lines = notes(results)
    for line in lines:
        print(line, file=sys.stderr)
    return 1 if any("FAIL" in line for line in lines) else 0


if __name__ == "__main__":
    sys.exit(main())
