"""Live: watch a run hour by hour — galaxy, monitors, charts, the story, who chose what, and
what the inspected character believes and feels about the others.

Run controls sit outside the view; the view is one `st.fragment` that steps the model and
redraws. While playing, the fragment reruns itself every `refresh` seconds (`run_every`),
so no script ever sleeps or loops; toggling Play reruns the page, which re-arms or disarms
the timer. The model lives in `st.session_state` (see `views.state`).
"""

from __future__ import annotations

import streamlit as st

from configuration.errors import UserError
from views import live_data
from views.galaxy_figure import galaxy_figure
from views.galaxy_frames import frame_from_model
from views.live_stories import stories_panel
from views.minds import Minds
from views.minds_panel import minds_panel
from views.navigation import ask_what_if, ask_why, refuse_remote_serving, switch_to
from views.panels import (
    CHART_GROUPS,
    cast_table,
    charts,
    ending_banner,
    monitors,
    story_feed,
    view_controls,
)
from views.sidebar import current_choice
from views.state import LiveRun, live_run, start_live_run
from views.whatif_forks import origin_from_live
from world.clock import stamp

SPEEDS = (1, 2, 4, 6, 12, 24, 48)
REFRESH_SECONDS = (0.1, 0.25, 0.5, 1.0, 2.0)
STOP_PLAYING = "stop_playing"


def _reset() -> None:
    """Reset button: a fresh model from the sidebar's scenario and seed."""
    choice = current_choice()
    if choice is None or choice.scenario is None:
        return
    try:
        start_live_run(choice.scenario, choice.seed)
    except UserError as error:
        st.session_state["live_error"] = f"This scenario cannot run:\n\n```\n{error}\n```"
        return
    except Exception as error:  # the schema accepted it, building the world did not
        st.session_state["live_error"] = (
            f"{choice.name}, seed {choice.seed}: this scenario cannot run; building it failed "
            f"with {type(error).__name__}: {error}"
        )
        return
    st.session_state.pop("live_error", None)
    st.session_state.pop("saved_record", None)


def controls(run: LiveRun) -> tuple[bool, int, float]:
    """Reset, Play/Pause, speed and Run to end; returns (playing, ticks per refresh, refresh)."""
    if st.session_state.pop(STOP_PLAYING, False):  # the run ended while playing
        st.session_state["playing"] = False
    choice = current_choice()
    reset, play, speed, refresh, to_end = st.columns([1, 1, 2, 2, 1.3], vertical_alignment="bottom")
    reset.button(
        "Reset",
        key="reset",
        on_click=_reset,
        disabled=choice is None or choice.scenario is None,
        help="start again from the sidebar's scenario and seed",
    )
    playing = play.toggle("Play", key="playing", disabled=run.finished)
    ticks = speed.select_slider("Ticks per refresh", SPEEDS, value=1, key="ticks_per_refresh")
    seconds = refresh.select_slider(
        "Refresh every (s)", REFRESH_SECONDS, value=0.5, key="refresh_seconds"
    )
    to_end.button(
        "Run to end",
        key="run_to_end",
        disabled=run.finished,
        on_click=run.run_to_end,  # a callback: the controls above then see the ended run
        help="run straight to the ending (or the horizon)",
    )
    if choice and (choice.name != run.label or choice.seed != run.seed):
        st.caption(
            f"Watching **{run.label}**, seed {run.seed}. The sidebar now says "
            f"{choice.name or '—'}, seed {choice.seed}: press Reset to start it."
        )
    return playing and not run.finished, int(ticks), float(seconds)


def _view_body(playing: bool, ticks: int) -> None:
    """Step (if asked) and redraw everything that changes with the tick."""
    run = live_run()
    step_col, status_col = st.columns([1, 5], vertical_alignment="center")
    stepped = step_col.button("Step", key="step", disabled=playing or run.finished)
    failed_before = run.failure is not None
    if stepped:
        run.step(1)  # a failure of the world stops the run (`run.failure`), never the page
    elif playing:
        run.step(ticks)
    model = run.model
    status = "ended" if run.finished else ("playing" if playing else "paused")
    status = "stopped by a failure" if run.failure is not None else status
    status_col.markdown(
        f"**{stamp(run.tick)}** · tick {run.tick} of {model.config.simulation.ticks} · {status}"
        f" · {run.label}, seed {run.seed}"
    )
    if run.failure is not None:
        st.error(f"{run.failure}\n\nPress **Reset** to start a new run.")
    if (playing and run.finished) or (run.failure is not None and not failed_before):
        st.session_state[STOP_PLAYING] = True
        st.rerun()  # the whole page: Play and Run to end switch off, the timer is disarmed

    ending, ending_tick, flags = live_data.ending_of(model)
    ending_banner(ending, ending_tick, flags)
    table = live_data.metrics_table(model)
    latest, before = live_data.latest_and_day_before(model, table)
    monitors(latest, before)

    galaxy_col, story_col = st.columns([3, 2])
    with galaxy_col:
        colour_by, follow, zoom = view_controls("")
        frame = frame_from_model(model, key=f"{run.label}|{run.seed}|{id(model)}")
        st.plotly_chart(
            galaxy_figure(frame, colour_by, follow=follow, zoom=zoom),
            key="galaxy",
            config={"scrollZoom": True},
            theme=None,
        )
    with story_col:
        st.markdown("**The story** (newest first)")
        story_feed(live_data.event_tuples(model), height=520)
        stories_panel(model, ending)

    chart_col, cast_col = st.columns([3, 2])
    with chart_col:
        group = st.radio("Chart", list(CHART_GROUPS), horizontal=True, key="chart_group")
        charts(table, group, key="live_chart")
    with cast_col:
        st.markdown("**The cast**")
        cast_table(live_data.cast_rows(model))
        names = live_data.cast_names(model)
        who = st.selectbox("Inspect", list(names), format_func=names.get, key="inspect_character")
        if st.button("Why did they choose that? →", key="ask_why"):
            ask_why("live", who, None)
        if st.button(
            "What if… →",
            key="ask_what_if",
            disabled=run.failure is not None,
            help="fork this run after this tick: change weights, traits or a choice, and compare",
        ):
            ask_what_if(origin_from_live(run))
    with st.expander(f"What {names.get(who, who)} believes and feels", expanded=True):
        minds_panel(Minds.from_model(model), who, names, key="live_")
    _save_controls(run)


def _save_controls(run: LiveRun) -> None:
    """Save a finished run as a run record and offer it to the Replay page."""
    saved = st.session_state.get("saved_record")
    left, right = st.columns([1, 3], vertical_alignment="center")
    if left.button(
        "Save run record",
        key="save_record",
        disabled=not run.finished or run.failure is not None or run.saved_to is not None,
        help="available once the run has ended (Run to end finishes it); not for a failed run",
    ):
        try:
            saved = str(run.save())
        except (UserError, OSError) as error:
            st.error(f"The record could not be saved:\n\n```\n{error}\n```")
            return
        st.session_state["saved_record"] = saved
    if saved and run.saved_to is not None and str(run.saved_to) == saved:
        right.success(f"Saved to `{saved}`")
        if st.button("Open it in Replay →", key="open_replay"):
            st.session_state["replay_path"] = saved
            switch_to("replay")


def render() -> None:
    refuse_remote_serving()
    st.title("USS Callister: Into Infinity — live")
    choice = current_choice()
    if choice and choice.error:
        st.error(choice.error)
    run = live_run()
    if run is None and choice and choice.scenario:
        _reset()
        run = live_run()
    if "live_error" in st.session_state:  # after the first Reset, so its failure shows at once
        st.error(st.session_state["live_error"])
    if run is None:
        st.info("Choose a usable scenario in the sidebar to start a run.")
        return
    playing, ticks, seconds = controls(run)

    @st.fragment(run_every=seconds if playing else None)
    def live_view() -> None:
        _view_body(playing, ticks)

    live_view()


if __name__ == "__main__":
    render()
