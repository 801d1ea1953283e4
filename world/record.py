"""Run records: everything needed to reopen and replay a run, in open formats (JSON, Parquet).

A record directory holds `summary.json` (the `--json` object), `config.toml` (the resolved
scenario), `metrics.parquet` (one row per tick), `events.parquet`, `decisions.parquet` (at
the configured trace level), `galaxy.json` (planets and lanes with the tick each planet was
built), `planets.parquet` (players online and hunters per planet per tick),
`scene.parquet` (who is logged in, whether the ship and Infinity still exist), and
`beliefs.parquet` / `feelings.parquet` (what each character learned, how and from whom; every
change of trust and grievance with its cause: `world.record_minds`). Writing goes
through the shared write policy (`world.outputs`); reading checks every file against its
schema (`world.record_check`), since a record on disk may have been edited or damaged.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from configuration.errors import UserError
from configuration.scenario import ScenarioConfig
from configuration.toml_input import read_text
from world.outputs import OutputDirectory, check_output_directory, publish_directory, user_path
from world.record_check import (
    DECISIONS_SCHEMA,
    EVENTS_SCHEMA,
    METRICS_SCHEMA,
    PLANETS_SCHEMA,
    RECORD_FILE,
    read_config,
    read_frame,
    read_json,
)
from world.record_minds import BELIEFS_FILE, FEELINGS_FILE, read_minds, write_minds
from world.record_scene import SCENE_FILE, SceneRecorder, read_scene, write_scene
from world.record_shapes import GALAXY_SHAPE, SUMMARY_SHAPE, check_galaxy

SUMMARY_FILE = "summary.json"
RECORD_FILES = (
    SUMMARY_FILE,
    "config.toml",
    "metrics.parquet",
    "events.parquet",
    "decisions.parquet",
    "galaxy.json",
    "planets.parquet",
)
# Written by every record now, absent from records of older versions (which still open).
OPTIONAL_FILES = (SCENE_FILE, BELIEFS_FILE, FEELINGS_FILE)


class ReplayRecorder:
    """Collects per-tick snapshots the metrics table does not hold (who is where)."""

    def __init__(self) -> None:
        self.online: list[np.ndarray] = []
        self.hunters: list[np.ndarray] = []
        self.scene = SceneRecorder()

    def __call__(self, model) -> None:
        self.scene(model)
        self.online.append(model.population.online.astype(np.float32))
        counts = np.zeros(model.galaxy.size, dtype=np.int32)
        for player in model.vengeful:
            counts[player.planet] += 1
        self.hunters.append(counts)

    def planets_frame(self) -> pd.DataFrame:
        rows = []
        for tick, (online, hunters) in enumerate(zip(self.online, self.hunters, strict=True), 1):
            rows.append(
                pd.DataFrame(
                    {
                        "tick": tick,
                        "planet": np.arange(len(online)),
                        "online": online,
                        "hunters": hunters,
                    }
                )
            )
        if not rows:
            return pd.DataFrame(columns=["tick", "planet", "online", "hunters"])
        return pd.concat(rows, ignore_index=True)


def galaxy_snapshot(galaxy) -> dict:
    nodes = [
        {
            "id": node,
            "name": data["name"],
            "kind": data["kind"],
            "x": data["pos"][0],
            "y": data["pos"][1],
            "created_tick": data["created_tick"],
            "attractiveness": data["attractiveness"],
        }
        for node, data in sorted(galaxy.graph.nodes(data=True))
    ]
    edges = [
        {"source": a, "target": b, "distance": d}
        for a, b, d in sorted(galaxy.graph.edges(data="distance"))
    ]
    return {"nodes": nodes, "edges": edges, "heart": galaxy.heart, "xj500": galaxy.xj500}


def holds_record(directory: Path) -> bool:
    """True when `directory` holds a run record (its `summary.json` is written last)."""
    return (directory / SUMMARY_FILE).is_file()


def check_record_directory(
    path: str | os.PathLike[str], *, option: str = "--out", force: bool = False
) -> OutputDirectory:
    """Check where a record will go, before any work: a new or empty directory, or `force`.

    An existing record, or a non-empty directory Callister did not write, is refused (naming
    `option`) unless `force`; a path under a file or in a read-only place is refused always.
    """
    return check_output_directory(
        path, option=option, force=force, ours=holds_record, holds="a run record"
    )


def write_record(
    output: OutputDirectory,
    config_toml: str,
    result,
    galaxy: dict,
    recorder: ReplayRecorder,
) -> Path:
    """Write a run record into the checked directory; it appears whole or not at all.

    Forced into an existing record, any record file this one does not write again is
    removed, so a record never mixes two runs; files that are not record files are kept.
    """

    def fill(staging: Path) -> None:
        (staging / "config.toml").write_text(config_toml, encoding="utf-8")
        result.metrics.reset_index().to_parquet(staging / "metrics.parquet", index=False)
        events = pd.DataFrame(
            [e.to_dict() for e in result.events], columns=["tick", "kind", "actors", "text"]
        )
        events.to_parquet(staging / "events.parquet", index=False)
        decisions = pd.DataFrame(
            [
                {
                    **{k: v for k, v in d.items() if k != "trace"},
                    "trace": json.dumps(d["trace"]) if "trace" in d else None,
                }
                for d in result.decisions
            ],
            columns=["tick", "character", "role", "action", "score", "trace"],
        )
        if len(result.beliefs_held) == len(decisions):  # else unknown: the Why page goes by hour
            decisions.insert(5, "beliefs_held", pd.Series(result.beliefs_held, dtype="int64"))
        decisions.to_parquet(staging / "decisions.parquet", index=False)
        (staging / "galaxy.json").write_text(json.dumps(galaxy), encoding="utf-8")
        recorder.planets_frame().to_parquet(staging / "planets.parquet", index=False)
        write_scene(staging, recorder.scene)
        write_minds(staging, result.beliefs, result.feelings)
        summary = json.dumps(result.summary(), indent=1)
        (staging / SUMMARY_FILE).write_text(summary, encoding="utf-8")

    owned = (*RECORD_FILES, *OPTIONAL_FILES)
    return publish_directory(output, fill, owned=owned, marker=SUMMARY_FILE)


@dataclass
class RunRecord:
    """A run record as read back, every file checked against its schema."""

    path: Path
    summary: dict
    config_toml: str
    config: ScenarioConfig
    metrics: pd.DataFrame  # sorted by tick: ticks 1..N, one row each
    events: pd.DataFrame
    decisions: pd.DataFrame
    galaxy: dict
    planets: pd.DataFrame
    scene: pd.DataFrame | None  # indexed by tick; None when the record has no scene file
    beliefs: pd.DataFrame | None = None  # world.record_minds; None: not recorded
    feelings: pd.DataFrame | None = None


def read_record(directory: str | os.PathLike[str]) -> RunRecord:
    """Open a run record written by `write_record` (`callister run --out`, the Live page's Save).

    Every file is checked as it is read; the first bad one is a `UserError` naming it.
    """
    path = user_path(directory, "run record")
    if not path.is_dir():
        what = "not a directory" if path.exists() else "no such directory"
        raise UserError(f"{path}: {what} (a run record is a directory).")
    missing = [name for name in RECORD_FILES if not os.path.lexists(path / name)]
    if missing:
        raise UserError(f"{path}: not a complete run record (missing {', '.join(missing)}).")
    config_toml = read_text(path / "config.toml", RECORD_FILE)
    beliefs, feelings = read_minds(path)
    return RunRecord(
        path=path,
        summary=read_json(path / SUMMARY_FILE, SUMMARY_SHAPE),
        config_toml=config_toml,
        config=read_config(path / "config.toml", config_toml),
        metrics=read_frame(path / "metrics.parquet", METRICS_SCHEMA),
        events=read_frame(path / "events.parquet", EVENTS_SCHEMA),
        decisions=read_frame(path / "decisions.parquet", DECISIONS_SCHEMA),
        galaxy=read_json(path / "galaxy.json", GALAXY_SHAPE, check_galaxy),
        planets=read_frame(path / "planets.parquet", PLANETS_SCHEMA),
        scene=read_scene(path),
        beliefs=beliefs,
        feelings=feelings,
    )
