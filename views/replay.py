"""Replay: open a saved run record and scrub its timeline; everything follows the slider.

Records come from the Live page's Save or from `callister run --out DIR`. The slider (or Play)
moves one tick at a time: the galaxy, the monitors, the story up to that hour, what each
character had decided, and what one character believed and felt are all redrawn from the
record, inside one fragment, so scrubbing never re-reads files or reruns the rest of the page.
"""

from __future__ import annotations

import streamlit as st

from configuration.errors import UserError
from views.galaxy_figure import galaxy_figure
from views.galaxy_frames import frame_from_record
from views.minds_panel import minds_panel
from views.navigation import ask_what_if, ask_why
from views.panels import (
    CHART_GROUPS,
    charts,
    ending_banner,
    monitors,
    story_feed,
    view_controls,
)
from views.records import OPENED_KEY, OpenedRecord, list_records, open_record
from views.whatif_forks import origin_from_record
from world.clock import HOURS_PER_DAY, stamp

TICK_KEY = "replay_tick"
FRAME_STEPS = (1, 6, 24, 72)


def _choose() -> str | None:
    """A saved record from the runs directory, or any record directory typed in."""
    saved = [str(p) for p in list_records()]
    pick, typed = st.columns([2, 3], vertical_alignment="bottom")
    if saved:
        chosen = pick.selectbox(
            "Saved runs", saved, format_func=lambda p: p.rsplit("/", 1)[-1], key="replay_pick"
        )
        if pick.button("Open", key="replay_open"):
            st.session_state[OPENED_KEY] = chosen
            st.session_state.pop(TICK_KEY, None)
    else:
        pick.caption("No saved runs yet: save one from the Live page.")
    path = typed.text_input(
        "…or a record directory (`callister run --out DIR`)", key="replay_typed"
    )
    if typed.button("Open path", key="replay_open_path") and path.strip():
        st.session_state[OPENED_KEY] = path.strip()
        st.session_state.pop(TICK_KEY, None)
    return st.session_state.get(OPENED_KEY)


def _decisions_at(opened: OpenedRecord, tick: int) -> None:
    rows = opened.decisions.latest_per_character(tick)
    if not rows:
        st.caption("No decisions recorded up to this tick (trace level 'off').")
        return
    st.dataframe(
        [{**r, "since tick": r.pop("tick")} for r in rows],
        hide_index=True,
        key="replay_decisions",
        column_order=["character", "role", "action", "score", "since tick"],
    )
    names = [r["character"] for r in rows]
    who = st.selectbox("Inspect", names, key="replay_inspect")
    if st.button("Why did they choose that? →", key="replay_why"):
        ask_why("replay", who, tick)


def _minds_at(opened: OpenedRecord, tick: int) -> None:
    """One character's beliefs and feelings as they stood at the end of this hour."""
    labels = {
        name: f"{spec.display_name or name.replace('_', ' ').title()} ({spec.role})"
        for name, spec in opened.config.characters.items()
    }
    who = st.selectbox(
        "Beliefs and feelings of", list(labels), format_func=labels.get, key="replay_minds_of"
    )
    minds_panel(opened.minds, who, labels, tick=tick, key="replay_")


def _view(opened: OpenedRecord, playing: bool, frame_step: int) -> None:
    last = opened.ticks
    # a tick kept from a longer record that was replaced on disk must fit this one
    shown = min(max(1, st.session_state.get(TICK_KEY, last)), last)
    if playing:  # advance before the slider is drawn: its value is ours to set until then
        shown = min(last, shown + frame_step)
    st.session_state[TICK_KEY] = shown
    if last > 1:
        tick = st.slider("Tick", 1, last, key=TICK_KEY, help="drag to scrub; arrows step one hour")
    else:  # a slider needs two ticks to move between
        tick = 1
    summary = opened.record.summary
    moment, fork = st.columns([4, 1], vertical_alignment="center")
    moment.markdown(f"**{stamp(tick)}** · tick {tick} of {last}")
    if fork.button("What if… →", key="replay_what_if", help="fork this run after this tick"):
        ask_what_if(origin_from_record(opened, tick))
    ending_tick = summary.get("ending_tick")
    reached = (ending_tick is not None and tick >= ending_tick) or tick == last
    if reached:
        ending_banner(summary.get("ending"), ending_tick, summary.get("flags", {}))
    metrics = opened.metrics
    before = metrics.loc[tick - HOURS_PER_DAY].to_dict() if tick > HOURS_PER_DAY else None
    monitors(metrics.loc[tick].to_dict(), before)

    galaxy_col, story_col = st.columns([3, 2])
    with galaxy_col:
        colour_by, follow, zoom = view_controls("replay_")
        scene = None
        if opened.scene is not None and tick in opened.scene.index:
            scene = opened.scene.loc[tick]
        planets = opened.planets.get(tick)
        if planets is None:
            planets = {"planet": [], "online": [], "hunters": []}
        frame = frame_from_record(
            opened.record.galaxy,
            planets,
            metrics.loc[tick],
            scene,
            tick,
            key=str(opened.record.path),
        )
        st.plotly_chart(
            galaxy_figure(frame, colour_by, follow=follow, zoom=zoom),
            key="replay_galaxy",
            config={"scrollZoom": True},
            theme=None,
        )
        if opened.scene is None:
            st.caption("This record has no scene file: avatars are not drawn.")
    with story_col:
        st.markdown("**The story up to this hour** (newest first)")
        story_feed([e for e in opened.events if e[0] <= tick], height=520)

    chart_col, decision_col = st.columns([3, 2])
    with chart_col:
        group = st.radio("Chart", list(CHART_GROUPS), horizontal=True, key="replay_chart_group")
        charts(metrics, group, key="replay_chart", now=tick)
    with decision_col:
        st.markdown("**What each character was doing**")
        _decisions_at(opened, tick)
    _minds_at(opened, tick)
    if playing and tick >= last:
        st.session_state["replay_stop"] = True
        st.rerun()


def render() -> None:
    st.title("Replay — scrub a saved run")
    path = _choose()
    if not path:
        st.info("Open a run record to replay it.")
        return
    try:
        opened = open_record(path)  # every file checked: a bad record is one error, here
    except (UserError, OSError) as error:
        st.error(f"This run record cannot be opened:\n\n```\n{error}\n```")
        return
    summary = opened.record.summary
    st.caption(
        f"`{opened.record.path}` · seed {summary.get('seed')} · {summary.get('ticks')} ticks · "
        f"ending **{summary.get('ending')}** · digest {summary.get('digest')}"
    )
    if st.session_state.pop("replay_stop", False):
        st.session_state["replay_playing"] = False
    play, speed = st.columns([1, 3], vertical_alignment="bottom")
    playing = play.toggle("Play", key="replay_playing")
    frame_step = speed.select_slider("Ticks per frame", FRAME_STEPS, value=6, key="replay_step")

    @st.fragment(run_every=0.5 if playing else None)
    def replay_view() -> None:
        _view(opened, playing, int(frame_step))

    replay_view()


if __name__ == "__main__":
    render()
