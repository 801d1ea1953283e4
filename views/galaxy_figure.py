"""The galaxy as a plotly figure: planets, lanes, landmarks, the ship, avatars and hunters.

Redrawn every tick, so it is built for speed: a plain dict of numpy arrays (plotly validates
it once, inside `st.plotly_chart`; arrays, names included, pass without a per-item loop), one
trace per kind of thing, all lanes as one trace with NaN breaks. `uirevision` is the run's
identity, so the user's zoom and pan survive redraws. Planets are sized by players online and
coloured by a chosen metric. A large galaxy is drawn with WebGL (see `WEBGL_ABOVE_PLANETS`).
"""

from __future__ import annotations

import numpy as np

from views.galaxy_frames import GalaxyFrame

COLOUR_METRICS = {
    "players online": "online",
    "vengeful players here": "hunters",
    "attractiveness": "attractiveness",
    "built at tick": "created",
}
SPACE = "#0b1021"
LANE = "rgba(150, 160, 200, 0.35)"
INK = "#dfe6f3"  # text on the dark sky
# Markers sit a little off their planet so the planet, ship and avatars stay visible together.
OFFSETS = {"ship": (0.0, 0.045), "walton": (-0.045, -0.03), "nanette": (0.045, -0.03)}
HUNTER_OFFSET = (0.0, -0.05)
# Above this many planets every trace is WebGL (`scattergl`). Measured in Streamlit's own
# frontend (Step to drawn, headless Chromium, software WebGL; docs/dashboard.md): SVG is
# faster at 50 planets, even at 1,000, and loses from 2,000 on (an SVG scatter is one DOM node
# per planet). All traces switch together because WebGL is always drawn above SVG: the ship,
# avatars and hunters must be WebGL too to stay on top of the planets.
WEBGL_ABOVE_PLANETS = 1_000
KIND_TEXT = {"ordinary": "planet", "market": "market planet", "heart": "the engine", "xj500": "rim"}
FOLLOW = ("whole galaxy", "the USS Callister", "Heart of Infinity", "XJ-500")
ZOOMS = (1.0, 1.5, 2.0, 3.0, 4.0, 6.0)


def trace_type(planets: int) -> str:
    """SVG scatter for a small galaxy, WebGL above `WEBGL_ABOVE_PLANETS` planets."""
    return "scattergl" if planets > WEBGL_ABOVE_PLANETS else "scatter"


def crowd_scale(planets: int) -> float:
    """Planet markers shrink as 1/sqrt(planets) above the WebGL threshold: planets crowd the
    same sky, so full-sized markers would cover it (and the lanes) at 5,000; 1.0 below."""
    return min(1.0, float(np.sqrt(WEBGL_ABOVE_PLANETS / max(planets, 1))))


def hover_labels(names: np.ndarray, kinds: np.ndarray) -> np.ndarray:
    """Each planet's name and kind ("Kelvex · market planet"), with no loop over planets."""
    kind_text = np.select([kinds == k for k in KIND_TEXT], list(KIND_TEXT.values()), "planet")
    return np.char.add(np.char.add(names, " · "), kind_text)


def _marker_trace(
    name: str, frame: GalaxyFrame, planet: int | None, where: str, style: dict, kind: str
):
    """One named marker (ship, avatar) next to its planet; empty when it is not in the game."""
    dx, dy = OFFSETS[where]
    xs = [] if planet is None else [float(frame.x[planet] + dx)]
    ys = [] if planet is None else [float(frame.y[planet] + dy)]
    return {
        "type": kind,
        "name": name,
        "x": xs,
        "y": ys,
        "mode": "markers",
        "marker": style,
        "hovertemplate": f"{name}<extra></extra>",
    }


def view_ranges(frame: GalaxyFrame, follow: str, zoom: float) -> tuple[list, list]:
    """x and y ranges of the view: centred on what is followed, `zoom` times closer.

    The chosen view is part of the figure, so it holds across ticks. (The chart's own mouse
    zoom lasts only until the next redraw: Streamlit remounts a chart whose figure changed.)
    """
    low = np.array([frame.x.min(), frame.y.min()]) if len(frame.x) else np.zeros(2)
    high = np.array([frame.x.max(), frame.y.max()]) if len(frame.x) else np.ones(2)
    centre = (low + high) / 2
    half = float(max(high - low)) / 2 + 0.12
    kinds = np.asarray(frame.kinds, dtype=str)
    heart, xj500 = np.flatnonzero(kinds == "heart"), np.flatnonzero(kinds == "xj500")
    target = {
        "the USS Callister": frame.ship_planet,
        "Heart of Infinity": int(heart[0]) if len(heart) else None,
        "XJ-500": int(xj500[0]) if len(xj500) else None,
    }.get(follow)
    if target is not None:
        centre = np.array([frame.x[target], frame.y[target]])
    half /= max(zoom, 1.0)
    return [centre[0] - half, centre[0] + half], [centre[1] - half, centre[1] + half]


def galaxy_figure(
    frame: GalaxyFrame,
    colour_by: str = "players online",
    height: int = 520,
    follow: str = "whole galaxy",
    zoom: float = 1.0,
):
    """The figure as a plain dict (plotly validates it once, in `st.plotly_chart`)."""
    values = getattr(frame, COLOUR_METRICS.get(colour_by, "online"))
    peak = float(frame.online.max()) if len(frame.online) and frame.online.max() > 0 else 1.0
    sizes = (7.0 + 23.0 * np.sqrt(frame.online / peak)) * crowd_scale(len(frame.online))
    names, kinds = np.asarray(frame.names, dtype=str), np.asarray(frame.kinds, dtype=str)
    landmark = np.flatnonzero((kinds == "heart") | (kinds == "xj500"))
    hunted = np.flatnonzero(frame.hunters > 0)
    ship = frame.ship_planet
    kind = trace_type(len(names))
    # Positions as float32: half the bytes sent each redraw, still exact to a millionth.
    data = [
        {
            "type": kind,
            "name": "warp lanes",
            "x": frame.lanes_x.astype(np.float32),
            "y": frame.lanes_y.astype(np.float32),
            "mode": "lines",
            "line": {"color": LANE, "width": 1},
            "hoverinfo": "skip",
        },
        {
            "type": kind,
            "name": "planets",
            "x": frame.x.astype(np.float32),
            "y": frame.y.astype(np.float32),
            "mode": "markers",
            "text": hover_labels(names, kinds),
            "customdata": np.column_stack([frame.online, frame.hunters, frame.attractiveness]),
            "marker": {
                "size": sizes.round(2),
                "color": values.round(4),
                "colorscale": "Viridis",
                "showscale": True,
                "colorbar": {
                    "title": {"text": colour_by, "font": {"color": INK}},
                    "tickfont": {"color": INK},
                    "thickness": 12,
                },
                "line": {"width": 0},
            },
            "hovertemplate": "<b>%{text}</b><br>%{customdata[0]:,.0f} players online"
            "<br>%{customdata[1]:.0f} vengeful players (the threat here)"
            "<br>attractiveness %{customdata[2]:.2f}<extra></extra>",
        },
        {
            "type": kind,
            "name": "Heart of Infinity / XJ-500",
            "x": frame.x[landmark],
            "y": frame.y[landmark],
            "mode": "markers+text",
            "text": names[landmark].tolist(),
            "textposition": "top center",
            "textfont": {"color": "#f5d76e"},
            "marker": {"symbol": "diamond", "size": 16, "color": "#f5d76e"},
            "hovertemplate": "%{text}<extra></extra>",
        },
        {
            "type": kind,
            "name": "vengeful players",
            "x": frame.x[hunted] + HUNTER_OFFSET[0],
            "y": frame.y[hunted] + HUNTER_OFFSET[1],
            "mode": "markers",
            "text": frame.hunters[hunted].astype(int).astype(str),
            "marker": {
                "symbol": "triangle-up",
                "color": "#ff5c5c",
                "size": (6 + 3 * np.sqrt(frame.hunters[hunted])).round(2),
            },
            "hovertemplate": "%{text} vengeful players<extra></extra>",
        },
        _marker_trace(
            "USS Callister",
            frame,
            ship,
            "ship",
            {
                "symbol": "star",
                "size": 20,
                "color": "#e8f1ff",
                "line": {"color": "#4aa3ff", "width": 2},
            },
            kind,
        ),
        _marker_trace(
            "Walton's avatar",
            frame,
            ship if frame.walton_in_game else None,
            "walton",
            {"symbol": "x", "size": 15, "color": "#ff9f1c"},
            kind,
        ),
        _marker_trace(
            "the real Nanette's avatar",
            frame,
            ship if frame.nanette_in_game else None,
            "nanette",
            {
                "symbol": "circle",
                "size": 13,
                "color": "#7bed9f",
                "line": {"color": "white", "width": 1},
            },
            kind,
        ),
    ]
    axis = {"visible": False, "showgrid": False, "zeroline": False}
    x_range, y_range = view_ranges(frame, follow, zoom)
    layout = {
        "uirevision": frame.key,
        "height": height,
        "margin": {"l": 0, "r": 0, "t": 10, "b": 0},
        "paper_bgcolor": SPACE,
        "plot_bgcolor": SPACE,
        "font": {"color": INK},
        "xaxis": {**axis, "range": x_range},
        "yaxis": {**axis, "range": y_range, "scaleanchor": "x"},
        "legend": {
            "orientation": "h",
            "y": -0.02,
            "bgcolor": "rgba(0,0,0,0)",
            "font": {"color": INK},
        },
        "hovermode": "closest",
        "dragmode": "pan",
    }
    if not frame.infinity_alive:
        layout["annotations"] = [
            {
                "text": "Infinity has been deleted",
                "showarrow": False,
                "font": {"size": 22, "color": "#ff5c5c"},
                "xref": "paper",
                "yref": "paper",
                "x": 0.5,
                "y": 0.03,  # low on the map, clear of the landmarks' labels
            }
        ]
    return {"data": data, "layout": layout}
