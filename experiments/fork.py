"""What-if forks: branch a run at tick T under a change, and measure what the change does.

`prepare` checks a fork before any work that matters (the prefix is simulated once, in the
driver, to check T and the forced choices); `run_fork` plays every replicate's pair of
futures on the batch runners (local processes or Dask) and gathers them into a `ForkReport`,
identical for any number of workers: pairs are keyed by replicate, never by arrival.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from configuration.errors import UserError
from configuration.limits import bounds_of
from configuration.loading import ConfigError, dump_resolved
from configuration.scenario import Simulation
from experiments.fork_effects import INTERVAL_METHOD, Effect, effects
from experiments.fork_pairs import (
    Fork,
    PairFailure,
    PairOutcome,
    PairTask,
    execute_pair,
    simulate_prefix,
)
from experiments.runners import drive, open_backend
from experiments.worker import local_initializer
from world.branching import change_rules, check_changeable, copy_model, force_choice
from world.model import CallisterModel

MAX_REPLICATES = 100_000


@dataclass
class PreparedFork:
    """A checked fork: its plain description, the prefix model and the branch's config."""

    fork: Fork
    prefix: CallisterModel
    branch_config: Any
    changed: list[str]  # the dotted keys the --set changes touch


@dataclass
class ForkReport:
    """Every pair of futures, in replicate order, and the effects over them."""

    fork: Fork
    replicates: int
    changed: list[str]
    pairs: list[PairOutcome]
    failures: dict[int, str] = field(default_factory=dict)  # replicate -> why it failed

    @property
    def effects(self) -> list[Effect]:
        return effects(self.pairs) if self.pairs else []

    def to_json(self) -> dict[str, Any]:
        """The object `callister fork --json` prints."""
        return {
            "seed": self.fork.seed,
            "at": self.fork.at,
            "replicates": self.replicates,
            "changes": {
                "set": list(self.fork.sets),
                "force": [f"{who}.{action}" for who, action in self.fork.forces],
                "keys": self.changed,
            },
            "interval": INTERVAL_METHOD,
            "pairs": [_pair_json(pair) for pair in self.pairs],
            "failed": [
                {"replicate": replicate, "error": error}
                for replicate, error in sorted(self.failures.items())
            ],
            "effects": [effect.to_json() for effect in self.effects],
        }


def _pair_json(pair: PairOutcome) -> dict[str, Any]:
    return {
        "replicate": pair.replicate,
        "baseline_digest": pair.baseline.digest,
        "branch_digest": pair.branch.digest,
        "baseline_ending": pair.baseline.ending,
        "branch_ending": pair.branch.ending,
        "diverged_at": pair.diverged_at,
        "branch_events": pair.branch_events,
    }


def parse_forces(texts: Sequence[str]) -> tuple[tuple[str, str], ...]:
    """`--force who.action` texts as (who, action) pairs; `UserError` for a malformed one."""
    forces = []
    for text in texts:
        who, dot, action = text.strip().partition(".")
        if not dot or not who or not action or "." in action:
            raise UserError(
                f"--force {text!r}: write CHARACTER.ACTION or ROLE.ACTION, e.g. captain.warp "
                "or walton.invite_party."
            )
        forces.append((who, action))
    return tuple(forces)


def check_replicates(replicates: int) -> None:
    if not 1 <= replicates <= MAX_REPLICATES:
        raise UserError(f"--replicates {replicates}: must be from 1 to {MAX_REPLICATES:,}.")


def prepare(
    config: Any,
    source: str,
    *,
    seed: int | None,
    at: int,
    sets: Sequence[str] = (),
    forces: Sequence[str] = (),
) -> PreparedFork:
    """Check a fork of `config` (validated, without the fork's --set) and play its prefix.

    Every problem is a `UserError` naming the option: a seed out of bounds, T before 0 or at
    or after the run's end, a change that fails validation or cannot change mid-run, a forced
    choice that is unknown or impossible at T.
    """
    seed = config.simulation.seed if seed is None else seed
    low, high = bounds_of(Simulation.model_fields["seed"].metadata).whole()
    if (low is not None and seed < low) or (high is not None and seed > high):
        raise UserError(f"--seed {seed}: must be from {low} to {high}.")
    if at < 0:
        raise UserError(f"--at {at}: must be 0 or more (the hours already played).")
    horizon = config.simulation.ticks
    if at >= horizon:
        raise UserError(f"--at {at}: the run's horizon is {horizon} hours; fork before it.")
    fork = Fork(dump_resolved(config), source, seed, at, tuple(sets), parse_forces(forces))
    try:
        branch_config = fork.branch_config()
    except ConfigError as error:
        raise UserError(str(error)) from None  # it names the --set already
    changed = check_changeable(config, branch_config)
    prefix = simulate_prefix(fork)
    if not prefix.running:
        raise UserError(
            f"--at {at}: this run (seed {seed}) is over after {prefix.steps} hours; "
            f"fork at {prefix.steps - 1} or earlier."
        )
    trial = copy_model(prefix)
    try:
        change_rules(trial, branch_config)
        for who, action in fork.forces:
            force_choice(trial, who, action)
    finally:
        trial.release()
    return PreparedFork(fork, prefix, branch_config, changed)


def run_fork(
    prepared: PreparedFork,
    replicates: int,
    *,
    workers: int = 1,
    dask: str | None = None,
    series_every: int = 0,
    on_pair: Callable[[PairOutcome], None] | None = None,
) -> ForkReport:
    """Play `replicates` pairs of futures on the runners; the report lists them in order.

    `series_every` > 0 keeps each future's metrics every that many hours (what `--out` stores).
    """
    check_replicates(replicates)
    fork = prepared.fork
    found: dict[int, PairOutcome] = {}
    failures: dict[int, str] = {}

    def keep(task: PairTask, outcome: PairOutcome | PairFailure) -> None:
        if isinstance(outcome, PairFailure):
            failures[task.run_id] = outcome.error
            return
        found[task.run_id] = outcome
        if on_pair is not None:
            on_pair(outcome)

    def crashed(task: PairTask, message: str) -> None:
        failures[task.run_id] = message

    tasks = (PairTask(replicate, fork, series_every) for replicate in range(replicates))
    with open_backend(workers, dask, local_initializer()) as backend:
        drive(backend, execute_pair, tasks, keep, crashed)
    pairs = [found[replicate] for replicate in sorted(found)]
    return ForkReport(fork, replicates, prepared.changed, pairs, failures)
