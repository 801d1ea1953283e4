"""The What if… page's data: where a fork starts, the changes it makes, and the branch tree.

A `ForkOrigin` is a run at one tick — the live run as it stands, or a record at the replay
slider's tick — as the plain facts a fork needs (scenario, seed, T). Forks themselves are the
world's and the experiments' (`experiments.fork.prepare` and `run_fork`); this module only
gathers their reports into a tree kept in `st.session_state`: one root per original run, its
forks beneath it. Forks are made from the original run only, never from another fork.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from configuration.errors import UserError
from configuration.loading import ConfigError, config_to_toml, dump_resolved
from experiments.fork import ForkReport, PreparedFork, prepare, run_fork
from experiments.fork_pairs import Fork, PairOutcome, simulate_prefix
from world.branching import check_changeable, find_character, possible_choices

TREE_KEY = "whatif_tree"
ORIGIN_KEY = "whatif_origin"
PREFIX_KEY = "whatif_prefix"


@dataclass(frozen=True)
class ForkOrigin:
    """A run at tick `at`: what a fork of it starts from."""

    source: str  # "live" or "replay"
    label: str  # the scenario's name, or the record's directory
    seed: int
    at: int  # hours already played (what Live and Replay show at this tick)
    config: Any  # the run's validated scenario (`ScenarioConfig`)

    @property
    def run_key(self) -> tuple[str, int, str]:
        """Which original run this is: forks at any tick of it share one root of the tree."""
        return (self.label, self.seed, config_to_toml(self.config))


def origin_from_live(run) -> ForkOrigin:
    """The live run (`views.state.LiveRun`) at the tick it has reached."""
    return ForkOrigin("live", run.label, int(run.seed), int(run.tick), run.model.config)


def origin_from_record(opened, tick: int) -> ForkOrigin:
    """A record open in Replay (`views.records.OpenedRecord`) at the slider's tick."""
    record = opened.record
    seed = record.summary.get("seed", opened.config.simulation.seed)
    return ForkOrigin("replay", str(record.path), int(seed), int(tick), opened.config)


@dataclass
class ForkEntry:
    """One fork in the tree: where it started, what it changed, and what it came to."""

    number: int  # 1, 2, ... in the order made, within its root
    origin: ForkOrigin
    sets: tuple[str, ...]
    forces: tuple[str, ...]
    report: ForkReport

    @property
    def fork(self) -> Fork:
        return self.report.fork

    @property
    def label(self) -> str:
        changes = "; ".join((*self.sets, *(f"force {force}" for force in self.forces)))
        where = f"fork {self.number} at T={self.origin.at}"
        return f"{where}: {changes or 'no change'} · {self.report.replicates} replicates"


@dataclass
class TreeRoot:
    """An original run and the forks made from it."""

    origin: ForkOrigin  # the tick of the first fork asked for; the run is what matters
    forks: list[ForkEntry] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"original: {self.origin.label}, seed {self.origin.seed}"


def tree() -> list[TreeRoot]:
    """This session's branch tree: one root per original run, in the order first forked."""
    return st.session_state.setdefault(TREE_KEY, [])


def root_of(origin: ForkOrigin) -> TreeRoot:
    """The tree's root for `origin`'s run, added when it is new."""
    roots = tree()
    for root in roots:
        if root.origin.run_key == origin.run_key:
            return root
    roots.append(TreeRoot(origin))
    return roots[-1]


def set_text(key: str, value: float) -> str:
    """One `--set` text for a number (Python's float repr is valid TOML: 0.5, 1e-05, inf)."""
    return f"{key}={float(value)!r}"


def check_set(origin: ForkOrigin, text: str) -> list[str]:
    """The dotted keys one `--set` text changes; `UserError` when it is invalid or unchangeable."""
    fork = Fork(dump_resolved(origin.config), origin.label, origin.seed, origin.at, (text,))
    try:
        branch = fork.branch_config()
    except ConfigError as error:  # in the words `prepare` uses
        raise UserError(f"the fork's --set: {error}") from None
    return check_changeable(origin.config, branch)


def prefix_model(origin: ForkOrigin):
    """The original run played to T (kept for the page: the force picker reads it)."""
    kept = st.session_state.get(PREFIX_KEY)
    if kept is not None and kept[0] == (origin.run_key, origin.at):
        return kept[1]
    if kept is not None:
        kept[1].release()  # Mesa would otherwise keep every replaced model alive
    fork = Fork(dump_resolved(origin.config), origin.label, origin.seed, origin.at)
    model = simulate_prefix(fork)
    st.session_state[PREFIX_KEY] = ((origin.run_key, origin.at), model)
    return model


def choices_at(origin: ForkOrigin, who: str) -> list[str]:
    """What `who` (a character's key) could choose in hour T + 1 of the original run."""
    model = prefix_model(origin)
    return possible_choices(model, find_character(model, who))


def make_fork(
    origin: ForkOrigin,
    sets: tuple[str, ...],
    forces: tuple[str, ...],
    replicates: int,
    workers: int,
    on_pair: Callable[[PairOutcome], None] | None = None,
) -> ForkEntry:
    """Check, run and add a fork to the tree; `UserError` (nothing added) for a bad one."""
    prepared: PreparedFork = prepare(
        origin.config, origin.label, seed=origin.seed, at=origin.at, sets=sets, forces=forces
    )
    try:
        report = run_fork(prepared, replicates, workers=workers, on_pair=on_pair)
    finally:
        prepared.prefix.release()
    root = root_of(origin)
    entry = ForkEntry(len(root.forks) + 1, origin, tuple(sets), tuple(forces), report)
    root.forks.append(entry)
    return entry
