"""Experiments → Stories: which story patterns a batch's runs contain, and one of them replayed.

The numbers are `experiments.stories_batch.batch_stories` (each pattern's share of the ok
runs with a Wilson interval, per design point, rarest first). A batch keeps no run records,
so "Open in Replay" plays the chosen run again from its scenario and seed
(`experiments.replay_batch_run`, which checks the replay's digest against the batch's), saves
the record where the Live page saves its records, and hands it to the Replay page.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from configuration.errors import UserError
from configuration.toml_input import decode_text, parse_toml, read_text
from experiments.consolidate import read_runs
from experiments.replay_batch_run import record_batch_run
from experiments.store import ResultsStore
from experiments.stories_batch import batch_stories
from experiments.stories_language import DEFAULT_PATTERNS, validate_patterns
from views import stories_figures as sf
from views.configs import runs_dir
from views.explorer import choose_directory
from views.navigation import switch_to
from views.records import OPENED_KEY
from views.results import results_path, version
from world.record import SUMMARY_FILE, holds_record

SHIPPED, UPLOADED, TYPED = "the shipped patterns", "upload a file", "type TOML"
MAX_POINTS_DRAWN = 40  # design points a heatmap still shows legibly; more: the JSON has them


def _pattern_text() -> tuple[str, str] | None:
    """(source, TOML text) of the chosen pattern file; None until one is given."""
    how = st.radio("Story patterns", [SHIPPED, UPLOADED, TYPED], horizontal=True, key="st_how")
    if how == SHIPPED:
        st.caption(f"`configs/stories/{DEFAULT_PATTERNS.name}` (docs/stories.md)")
        return DEFAULT_PATTERNS.name, read_text(DEFAULT_PATTERNS)
    if how == UPLOADED:
        upload = st.file_uploader("Pattern file (TOML)", type=["toml"], key="st_upload")
        if upload is None:
            return None
        try:
            return upload.name, decode_text(upload.getvalue(), upload.name)
        except UserError as error:  # too large, or not UTF-8
            st.error(f"This pattern file cannot be used:\n\n```\n{error}\n```")
            return None
    typed = st.text_area(
        "Pattern file (TOML, `[patterns.ID]` tables as in docs/stories.md)",
        height=220,
        key="st_typed",
    )
    return ("typed patterns", typed) if typed.strip() else None


@st.cache_data(show_spinner="Matching the patterns in every run…", max_entries=8)
def _stories(
    out: str, stamp: tuple[float, int], source: str, text: str
) -> tuple[dict[str, Any], pd.DataFrame]:
    """`batch_stories` and the runs table, once per results version and pattern file."""
    report = batch_stories(validate_patterns(parse_toml(text, source), source), out)
    return report, read_runs(ResultsStore(out))  # consolidated by `batch_stories`


def _shares(report: dict[str, Any]) -> None:
    st.subheader(f"{report['experiment']}: {report['runs']} ok runs of {report['planned']}")
    table = sf.share_table(report)
    if not table.empty:
        st.markdown("**Each pattern's share of the runs**, rarest first (95% Wilson intervals)")
        st.plotly_chart(sf.share_figure(table), key="st_shares")
        with st.expander("The numbers"):
            st.dataframe(table, hide_index=True, key="st_share_table")
    points = sf.point_table(report)
    if 1 < len(points.columns) <= MAX_POINTS_DRAWN:
        st.markdown("**Share of each design point's runs**")
        st.plotly_chart(sf.point_figure(points), key="st_points")
    elif len(points.columns) > MAX_POINTS_DRAWN:
        st.caption(
            f"{len(points.columns)} design points: `callister stories DIR --json` gives each "
            "pattern's share at each."
        )
    blind = [row["name"] for row in report["patterns"] if not row["applicable"]]
    if blind:
        st.info(
            "Not judged (a beat is a chosen action, and batches keep no decisions): "
            + ", ".join(blind)
        )


def _matching_runs(directory: Path, report: dict[str, Any], runs) -> None:
    found = [row for row in report["patterns"] if row["applicable"] and row["runs_matched"]]
    if not found:
        st.caption("No pattern matched any run yet.")
        return
    st.markdown("**The runs of one pattern**")
    names = {row["id"]: f"{row['name']} ({row['runs_matched']} runs)" for row in found}
    pattern_id = st.selectbox("Pattern", list(names), format_func=names.get, key="st_pattern")
    table = sf.matching_runs(report, pattern_id, runs)
    st.dataframe(table, hide_index=True, key="st_runs")
    ids = table["run_id"].astype(int).tolist()
    pick, go = st.columns([3, 1], vertical_alignment="bottom")
    run_id = pick.selectbox("Run", ids, key="st_run", format_func=lambda n: f"run {n}")
    if go.button(
        "Open in Replay →",
        key="st_open_replay",
        help="plays the run again from its scenario and seed (a few seconds), checks it is the "
        "batch's run by its digest, saves the record under runs/ and opens it",
    ):
        digest = str(runs.loc[runs["run_id"] == run_id, "digest"].iloc[0])
        try:
            with st.spinner(f"Playing run {run_id} again…"):
                record = _record_of(directory, int(run_id), digest)
        except (UserError, OSError) as error:
            st.error(f"Run {run_id} cannot be replayed:\n\n```\n{error}\n```")
            return
        st.session_state[OPENED_KEY] = str(record)
        switch_to("replay")


def _record_of(directory: Path, run_id: int, digest: str) -> Path:
    """The saved record of this run: one made before if its digest agrees, else a new one."""
    target = runs_dir() / f"{directory.name}-run{run_id}"
    if holds_record(target):
        try:
            if json.loads((target / SUMMARY_FILE).read_text("utf-8")).get("digest") == digest:
                return target
        except (OSError, ValueError, AttributeError):  # damaged: replay into a new directory
            pass
        target = target.with_name(f"{target.name}-{datetime.now(UTC):%Y%m%d-%H%M%S}")
    return record_batch_run(directory, run_id, target, option="Open in Replay")


def render_stories() -> None:
    out = choose_directory("stories")
    if not out:
        return
    chosen = _pattern_text()
    if chosen is None:
        st.info("Give a pattern file to read the stories.")
        return
    source, text = chosen
    try:
        validate_patterns(parse_toml(text, source), source)  # its errors before any work
    except UserError as error:
        st.error(f"This pattern file cannot be used:\n\n```\n{error}\n```")
        return
    try:
        directory = results_path(out)
        if not directory.is_dir():
            raise UserError(f"{directory}: no such results directory.")
        report, runs = _stories(str(directory), version(directory), source, text)
    except (UserError, OSError, KeyError, ValueError) as error:
        st.error(f"The stories cannot be read:\n\n```\n{error}\n```")
        return
    _shares(report)
    _matching_runs(directory, report, runs)
