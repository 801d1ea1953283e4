"""What if…: fork a run at a tick, run many futures of both branches, compare them.

Opened from Live (at the live run's tick) or Replay (at the slider's tick). The changes are
chosen in a panel (`views.whatif_panel`); the fork is checked and run by the experiments'
own `prepare` and `run_fork` on local worker processes, with a progress bar. Each fork joins
the session's branch tree (`views.whatif_forks`): pick one to see the endings of both
branches with their intervals, where the branches part, and two futures side by side
(`views.whatif_side`).
"""

from __future__ import annotations

import statistics

import streamlit as st

from configuration.errors import UserError
from experiments.fork_effects import INTERVAL_METHOD
from experiments.runners import BackendFailure
from views.navigation import refuse_remote_serving, take_what_if_request
from views.whatif_charts import divergence_figure, effects_figure, shown_effects
from views.whatif_forks import ORIGIN_KEY, ForkEntry, ForkOrigin, make_fork, tree
from views.whatif_panel import CHANGES_KEY, change_panel, run_settings
from views.whatif_side import two_futures
from world.clock import stamp

SELECTED_KEY = "whatif_selected"  # (root index, fork number); fork number 0: the original


def _take_origin() -> ForkOrigin | None:
    request = take_what_if_request()
    if isinstance(request, ForkOrigin):
        st.session_state[ORIGIN_KEY] = request
        st.session_state[CHANGES_KEY] = []
    return st.session_state.get(ORIGIN_KEY)


def _new_fork(origin: ForkOrigin) -> None:
    """The change panel and the Run button; a fork that runs joins the tree, selected."""
    where = "the live run" if origin.source == "live" else "the replayed record"
    st.markdown(
        f"Forking {where} **{origin.label}**, seed {origin.seed}, after tick **{origin.at}** "
        f"({stamp(origin.at) if origin.at else 'before the first hour'}). "
        f"Changes take effect from hour {origin.at + 1}."
    )
    sets, forces = change_panel(origin)
    replicates, workers = run_settings()
    if not st.button("Run the fork", key="whatif_run", type="primary"):
        return
    progress = st.progress(0.0, text="Simulating the run up to the fork…")
    done = []

    def on_pair(_pair) -> None:
        done.append(1)
        progress.progress(len(done) / replicates, text=f"{len(done)} of {replicates} pairs")

    try:
        entry = make_fork(origin, sets, forces, replicates, workers, on_pair)
    except UserError as error:  # ConfigError is one too
        progress.empty()
        st.error(str(error))
        return
    except BackendFailure as error:  # the worker processes themselves broke
        progress.empty()
        st.error(f"The fork could not run its futures: {error}")
        return
    progress.empty()
    roots = tree()
    index = next(n for n, root in enumerate(roots) if entry in root.forks)
    st.session_state[SELECTED_KEY] = (index, entry.number)


def _tree_choice() -> tuple[int, int] | None:
    """The branch tree as one list to pick from: each original run, its forks beneath it."""
    labels = {}  # a plain dict: the radio formats its options outside this script run too
    for index, root in enumerate(tree()):
        labels[(index, 0)] = root.label
        for fork in root.forks:
            labels[(index, fork.number)] = f"└─ {fork.label}"
    nodes = list(labels)
    if not nodes:
        st.caption("No fork yet: choose changes above and press **Run the fork**.")
        return None
    if st.session_state.get(SELECTED_KEY) not in nodes:
        st.session_state[SELECTED_KEY] = nodes[-1]
    chosen = st.radio("Branches", nodes, format_func=labels.get, key=SELECTED_KEY)
    st.caption(
        "Forks are made from the original run (from Live or Replay at a tick); "
        "a fork of a fork is not supported."
    )
    return chosen


def _results(entry: ForkEntry, node: tuple[int, int]) -> None:
    report = entry.report
    if report.failures:
        failed = "; ".join(f"replicate {k}: {why}" for k, why in sorted(report.failures.items()))
        st.error(f"Some replicates failed and are left out: {failed}")
    if not report.pairs:
        return
    st.markdown(f"#### Endings of both branches ({len(report.pairs)} replicates)")
    st.plotly_chart(effects_figure(report.effects), key="whatif_effects")
    st.caption(f"Intervals: 95%, {INTERVAL_METHOD}.")
    st.dataframe(
        [
            {
                "outcome": effect.outcome,
                "baseline": effect.baseline,
                "branch": effect.branch,
                "difference": effect.difference,
                "95% low": effect.ci[0],
                "95% high": effect.ci[1],
            }
            for effect in shown_effects(report.effects)
        ],
        hide_index=True,
        key="whatif_effects_table",
    )
    parted = sorted(p.diverged_at for p in report.pairs if p.diverged_at is not None)
    st.markdown("#### Where the branches part")
    if parted:
        st.caption(
            f"{len(parted)} of {len(report.pairs)} replicates part; the earliest at tick "
            f"{parted[0]}, the median at tick {statistics.median_low(parted)} (the lower "
            "median, an hour a pair really parted at, as `callister fork` reports it)."
        )
        st.plotly_chart(divergence_figure(report.pairs, entry.origin.at), key="whatif_parting")
    else:
        st.caption("In no replicate do the branches part: the change never showed.")
    st.markdown("#### Two futures side by side")
    two_futures(entry, node)


def render() -> None:
    refuse_remote_serving()
    st.title("What if… — fork a run and compare its futures")
    origin = _take_origin()
    if origin is None:
        st.info(
            "Open **What if…** from the Live page (at the live run's tick) or from Replay "
            "(at the slider's tick) to fork that run."
        )
    else:
        with st.container(border=True):
            _new_fork(origin)
    node = _tree_choice()
    if node is None:
        return
    root = tree()[node[0]]
    if node[1] == 0:
        st.markdown(
            f"The original run: **{root.origin.label}**, seed {root.origin.seed}; "
            f"{len(root.forks)} fork(s). Pick a fork to see what it did."
        )
        return
    _results(root.forks[node[1] - 1], node)


if __name__ == "__main__":
    render()
