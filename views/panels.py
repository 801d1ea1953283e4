"""Read-only panels the live and replay pages share: monitors, charts, story, ending, cast.

Each takes plain data (a metrics row, a metrics table, event tuples), so a live model and a
run record at some tick draw identically. Nothing here changes a run.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
import streamlit as st

from views.galaxy_figure import COLOUR_METRICS, FOLLOW, ZOOMS
from world.clock import stamp
from world.endings import ENDINGS
from world.story_text import fold_story

# (metric, label, format): the headline numbers of a run (ship, crew, company, real world).
MONITORS = (
    ("credits", "credits", "{:,.0f}"),
    ("fuel", "fuel", "{:,.1f}"),
    ("ammo", "ammo", "{:,.0f}"),
    ("shields", "shields %", "{:,.0f}"),
    ("hull", "hull %", "{:,.0f}"),
    ("crew_alive", "crew alive", "{:,.0f}"),
    ("crew_health", "crew health", "{:,.0f}"),
    ("price_index", "price index", "{:,.2f}"),
    ("players_online", "players online", "{:,.0f}"),
    ("vengeful_active", "vengeful players", "{:,.0f}"),
    ("legal_risk", "Walton's legal risk", "{:.0%}"),
    ("journalist_progress", "journalist progress", "{:.0%}"),
)
CHART_GROUPS = {
    "ship": ["credits", "fuel", "ammo", "shields", "hull"],
    "crew": ["crew_alive", "crew_health"],
    "players": ["players_online", "vengeful_active", "complaints_today", "party_guests"],
    "company": ["price_index", "revenue"],
    "real world": ["legal_risk", "journalist_progress", "evidence", "daly_loneliness"],
}
MAX_CHART_POINTS = 600  # longer histories are thinned: the chart is re-sent every tick
STORY_LINES = 80


def view_controls(prefix: str) -> tuple[str, str, float]:
    """Colour metric, what the view follows and how close: kept across ticks and pages."""
    colour, follow, zoom = st.columns([2, 2, 1.4])
    colour_by = colour.selectbox(
        "Colour planets by", list(COLOUR_METRICS), key=f"{prefix}colour_by", persist_state="session"
    )
    followed = follow.selectbox("Centre on", FOLLOW, key=f"{prefix}follow", persist_state="session")
    closer = zoom.select_slider(
        "Zoom",
        ZOOMS,
        value=1.0,
        key=f"{prefix}zoom",
        format_func=lambda z: f"{z:g}×",
        persist_state="session",
    )
    return colour_by, followed, float(closer)


def monitors(latest: dict[str, float], before: dict[str, float] | None, columns: int = 6) -> None:
    """NetLogo-style monitors, each with its change over the last day."""
    cells = st.columns(columns)
    for n, (metric, label, fmt) in enumerate(MONITORS):
        value = latest.get(metric, float("nan"))
        delta = None
        if before is not None and metric in before and np.isfinite(value):
            change = value - before[metric]
            delta = fmt.format(change) if change else None
        cells[n % columns].metric(
            label, fmt.format(value), delta, help=f"`{metric}`; change over the last 24 hours"
        )


def thin(metrics: pd.DataFrame, limit: int = MAX_CHART_POINTS) -> pd.DataFrame:
    """Every k-th row (always keeping the last) so a chart never carries more than `limit`."""
    if len(metrics) <= limit:
        return metrics
    step = int(np.ceil(len(metrics) / limit))
    keep = np.unique(np.r_[np.arange(0, len(metrics), step), len(metrics) - 1])
    return metrics.iloc[keep]


def series_figure(metrics: pd.DataFrame, columns: Sequence[str], now: int | None = None) -> dict:
    """Lines of `columns` against the tick (the index), with an optional 'now' marker."""
    shown = thin(metrics)
    ticks = np.asarray(shown.index, dtype=float)
    data = [
        {
            "type": "scatter",
            "mode": "lines",
            "name": column,
            "x": ticks,
            "y": shown[column].to_numpy(dtype=float).round(4),
        }
        for column in columns
        if column in shown
    ]
    layout = {
        "height": 260,
        "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
        "xaxis": {"title": {"text": "tick (hours)"}},
        "legend": {"orientation": "h", "y": 1.12},
        "uirevision": "series",
    }
    if now is not None:
        layout["shapes"] = [
            {"type": "line", "x0": now, "x1": now, "yref": "paper", "y0": 0, "y1": 1}
            | {"line": {"color": "#ff5c5c", "width": 1, "dash": "dot"}}
        ]
    return {"data": data, "layout": layout}


def charts(metrics: pd.DataFrame, group: str, key: str, now: int | None = None) -> None:
    """One group of time series; `metrics` is indexed by tick."""
    if metrics.empty:
        st.caption("No ticks yet: step the run to see its history.")
        return
    st.plotly_chart(series_figure(metrics, CHART_GROUPS[group], now), key=key)


def story_feed(
    events: Iterable[tuple[int, str, str]], height: int = 360, key: str = "story"
) -> None:
    """The story so far, newest first; turning points in bold, everyday runs folded and plain."""
    recent = fold_story(events)[-STORY_LINES:][::-1]
    if not recent:
        st.caption("Nothing has happened yet.")
        return
    lines = []
    for line in recent:
        beat = line.text if line.routine else f"**{line.text}**"
        if line.folded:
            days = f"{stamp(line.first_tick)} – {stamp(line.last_tick)}"
            lines.append(f"`{days}` · *everyday* — {beat}")
        else:
            lines.append(f"`{stamp(line.first_tick)}` · *{line.kinds[0]}* — {beat}")
    with st.container(height=height, key=key):
        st.markdown("  \n".join(lines))


def ending_banner(ending: str | None, ending_tick: int | None, flags: dict) -> None:
    """Shown once the crew's story has an ending (or the horizon was reached)."""
    if not ending:
        return
    when = f" on {stamp(ending_tick)}" if ending_tick is not None else " at the horizon"
    described = ENDINGS.get(ending, ending)
    facts = [
        "Walton arrested" if flags.get("walton_arrested") else "Walton free",
        "Infinity deleted" if flags.get("infinity_deleted") else "Infinity still running",
        "Callister Inc. folded" if flags.get("company_folded") else "Callister Inc. trading",
        f"the real Nanette: {flags.get('nanette_state', '?')}",
    ]
    st.success(
        f"**Ending: {ending}**{when}. {described}  \n{' · '.join(facts)}", icon=":material/flag:"
    )


def cast_table(rows: list[dict], key: str = "cast_table") -> None:
    """Named characters: alive, health and what each is doing now."""
    st.dataframe(
        pd.DataFrame(rows, columns=["character", "role", "alive", "health", "doing"]),
        hide_index=True,
        key=key,
        column_config={
            "health": st.column_config.ProgressColumn(
                "health", min_value=0, max_value=100, format="%.0f"
            )
        },
    )
