"""Two futures side by side: one tick slider drives both galaxies, both stories, both casts.

The pair is played again in this process (`views.whatif_futures.replay_pair`) when asked and
kept in `st.session_state`, so scrubbing only redraws (inside one fragment). Before the fork's
tick the two columns show the same past; the slider's label marks where the branches part.
"""

from __future__ import annotations

import streamlit as st

from views.galaxy_figure import galaxy_figure
from views.galaxy_frames import frame_from_record
from views.panels import cast_table, ending_banner, story_feed, view_controls
from views.whatif_forks import ForkEntry
from views.whatif_futures import RecordedFuture, TwoFutures, cast_at, events_until, replay_pair
from world.clock import stamp

FUTURES_KEY = "whatif_futures"
TICK_KEY = "whatif_tick"


def _pair_label(entry: ForkEntry, replicate: int) -> str:
    pair = next(pair for pair in entry.report.pairs if pair.replicate == replicate)
    parted = "never part" if pair.diverged_at is None else f"part at tick {pair.diverged_at}"
    return (
        f"replicate {replicate}: baseline {pair.baseline.ending} · "
        f"branch {pair.branch.ending} · {parted}"
    )


def two_futures(entry: ForkEntry, entry_key: tuple) -> None:
    """Pick a replicate of `entry`, play its pair again, and show both futures."""
    replicates = [pair.replicate for pair in entry.report.pairs]
    if not replicates:
        st.caption("No replicate finished: there is no pair to show.")
        return
    pick, go = st.columns([5, 2], vertical_alignment="bottom")
    replicate = pick.selectbox(
        "Replicate",
        replicates,
        format_func=lambda k: _pair_label(entry, k),
        key="whatif_replicate",
    )
    wanted = (*entry_key, replicate)
    if go.button("Show these two futures", key="whatif_show_pair"):
        with st.spinner(f"Playing replicate {replicate} again, recording both futures…"):
            futures, _ = replay_pair(entry.fork, replicate, entry.fork.branch_config())
        st.session_state[FUTURES_KEY] = (wanted, futures)
        start = futures.diverged_at if futures.diverged_at is not None else futures.at
        st.session_state[TICK_KEY] = min(max(start, 1), futures.ticks)
    shown = st.session_state.get(FUTURES_KEY)
    if shown is None or shown[0] != wanted:
        st.caption("Press **Show these two futures** to play this replicate again and scrub it.")
        return

    @st.fragment
    def scrub() -> None:
        side_by_side(shown[1])

    scrub()


def side_by_side(futures: TwoFutures) -> None:
    """The slider, then the baseline and the branch at its tick, in two columns."""
    last = futures.ticks
    parted = futures.diverged_at
    mark = "they never part" if parted is None else f"the branches part at tick {parted}"
    label = f"Tick — forked after tick {futures.at}; {mark}"
    if last > 1:
        st.session_state[TICK_KEY] = min(max(st.session_state.get(TICK_KEY, 1), 1), last)
        tick = st.slider(label, 1, last, key=TICK_KEY, help="one slider for both futures")
    else:
        tick = 1
        st.caption(label)
    if tick <= futures.at:
        when = "before the fork: both futures share this past"
    elif parted is None or tick < parted:
        when = "after the fork, the branches still alike"
    else:
        when = "the branches have parted"
    st.markdown(f"**{stamp(tick)}** · tick {tick} · {when}")
    colour_by, follow, zoom = view_controls("whatif_")
    for column, future in zip(st.columns(2), (futures.baseline, futures.branch), strict=True):
        with column:
            _future_at(future, tick, colour_by, follow, zoom)


def _future_at(future: RecordedFuture, tick: int, colour_by: str, follow: str, zoom: float):
    """One future's galaxy, ending, story and cast at `tick` (its last tick, if it ended)."""
    shown = min(tick, future.ticks)
    title = "Baseline (the run as it was)" if future.name == "baseline" else "Branch (changed)"
    st.markdown(f"#### {title}")
    if shown < tick:
        st.caption(f"This future ended at tick {future.ticks}; shown as it ended.")
    if (future.ending_tick is not None and shown >= future.ending_tick) or shown == future.ticks:
        ending_banner(future.ending, future.ending_tick, future.flags)
    planets = future.planets.get(shown)
    if planets is None:
        planets = {"planet": [], "online": [], "hunters": []}
    scene = future.scene.loc[shown] if shown in future.scene.index else None
    frame = frame_from_record(
        future.galaxy,
        planets,
        future.metrics.loc[shown],
        scene,
        shown,
        key=f"whatif|{future.name}|{future.digest}",
    )
    st.plotly_chart(
        galaxy_figure(frame, colour_by, height=420, follow=follow, zoom=zoom),
        key=f"whatif_galaxy_{future.name}",
        config={"scrollZoom": True},
        theme=None,
    )
    st.markdown("**The story up to this hour** (newest first)")
    story_feed(events_until(future, shown), height=300, key=f"whatif_story_{future.name}")
    st.markdown("**The cast**")
    cast_table(cast_at(future, shown), key=f"whatif_cast_{future.name}")
