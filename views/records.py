"""Run records for the Replay and Why pages: listing, opening (cached), reading one tick.

Records are what `callister run --out DIR` and the live page's Save write (`world.record`).
Opening checks every file (`world.record_check`), so a hand-edited or broken record is one
clear error, never a traceback while scrubbing; it is cached per version of the files, so
scrubbing the timeline never re-reads them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from configuration.errors import UserError
from configuration.scenario import ScenarioConfig
from views.configs import runs_dir
from views.decisions import DecisionLog
from views.minds import Minds
from world.outputs import user_path
from world.record import OPTIONAL_FILES, RECORD_FILES, SUMMARY_FILE, RunRecord, read_record

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
    minds: Minds  # beliefs and feelings; their tables are None in records older than them

    @property
    def ticks(self) -> int:
        return len(self.metrics)


def list_records() -> list[Path]:
    """Complete records in the runs directory, newest first."""
    root = runs_dir()
    if not root.is_dir():
        return []
    found = [p.parent for p in root.glob(f"*/{SUMMARY_FILE}")]
    return sorted(found, key=_modified, reverse=True)


def _modified(directory: Path) -> float:
    try:
        return directory.stat().st_mtime
    except OSError:  # removed since it was listed: sorts last, and opening it says so
        return 0.0


@st.cache_resource(show_spinner="Opening the run record…", max_entries=4)
def _open(path: str, version: tuple[int, ...]) -> OpenedRecord:
    """Read and check once per record version; the result is only read from, never changed."""
    record = read_record(path)
    planets = {int(t): rows for t, rows in record.planets.groupby("tick")}
    events = [
        (int(t), str(k), str(x))
        for t, k, x in zip(
            record.events["tick"], record.events["kind"], record.events["text"], strict=True
        )
    ]
    return OpenedRecord(
        record=record,
        config=record.config,
        metrics=record.metrics.set_index("tick"),
        planets=planets,
        scene=record.scene,
        decisions=DecisionLog.from_record(record.decisions, f"{path}/decisions.parquet"),
        events=events,
        minds=Minds.from_record(record),
    )


def _version(directory: Path) -> tuple[int, ...]:
    """When each file of the record last changed: an edited file is read (and checked) again."""
    stamps = []
    for name in (*RECORD_FILES, *OPTIONAL_FILES):
        try:
            stamps.append(os.stat(directory / name).st_mtime_ns)
        except OSError:  # missing, a loop...: reading the record says what is wrong
            stamps.append(-1)
    return tuple(stamps)


def open_record(path: str | Path) -> OpenedRecord:
    """Open a record directory, every file checked; `UserError` with a clear message if not."""
    directory = user_path(path, "Run record")
    if not directory.is_dir():
        raise UserError(f"{directory}: no such directory (a run record is a directory).")
    if not os.path.lexists(directory / SUMMARY_FILE):
        raise UserError(
            f"{directory}: not a run record (no summary.json). Save one from the Live page "
            "or write one with `callister run --out DIR`."
        )
    resolved = directory.resolve()
    return _open(str(resolved), _version(resolved))


def opened_record() -> OpenedRecord | None:
    """The record the Replay page has open in this session (None if none or unreadable)."""
    path = st.session_state.get(OPENED_KEY)
    if not path:
        return None
    try:
        return open_record(path)
    except (UserError, OSError):
        return None
