"""The galaxy as a plotly figure: planets, lanes, landmarks, the ship, avatars and hunters.

Redrawn every tick, so it is built for speed: a plain dict of numpy arrays (plotly validates
it once, inside `st.plotly_chart`), one trace per kind of thing, all lanes as one trace with
NaN breaks. `uirevision` is the run's identity, so the user's zoom and pan survive redraws.
Planets are sized by players online and coloured by a chosen metric.
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
FOLLOW = ("whole galaxy", "the USS Callister", "Heart of Infinity", "XJ-500")
ZOOMS = (1.0, 1.5, 2.0, 3.0, 4.0, 6.0)


def _marker_trace(name: str, frame: GalaxyFrame, planet: int | None, where: str, style: dict):
    """One named marker (ship, avatar) next to its planet; empty when it is not in the game."""
    dx, dy = OFFSETS[where]
    xs = [] if planet is None else [float(frame.x[planet] + dx)]
    ys = [] if planet is None else [float(frame.y[planet] + dy)]
    return {
        "type": "scatter",
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
    kinds = list(frame.kinds)
    target = {
        "the USS Callister": frame.ship_planet,
        "Heart of Infinity": kinds.index("heart") if "heart" in kinds else None,
        "XJ-500": kinds.index("xj500") if "xj500" in kinds else None,
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
    sizes = 7.0 + 23.0 * np.sqrt(frame.online / peak)
    kinds = np.array(frame.kinds)
    landmark = np.flatnonzero((kinds == "heart") | (kinds == "xj500"))
    hunted = np.flatnonzero(frame.hunters > 0)
    ship = frame.ship_planet
    data = [
        {
            "type": "scatter",
            "name": "warp lanes",
            "x": frame.lanes_x.round(4),
            "y": frame.lanes_y.round(4),
            "mode": "lines",
            "line": {"color": LANE, "width": 1},
            "hoverinfo": "skip",
        },
        {
            "type": "scatter",
            "name": "planets",
            "x": frame.x.round(4),
            "y": frame.y.round(4),
            "mode": "markers",
            "text": frame.names,
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
            "<br>%{customdata[1]:.0f} vengeful players<br>attractiveness %{customdata[2]:.2f}"
            "<extra></extra>",
        },
        {
            "type": "scatter",
            "name": "Heart of Infinity / XJ-500",
            "x": frame.x[landmark],
            "y": frame.y[landmark],
            "mode": "markers+text",
            "text": [frame.names[i] for i in landmark],
            "textposition": "top center",
            "textfont": {"color": "#f5d76e"},
            "marker": {"symbol": "diamond", "size": 16, "color": "#f5d76e"},
            "hovertemplate": "%{text}<extra></extra>",
        },
        {
            "type": "scatter",
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
        ),
        _marker_trace(
            "Walton's avatar",
            frame,
            ship if frame.walton_in_game else None,
            "walton",
            {"symbol": "x", "size": 15, "color": "#ff9f1c"},
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
