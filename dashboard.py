"""Callister dashboard: `make dashboard` (or `streamlit run dashboard.py`), on 127.0.0.1.

The entry point refuses to serve a network address unless the user opted in
(`views.navigation.refuse_remote_serving`), then declares the pages and the shared sidebar; each
page lives in `views/`. Pages: Live (the landing page), Why (decision inspector), Tune (edit
utilities), Replay (scrub a saved run) and Experiments (batches and their results). See
docs/dashboard.md for the user guide.
"""

from __future__ import annotations

import streamlit as st

from views.navigation import PAGES, refuse_remote_serving
from views.sidebar import scenario_picker

st.set_page_config(page_title="Callister", page_icon=":material/rocket_launch:", layout="wide")
refuse_remote_serving()  # no page runs: nothing reachable from the network may start work

pages = {
    "live": st.Page(PAGES["live"], title="Live", icon=":material/satellite_alt:", default=True),
    "why": st.Page(PAGES["why"], title="Why", icon=":material/psychology_alt:"),
    "tune": st.Page(PAGES["tune"], title="Tune", icon=":material/tune:"),
    "replay": st.Page(PAGES["replay"], title="Replay", icon=":material/history:"),
    "experiments": st.Page(PAGES["experiments"], title="Experiments", icon=":material/science:"),
}
page = st.navigation(list(pages.values()))
# The scenario and seed are shared by the pages that build or edit a run.
if page.title in ("Live", "Tune"):
    scenario_picker()
page.run()
