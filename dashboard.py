"""Callister dashboard: `make dashboard` (or `streamlit run dashboard.py`), on 127.0.0.1.

The entry point refuses to serve a network address unless the user opted in
(`views.navigation.refuse_remote_serving`), then builds the menu from the page registry
(`views.navigation.PAGES`: Live, Why, Tune, Replay, Experiments, What if…) and draws the shared
sidebar; each page lives in `views/`. See docs/dashboard.md for the user guide.
"""

from __future__ import annotations

import streamlit as st

from views.navigation import PAGES, refuse_remote_serving
from views.sidebar import scenario_picker


def main() -> None:
    st.set_page_config(page_title="Callister", page_icon=":material/rocket_launch:", layout="wide")
    refuse_remote_serving()  # no page runs: nothing reachable from the network may start work
    menu = [
        (entry, st.Page(entry.path, title=entry.title, icon=entry.icon, default=entry.default))
        for entry in PAGES.values()
    ]
    page = st.navigation([built for _, built in menu])
    # The scenario and seed are shared by the pages that build or edit a run.
    if next(entry for entry, built in menu if built is page).picks_scenario:
        scenario_picker()
    page.run()


# Streamlit runs this script as `__main__`. multiprocessing runs its parent's `__main__` file
# in every worker it starts, as `__mp_main__`: a fork's worker started while this script is
# `__main__` (another session's rerun puts it back) must not draw the app.
if __name__ == "__main__":
    main()
