"""The live run of one browser tab: the model, what its record needs, and the tab's controls.

`LiveRun` lives in `st.session_state["live"]` (one per tab, never a global cache: a model is
mutable). It only wires the world's own functions together — `build_model`, the run loop
`advance` with the replay recorder watching, `collect_result`, `write_record` — so the page
stays free of rules. A step that raises stops the run and is kept as its `failure`, for the
page to show.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import streamlit as st

from configuration.loading import config_to_toml
from views.configs import Scenario, runs_dir
from world import simulate as simulation
from world.model import CallisterModel
from world.record import ReplayRecorder, check_record_directory, galaxy_snapshot, write_record

LIVE_KEY = "live"
# The live page always keeps every candidate of every decision: the inspector needs them.
LIVE_TRACE = "full"


@dataclass
class LiveRun:
    """One run being watched: built from a scenario and a seed, stepped on demand."""

    label: str
    seed: int
    model: CallisterModel
    replay: ReplayRecorder = field(default_factory=ReplayRecorder)
    wall_s: float = 0.0
    saved_to: Path | None = None
    failure: str | None = None  # why the world stopped this run, if a step raised

    @classmethod
    def start(cls, scenario: Scenario, seed: int) -> LiveRun:
        model = simulation.build_model(scenario.config, seed=seed, trace=LIVE_TRACE)
        return cls(scenario.label, seed, model)

    @property
    def tick(self) -> int:
        return int(self.model.steps)

    @property
    def finished(self) -> bool:
        """Ended, reached the horizon, or stopped by a failure."""
        return self.failure is not None or not self.model.running

    def step(self, ticks: int = 1) -> int:
        """Advance up to `ticks` hours (fewer if the run ends or fails); returns how many ran.

        Any exception from the world stops the run instead of the page: it is kept in
        `failure`, naming the scenario, the seed, the tick and the error.
        """
        if self.finished:
            return 0
        started, before = time.perf_counter(), self.tick
        try:
            ran = simulation.advance(self.model, ticks, observers=(self.replay,))
        except Exception as error:  # a scenario the schema accepts may still fail here
            ran = self.tick - before - 1  # Mesa counts an hour before running it
            self.failure = (
                f"{self.label}, seed {self.seed}: the run failed at tick {self.tick} "
                f"and is stopped. {type(error).__name__}: {error}"
            )
        self.wall_s += time.perf_counter() - started
        return ran

    def run_to_end(self) -> int:
        return self.step(self.model.config.simulation.ticks)

    def save(self, root: Path | None = None) -> Path:
        """Write a run record under `root` (default: the runs directory).

        The name holds the scenario, seed, tick and time; one that exists already is refused
        (a `UserError` the page shows), never replaced.
        """
        stem = Path(self.label.removeprefix("uploaded: ")).stem or "run"
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        directory = (root or runs_dir()) / f"{stem}-seed{self.seed}-t{self.tick}-{stamp}"
        output = check_record_directory(directory, option="Save run record")
        result = simulation.collect_result(self.model, self.wall_s)
        write_record(
            output,
            config_to_toml(self.model.config),
            result,
            galaxy_snapshot(self.model.galaxy),
            self.replay,
        )
        self.saved_to = directory
        return directory


def live_run() -> LiveRun | None:
    """This tab's live run, if one has been started."""
    return st.session_state.get(LIVE_KEY)


def start_live_run(scenario: Scenario, seed: int) -> LiveRun:
    """Replace this tab's live run by a fresh one (what Reset does).

    The new run is built first: if building raises, the run being watched stays intact.
    """
    run = LiveRun.start(scenario, seed)
    previous = live_run()
    if previous is not None:
        previous.model.release()  # Mesa would otherwise keep every replaced model alive
    st.session_state[LIVE_KEY] = run
    return run
