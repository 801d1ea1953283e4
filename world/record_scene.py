"""Who is where, tick by tick, beyond what a run record already holds: the replay's scene.

A run record (`world.record`) keeps the ship's planet in its metrics and the hunters per
planet in `planets.parquet`, but not whether Walton's or the real Nanette's avatar is logged
in, whether the ship still exists or whether Infinity does. `SceneRecorder` samples those
four facts each tick and writes them as `scene.parquet` next to a record; `read_scene` gives
None for records written without it (by versions before the scene existed), and the replay
then leaves the avatars out rather than guessing. Read-only towards the model.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from world.record_check import SCENE_SCHEMA, read_frame

SCENE_FILE = "scene.parquet"
SCENE_COLUMNS = tuple(SCENE_SCHEMA.columns)


class SceneRecorder:
    """Call once per tick after `model.step()`, like `world.record.ReplayRecorder`."""

    def __init__(self) -> None:
        self.rows: list[tuple[int, bool, bool, bool, bool]] = []

    def __call__(self, model) -> None:
        self.rows.append(
            (
                int(model.steps),
                bool(model.walton.in_game),
                bool(model.nanette.in_game),
                bool(model.ship.destroyed),
                bool(model.galaxy.alive),
            )
        )

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows, columns=list(SCENE_COLUMNS))


def write_scene(directory: str | Path, recorder: SceneRecorder) -> Path:
    """Write `scene.parquet` into an existing record directory."""
    path = Path(directory) / SCENE_FILE
    recorder.frame().to_parquet(path, index=False)
    return path


def read_scene(directory: str | Path) -> pd.DataFrame | None:
    """The scene of a record, checked and indexed by tick; None when the record has none."""
    path = Path(directory) / SCENE_FILE
    if not os.path.lexists(path):
        return None
    return read_frame(path, SCENE_SCHEMA).set_index("tick")
