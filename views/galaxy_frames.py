"""Galaxy frames: what the galaxy picture shows at one tick, from a live model or a record.

Both sources become a `GalaxyFrame` of plain arrays, so the live and replay pages draw the
same picture (`views.galaxy_figure`). Planet positions and lanes never move once built, so
for a live galaxy their arrays are cached per galaxy object and rebuilt only when Daly adds a
planet. Reading only: nothing here changes the model.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class GalaxyFrame:
    """Everything the galaxy picture shows at one tick."""

    key: str  # identity of the run: the figure's uirevision (zoom survives while it holds)
    names: list[str]
    kinds: list[str]
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
    names: list[str]
    kinds: list[str]
    x: np.ndarray
    y: np.ndarray
    lanes_x: np.ndarray
    lanes_y: np.ndarray
    created: np.ndarray


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
    shape = (graph.number_of_nodes(), graph.number_of_edges())
    cached = _LAYOUTS.get(galaxy)
    if cached is not None and cached[0] == shape:
        return cached[1]
    nodes = sorted(graph.nodes(data=True))
    x = np.array([data["pos"][0] for _, data in nodes], dtype=float)
    y = np.array([data["pos"][1] for _, data in nodes], dtype=float)
    edges = np.array(list(graph.edges()), dtype=np.int64).reshape(-1, 2)
    lanes_x, lanes_y = lane_arrays(x, y, edges)
    layout = _Layout(
        names=[data["name"] for _, data in nodes],
        kinds=[data["kind"] for _, data in nodes],
        x=x,
        y=y,
        lanes_x=lanes_x,
        lanes_y=lanes_y,
        created=np.array([data["created_tick"] for _, data in nodes], dtype=float),
    )
    _LAYOUTS[galaxy] = (shape, layout)
    return layout


def frame_from_model(model, key: str) -> GalaxyFrame:
    """The live model's galaxy now."""
    galaxy = model.galaxy
    layout = _model_layout(galaxy)
    size = len(layout.names)
    hunters = np.bincount([p.planet for p in model.vengeful], minlength=size)[:size]
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
        attractiveness=galaxy.attribute_array("attractiveness")[:size],
        created=layout.created,
        ship_planet=None if ship_gone else int(model.ship.planet),
        walton_in_game=bool(model.walton.in_game),
        nanette_in_game=bool(model.nanette.in_game),
        infinity_alive=bool(galaxy.alive),
    )


def frame_from_record(
    galaxy: dict, planets: pd.DataFrame, metrics_row: pd.Series, scene_row, tick: int, key: str
) -> GalaxyFrame:
    """A recorded galaxy at `tick`: planets built later are left out.

    `planets` holds the rows of `planets.parquet` for this tick; `scene_row` is the row of
    `scene.parquet` (None for records without one: no avatars are drawn then).
    """
    nodes = [n for n in galaxy["nodes"] if n["created_tick"] <= tick]
    ids = np.array([n["id"] for n in nodes], dtype=np.int64)
    index = {node_id: i for i, node_id in enumerate(ids)}
    x = np.array([n["x"] for n in nodes], dtype=float)
    y = np.array([n["y"] for n in nodes], dtype=float)
    edges = np.array(
        [
            (index[e["source"]], index[e["target"]])
            for e in galaxy["edges"]
            if e["source"] in index and e["target"] in index
        ],
        dtype=np.int64,
    ).reshape(-1, 2)
    lanes_x, lanes_y = lane_arrays(x, y, edges)
    online, hunters = np.zeros(len(ids)), np.zeros(len(ids))
    for planet, on, hunt in zip(
        planets["planet"], planets["online"], planets["hunters"], strict=True
    ):
        if planet in index:
            online[index[planet]], hunters[index[planet]] = on, hunt
    infinity_alive = True if scene_row is None else bool(scene_row["infinity_alive"])
    destroyed = False if scene_row is None else bool(scene_row["ship_destroyed"])
    ship = int(metrics_row["ship_planet"])
    return GalaxyFrame(
        key=key,
        names=[n["name"] for n in nodes],
        kinds=[n["kind"] for n in nodes],
        x=x,
        y=y,
        lanes_x=lanes_x,
        lanes_y=lanes_y,
        online=online,
        hunters=hunters,
        attractiveness=np.array([n["attractiveness"] for n in nodes], dtype=float),
        created=np.array([n["created_tick"] for n in nodes], dtype=float),
        ship_planet=index.get(ship) if infinity_alive and not destroyed else None,
        walton_in_game=scene_row is not None and bool(scene_row["walton_in_game"]),
        nanette_in_game=scene_row is not None and bool(scene_row["nanette_in_game"]),
        infinity_alive=infinity_alive,
    )
