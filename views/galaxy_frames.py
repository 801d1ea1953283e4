"""Galaxy frames: what the galaxy picture shows at one tick, from a live model or a record.

Both sources become a `GalaxyFrame` of plain arrays, so the live and replay pages draw the
same picture (`views.galaxy_figure`). Planet positions and lanes never move once built, so
for a live galaxy their arrays are cached per galaxy object and rebuilt only when Daly adds a
planet. Reading only: nothing here changes the model.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class GalaxyFrame:
    """Everything the galaxy picture shows at one tick."""

    key: str  # identity of the run: the figure's uirevision (zoom survives while it holds)
    names: np.ndarray  # of str (a list is accepted too)
    kinds: np.ndarray  # "heart", "xj500", "ordinary" or "market"
    x: np.ndarray
    y: np.ndarray
    lanes_x: np.ndarray
    lanes_y: np.ndarray
    online: np.ndarray
    hunters: np.ndarray
    attractiveness: np.ndarray
    created: np.ndarray
    ship_planet: int | None  # None once the ship is destroyed or Infinity is gone
    walton_in_game: bool
    nanette_in_game: bool
    infinity_alive: bool = True


@dataclass(frozen=True)
class _Layout:
    """What never changes until the galaxy grows: read from networkx once per graph version."""

    names: np.ndarray
    kinds: np.ndarray
    x: np.ndarray
    y: np.ndarray
    lanes_x: np.ndarray
    lanes_y: np.ndarray
    created: np.ndarray
    attractiveness: np.ndarray  # set when a planet is built, never changed after


def lane_arrays(x: np.ndarray, y: np.ndarray, edges: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Lane segments as one polyline: a, b, NaN for each edge (NaN breaks the line)."""
    if len(edges) == 0:
        return np.empty(0), np.empty(0)
    a, b = edges[:, 0], edges[:, 1]
    gap = np.full(len(edges), np.nan)
    return (
        np.column_stack([x[a], x[b], gap]).ravel(),
        np.column_stack([y[a], y[b], gap]).ravel(),
    )


_LAYOUTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _model_layout(galaxy) -> _Layout:
    """Positions and lanes of a live galaxy, rebuilt only when it grew (Daly builds)."""
    graph = galaxy.graph
    # Lanes are laid only when a planet is built, so the planet count versions the layout
    # (O(1); counting edges would loop over every node on every redraw).
    shape = graph.number_of_nodes()
    cached = _LAYOUTS.get(galaxy)
    if cached is not None and cached[0] == shape:
        return cached[1]
    nodes = sorted(graph.nodes(data=True))
    x = np.array([data["pos"][0] for _, data in nodes], dtype=float)
    y = np.array([data["pos"][1] for _, data in nodes], dtype=float)
    edges = np.array(list(graph.edges()), dtype=np.int64).reshape(-1, 2)
    lanes_x, lanes_y = lane_arrays(x, y, edges)
    layout = _Layout(
        names=np.array([data["name"] for _, data in nodes], dtype=str),
        kinds=np.array([data["kind"] for _, data in nodes], dtype=str),
        x=x,
        y=y,
        lanes_x=lanes_x,
        lanes_y=lanes_y,
        created=np.array([data["created_tick"] for _, data in nodes], dtype=float),
        attractiveness=np.array([data["attractiveness"] for _, data in nodes], dtype=float),
    )
    _LAYOUTS[galaxy] = (shape, layout)
    return layout


def frame_from_model(model, key: str) -> GalaxyFrame:
    """The live model's galaxy now."""
    galaxy = model.galaxy
    layout = _model_layout(galaxy)
    size = len(layout.names)
    planets = np.fromiter((p.planet for p in model.vengeful), dtype=np.int64)
    hunters = np.bincount(planets, minlength=size)[:size]
    ship_gone = model.ship.destroyed or not galaxy.alive
    return GalaxyFrame(
        key=key,
        names=layout.names,
        kinds=layout.kinds,
        x=layout.x,
        y=layout.y,
        lanes_x=layout.lanes_x,
        lanes_y=layout.lanes_y,
        online=np.asarray(model.population.online, dtype=float)[:size],
        hunters=hunters.astype(float),
        attractiveness=layout.attractiveness,
        created=layout.created,
        ship_planet=None if ship_gone else int(model.ship.planet),
        walton_in_game=bool(model.walton.in_game),
        nanette_in_game=bool(model.nanette.in_game),
        infinity_alive=bool(galaxy.alive),
    )


@dataclass(frozen=True)
class _RecordGalaxy:
    """A recorded galaxy's planets and lanes as arrays (in the record's order), read once."""

    ids: np.ndarray
    names: np.ndarray
    kinds: np.ndarray
    x: np.ndarray
    y: np.ndarray
    created: np.ndarray
    attractiveness: np.ndarray
    sources: np.ndarray  # lane ends, as planet ids
    targets: np.ndarray


# Recorded galaxies read lately, by identity: a page scrubbing a record redraws the same dict
# every tick. The dict itself is held so its id cannot be reused while it is cached.
# Streamlit serves each session in its own thread: evicting and inserting hold the lock.
_RECORDS: dict[int, tuple[dict, _RecordGalaxy]] = {}
_RECORDS_LOCK = threading.Lock()
RECORDS_CACHED = 4


def _record_galaxy(galaxy: dict) -> _RecordGalaxy:
    cached = _RECORDS.get(id(galaxy))
    if cached is not None and cached[0] is galaxy:
        return cached[1]
    nodes, edges = galaxy["nodes"], galaxy["edges"]
    arrays = _RecordGalaxy(
        ids=np.array([n["id"] for n in nodes], dtype=np.int64),
        names=np.array([n["name"] for n in nodes], dtype=str),
        kinds=np.array([n["kind"] for n in nodes], dtype=str),
        x=np.array([n["x"] for n in nodes], dtype=float),
        y=np.array([n["y"] for n in nodes], dtype=float),
        created=np.array([n["created_tick"] for n in nodes], dtype=float),
        attractiveness=np.array([n["attractiveness"] for n in nodes], dtype=float),
        sources=np.array([e["source"] for e in edges], dtype=np.int64),
        targets=np.array([e["target"] for e in edges], dtype=np.int64),
    )
    with _RECORDS_LOCK:
        while len(_RECORDS) >= RECORDS_CACHED:
            _RECORDS.pop(next(iter(_RECORDS)), None)
        _RECORDS[id(galaxy)] = (galaxy, arrays)
    return arrays


def _positions(ids: np.ndarray, span: int) -> np.ndarray:
    """For each planet id below `span`: its place among `ids`, or -1 when it is not there."""
    position = np.full(span, -1, dtype=np.int64)
    position[ids] = np.arange(len(ids))
    return position


def _placed(position: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Places of `ids` (-1 for an id that is not shown or not in the galaxy at all)."""
    inside = (ids >= 0) & (ids < len(position))
    return np.where(inside, position[np.where(inside, ids, 0)], -1)


def frame_from_record(
    galaxy: dict, planets: pd.DataFrame, metrics_row: pd.Series, scene_row, tick: int, key: str
) -> GalaxyFrame:
    """A recorded galaxy at `tick`: planets built later are left out.

    `planets` holds the rows of `planets.parquet` for this tick; `scene_row` is the row of
    `scene.parquet` (None for records without one: no avatars are drawn then).
    """
    recorded = _record_galaxy(galaxy)
    shown = recorded.created <= tick
    ids = recorded.ids[shown]
    position = _positions(ids, int(recorded.ids.max(initial=-1)) + 1)
    sources, targets = _placed(position, recorded.sources), _placed(position, recorded.targets)
    laid = (sources >= 0) & (targets >= 0)
    edges = np.column_stack([sources[laid], targets[laid]])
    x, y = recorded.x[shown], recorded.y[shown]
    lanes_x, lanes_y = lane_arrays(x, y, edges)
    online, hunters = np.zeros(len(ids)), np.zeros(len(ids))
    where = _placed(position, np.asarray(planets["planet"], dtype=np.int64))
    found = where >= 0
    online[where[found]] = np.asarray(planets["online"], dtype=float)[found]
    hunters[where[found]] = np.asarray(planets["hunters"], dtype=float)[found]
    infinity_alive = True if scene_row is None else bool(scene_row["infinity_alive"])
    destroyed = False if scene_row is None else bool(scene_row["ship_destroyed"])
    ship = int(_placed(position, np.array([int(metrics_row["ship_planet"])]))[0])
    return GalaxyFrame(
        key=key,
        names=recorded.names[shown],
        kinds=recorded.kinds[shown],
        x=x,
        y=y,
        lanes_x=lanes_x,
        lanes_y=lanes_y,
        online=online,
        hunters=hunters,
        attractiveness=recorded.attractiveness[shown],
        created=recorded.created[shown],
        ship_planet=ship if ship >= 0 and infinity_alive and not destroyed else None,
        walton_in_game=scene_row is not None and bool(scene_row["walton_in_game"]),
        nanette_in_game=scene_row is not None and bool(scene_row["nanette_in_game"]),
        infinity_alive=infinity_alive,
    )
