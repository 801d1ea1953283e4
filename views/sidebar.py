"""The shared sidebar: which scenario (a file in configs/ or an upload) and which seed.

The Live and Tune pages both work on the chosen scenario, so the choice is made once, in
the entry point's sidebar, and kept for the whole session (`persist_state="session"`). An
unusable file or upload is reported in the page; the previous choice and run stay intact.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from configuration.errors import UserError
from views.configs import Scenario, list_configs, load_scenario, parse_upload

CHOICE_KEY = "scenario_choice"
UPLOADED_KEY = "uploaded_scenario"
UPLOAD_SEEN_KEY = "upload_seen"


@dataclass(frozen=True)
class ScenarioChoice:
    """What the sidebar chose: a usable scenario or the reason it is not usable, and a seed."""

    name: str
    scenario: Scenario | None
    error: str | None
    seed: int


def _take_upload() -> None:
    """Parse a newly uploaded file once; a good one becomes the selected scenario."""
    uploaded = st.sidebar.file_uploader(
        "…or upload a scenario (.toml)", type=["toml"], key="scenario_upload"
    )
    if uploaded is None or st.session_state.get(UPLOAD_SEEN_KEY) == uploaded.file_id:
        return
    st.session_state[UPLOAD_SEEN_KEY] = uploaded.file_id
    try:
        scenario = parse_upload(uploaded.name, uploaded.getvalue())
    except UserError as error:
        st.session_state["upload_error"] = f"This upload cannot be used:\n\n```\n{error}\n```"
        return
    st.session_state.pop("upload_error", None)
    st.session_state[UPLOADED_KEY] = scenario
    st.session_state["scenario"] = scenario.label  # allowed: the selectbox is not drawn yet


def scenario_picker() -> ScenarioChoice:
    """Draw the sidebar controls and remember the choice for the pages."""
    top = st.sidebar.container()  # the selectbox shows above the uploader it depends on
    _take_upload()
    if "upload_error" in st.session_state:
        st.sidebar.error(st.session_state["upload_error"])
    uploaded: Scenario | None = st.session_state.get(UPLOADED_KEY)
    options = list_configs() + ([uploaded.label] if uploaded else [])
    if not options:
        choice = ScenarioChoice("", None, "No scenario files in the configs directory.", 1)
        st.session_state[CHOICE_KEY] = choice
        return choice
    name = top.selectbox(
        "Scenario",
        options,
        key="scenario",
        persist_state="session",
        help="TOML files in configs/ (or the one you uploaded)",
    )
    scenario, error = None, None
    if uploaded and name == uploaded.label:
        scenario = uploaded
    else:
        try:
            scenario = load_scenario(name)
        except UserError as problem:
            error = f"{name} cannot be used:\n\n```\n{problem}\n```"
    seed = int(
        top.number_input(
            "Seed",
            min_value=0,
            # the scenario's own seed at first, so the first run is `callister run CONFIG`'s
            value=scenario.config.simulation.seed if scenario else 1,
            step=1,
            key="seed",
            persist_state="session",
            help="same scenario + seed = the same run, anywhere",
        )
    )
    choice = ScenarioChoice(name, scenario, error, seed)
    st.session_state[CHOICE_KEY] = choice
    return choice


def current_choice() -> ScenarioChoice | None:
    """The sidebar's latest choice (None before the sidebar was first drawn)."""
    return st.session_state.get(CHOICE_KEY)
