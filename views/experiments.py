"""Experiments: start a batch in the background, watch its progress, explore results.

A batch is a `callister batch` process of its own (`views.batch_jobs`); its progress is read
from the results directory, in a fragment that refreshes itself every second while any batch
is running, so it survives page changes and reruns. The results explorer is
`views.explorer`; scenario discovery and the verification of a box, `views.discover`.
"""

from __future__ import annotations

import time

import streamlit as st

from configuration.errors import UserError
from experiments.designs import build_design
from experiments.spec import load_experiment
from views import batch_jobs as bj
from views.configs import experiments_dir, results_dir
from views.discover import render_discover
from views.explorer import RESULTS_KEY, render_results
from views.navigation import refuse_remote_serving
from views.stories import render_stories

REFRESH_S = 1.0


def _launcher() -> None:
    files = sorted(experiments_dir().glob("*.toml"))
    if not files:
        st.info(f"No experiment files in {experiments_dir()}.")
        return
    chosen = st.selectbox("Experiment file", files, format_func=lambda p: p.name, key="exp_file")
    try:
        experiment = load_experiment(chosen)
        planned = len(build_design(experiment.spec)) * experiment.spec.experiment.replicates
    except (UserError, OSError, ValueError) as error:
        st.error(f"This experiment cannot run:\n\n```\n{error}\n```")
        return
    section = experiment.spec.experiment
    st.caption(
        f"**{experiment.name}** — {section.description or 'no description'} · {section.design} "
        f"design, {planned} runs ({section.replicates} per design point)"
    )
    out_col, workers_col, go_col = st.columns([3, 1, 1], vertical_alignment="bottom")
    out = out_col.text_input(
        "Results directory (a name; an existing one of this experiment is resumed)",
        value=experiment.name,
        key=f"exp_out_{experiment.name}",
        help=f"kept in {results_dir()}: the page writes nowhere else",
    )
    workers = workers_col.number_input("Workers (0 = all cores)", 0, 256, 0, key="exp_workers")
    if go_col.button("Start batch", key="exp_start", type="primary"):
        try:
            bj.start_batch(experiment, out, int(workers) or None)
        except (UserError, OSError) as error:
            st.error(f"The batch was not started. {error}")
        else:
            st.rerun()  # re-arm the progress fragment's timer


def _progress_row(out, job: bj.BatchJob | None) -> None:
    state = bj.progress(out)
    planned = state.planned if state.planned is not None else "?"
    if state.running:
        status = "running"
    elif job is not None and job.exit_code() not in (None, 0):
        status = f"ended with exit code {job.exit_code()}"
    else:
        status = "finished"
    text = f"{out.name}: {state.done}/{planned} runs, {state.failed} failed — {status}"
    st.progress(state.fraction, text=text)
    cells = st.columns([1, 1, 4])
    if job is not None and state.running and cells[0].button("Stop", key=f"stop_{out}"):
        bj.stop_batch(job)
    if not state.running and state.planned and cells[1].button("Open results", key=f"open_{out}"):
        st.session_state[RESULTS_KEY] = str(out)
        st.rerun()
    if job is not None:
        with st.expander(
            f"log of {out.name} (started {time.strftime('%H:%M:%S', time.localtime(job.started))})"
        ):
            st.code(bj.log_tail(job) or "(no output yet)")


def _progress() -> bool:
    """Every known batch with its progress; returns whether any is still running."""
    mine = bj.jobs()
    elsewhere = bj.running_elsewhere()
    if not mine and not elsewhere:
        st.caption("No batch started in this session, and none is running.")
        return False
    for job in list(mine.values()):
        _progress_row(job.out, job)
    for out in elsewhere:
        _progress_row(out, None)
    return any(bj.batch_running(job.out) for job in mine.values()) or bool(elsewhere)


def render() -> None:
    refuse_remote_serving()
    st.title("Experiments — batches and their results")
    run_tab, results_tab, discover_tab, stories_tab = st.tabs(
        ["Run a batch", "Explore results", "Discover", "Stories"]
    )
    with run_tab:
        _launcher()
        st.markdown("**Batches**")
        armed = st.session_state.get("batches_running", False)

        @st.fragment(run_every=REFRESH_S if armed else None)
        def batch_progress() -> None:
            running = _progress()
            if running != st.session_state.get("batches_running", False):
                st.session_state["batches_running"] = running
                st.rerun()  # the whole page: arms or disarms the refresh timer

        batch_progress()
    with results_tab:
        render_results()
    with discover_tab:
        render_discover()
    with stories_tab:
        render_stories()


if __name__ == "__main__":
    render()
