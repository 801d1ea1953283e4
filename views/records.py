"""Run records for the Replay and Why pages: listing, opening (cached), reading one tick.

Records are what `callister run --out DIR` and the live page's Save write (`world.record`);
the dashboard adds an optional `scene.parquet` (`world.record_scene`). Opening is cached per
directory version, so scrubbing the timeline never re-reads the files.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from views.configs import runs_dir
from views.decisions import DecisionLog
from world.config import ScenarioConfig
from world.errors import UserError
from world.loading import validate_raw
from world.record import RunRecord, read_record
from world.record_scene import read_scene

OPENED_KEY = "replay_path"


@dataclass
class OpenedRecord:
    """A run record with what the pages derive from it once."""

    record: RunRecord
    config: ScenarioConfig
    metrics: pd.DataFrame  # indexed by tick
    planets: dict[int, pd.DataFrame]  # tick -> planets rows
    scene: pd.DataFrame | None
    decisions: DecisionLog
    events: list[tuple[int, str, str]]

    @property
    def ticks(self) -> int:
        return len(self.metrics)


def list_records() -> list[Path]:
    """Complete records in the runs directory, newest first."""
    root = runs_dir()
    if not root.is_dir():
        return []
    found = [p.parent for p in root.glob("*/summary.json")]
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)


@st.cache_resource(show_spinner="Opening the run record…", max_entries=4)
def _open(path: str, version: float) -> OpenedRecord:
    """Read once per record version; the result is only read from, never changed."""
    record = read_record(path)
    try:
        config = validate_raw(tomllib.loads(record.config_toml), f"{path}/config.toml")
    except tomllib.TOMLDecodeError as error:
        raise UserError(f"{path}/config.toml: TOML syntax error: {error}") from None
    metrics = record.metrics.set_index("tick") if "tick" in record.metrics else record.metrics
    planets = (
        {int(t): rows for t, rows in record.planets.groupby("tick")} if len(record.planets) else {}
    )
    events = [
        (int(t), str(k), str(x))
        for t, k, x in zip(
            record.events["tick"], record.events["kind"], record.events["text"], strict=True
        )
    ]
    return OpenedRecord(
        record=record,
        config=config,
        metrics=metrics,
        planets=planets,
        scene=read_scene(path),
        decisions=DecisionLog.from_record(record.decisions),
        events=events,
    )


def open_record(path: str | Path) -> OpenedRecord:
    """Open a record directory; `UserError` with a clear message if it is not one."""
    directory = Path(path).expanduser()
    if not directory.is_dir():
        raise UserError(f"{directory}: no such directory (a run record is a directory).")
    summary = directory / "summary.json"
    if not summary.exists():
        raise UserError(
            f"{directory}: not a run record (no summary.json). Save one from the Live page "
            "or write one with `callister run --out DIR`."
        )
    return _open(str(directory.resolve()), summary.stat().st_mtime)


def opened_record() -> OpenedRecord | None:
    """The record the Replay page has open in this session (None if none or unreadable)."""
    path = st.session_state.get(OPENED_KEY)
    if not path:
        return None
    try:
        return open_record(path)
    except (UserError, OSError, ValueError):
        return None
