"""The pages of the app and the hand-offs between them (Live/Replay -> Why, Live -> Replay).

A hand-off is a small request in `st.session_state` that the target page consumes once, so
links carry their context without any page importing another.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

# Page scripts, relative to dashboard.py (what st.Page and st.switch_page take).
PAGES = {
    "live": "views/live.py",
    "why": "views/why.py",
    "tune": "views/tune.py",
    "replay": "views/replay.py",
    "experiments": "views/experiments.py",
}
WHY_REQUEST = "why_request"


@dataclass(frozen=True)
class WhyRequest:
    """Open the inspector on `character` at `tick` (None: the latest decision) of `source`."""

    source: str  # "live" or "replay"
    character: str
    tick: int | None


def ask_why(source: str, character: str, tick: int | None) -> None:
    """Go to the inspector for one character's decision."""
    st.session_state[WHY_REQUEST] = WhyRequest(source, character, tick)
    st.switch_page(PAGES["why"])


def take_why_request() -> WhyRequest | None:
    """The pending hand-off to the inspector, consumed."""
    return st.session_state.pop(WHY_REQUEST, None)
