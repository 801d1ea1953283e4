"""The Live page's Stories panel: the shipped story patterns brewing and complete, as of now.

"A mutiny is brewing: 1 of 2 beats (rebel = Karl)". A `StoryWatch` per live model reads only
the hours stepped since the last redraw (`experiments.stories_progress`), so the panel costs
a step almost nothing; it lives in the tab's session state beside the live run.
"""

from __future__ import annotations

import functools

import streamlit as st

from experiments.stories_language import DEFAULT_PATTERNS, Pattern, load_patterns
from experiments.stories_progress import PatternProgress, StoryWatch
from experiments.stories_timeline import cast_entry
from world.clock import stamp

WATCH_KEY = "live_story_watch"


@functools.cache
def shipped_patterns() -> dict[str, Pattern]:
    """`configs/stories/episode.toml`, read once per process (patterns are immutable)."""
    return load_patterns(DEFAULT_PATTERNS)


def story_progress_of(model, ending: str | None) -> list[PatternProgress]:
    """Every shipped pattern's progress in `model` as of its last hour."""
    kept = st.session_state.get(WATCH_KEY)
    # the model itself, not its id(): after Reset a new model may reuse a freed one's id
    watch = kept[1] if kept is not None and kept[0] is model else None
    if watch is None or watch.events_read > len(model.events.events):  # another model
        cast = {
            name: cast_entry(name, character.display_name, character.role)
            for name, character in model.config.characters.items()
        }
        watch = StoryWatch(shipped_patterns(), cast)
        st.session_state[WATCH_KEY] = (model, watch)
    return watch.update(
        model.events.events, model.decisions, int(model.steps), ending, not model.running
    )


def _who(progress: PatternProgress, complete: bool) -> str:
    match = progress.complete[-1] if complete else progress.brewing[0]
    names = ", ".join(f"{name} = {actor}" for name, actor in match.bindings.items())
    since = stamp(match.happenings[0].tick)
    return f" ({names}; since {since})" if names else f" (since {since})"


def stories_panel(model, ending: str | None) -> None:
    """An expander listing the brewing patterns ("k of n beats", who) and the complete ones."""
    progress = story_progress_of(model, ending)
    brewing = [p for p in progress if p.brewing]
    complete = [p for p in progress if p.complete]
    label = f"Stories: {len(brewing)} brewing, {len(complete)} complete"
    with st.expander(label, expanded=bool(brewing or complete)):
        lines = []
        for p in brewing:
            beats = (
                f"all {p.beats} beats, waiting for the ending"
                if p.awaits_ending
                else f"{p.brewing_beats} of {p.beats} beats"
            )
            lines.append(f"**{p.pattern.name}** is brewing: {beats}{_who(p, False)}")
        for p in complete:
            times = f" ×{len(p.complete)}" if len(p.complete) > 1 else ""
            lines.append(f"**{p.pattern.name}**{times} — complete{_who(p, True)}")
        if lines:
            st.markdown("  \n".join(lines))
        else:
            st.caption("No story pattern has begun yet (configs/stories/episode.toml).")
