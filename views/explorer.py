"""The results explorer of the Experiments page: endings, effects, Sobol, comparisons.

Opens a batch results directory (`callister batch --out DIR`), shows the ending distribution
of every condition with 95% Wilson intervals and the independence test, the parameter effects
(Spearman's rho), Sobol indices when the design was Sobol, and puts two conditions or two runs
side by side. Every number comes from `experiments`; a bad directory is an error in the page.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from configuration.errors import UserError
from views import results as rs
from views.batch_jobs import results_dirs
from views.configs import results_dir
from world.endings import FLAGS

RESULTS_KEY = "results_path"  # the directory open in the explorer (`choose_directory("results")`)
MAX_CONDITIONS_DRAWN = 12
OUTCOME_COLUMNS = ("ending", *FLAGS)


def choose_directory(prefix: str = "results") -> str | None:
    """The results directory open in one tab of the Experiments page.

    Each tab keeps its own (`prefix`: its widget keys and `{prefix}_path` in the session), so
    opening results to explore them never starts another tab's work on them.
    """
    known = [str(p) for p in results_dirs()]
    pick, typed = st.columns([2, 3], vertical_alignment="bottom")
    if known:
        chosen = pick.selectbox("Results directories", known, key=f"{prefix}_pick")
        if pick.button("Open", key=f"{prefix}_open"):
            st.session_state[f"{prefix}_path"] = chosen
    else:
        pick.caption("No results directories yet: run a batch first.")
    path = typed.text_input(
        "…or a results directory (a name, or a path inside the results root)",
        key=f"{prefix}_typed",
        help=f"the results root is {results_dir()}",
    )
    if typed.button("Open path", key=f"{prefix}_open_path") and path.strip():
        st.session_state[f"{prefix}_path"] = path.strip()
    return st.session_state.get(f"{prefix}_path")


def _overview(report: dict) -> None:
    runs = report["runs"]
    st.subheader(f"{report['experiment']} — {report['design']} design")
    if report.get("description"):
        st.caption(report["description"])
    cells = st.columns(4)
    cells[0].metric("planned runs", runs["planned"])
    cells[1].metric("ok", runs["ok"])
    cells[2].metric("failed", runs["failed"])
    cells[3].metric("not run yet", runs["not_run"])
    test = report.get("test")
    if test and test.get("p_value") is not None:
        st.markdown(
            f"Do the endings differ between conditions? **{test['method']}**: "
            f"p = {test['p_value']:.3g}, Cramér's V = {test['cramers_v'] or 0:.2f}. "
            f"{test.get('note', '')}"
        )
    for failure in report.get("failures", []):
        st.warning(f"run {failure['run_id']} failed: {failure['error']}")


def _endings(report: dict) -> None:
    points = report["points"]
    if len(points) > MAX_CONDITIONS_DRAWN:  # a sampled design: one bar group per point is noise
        st.markdown(
            f"**Endings over all {len(points)} design points** (95% Wilson intervals); "
            "compare any two conditions below."
        )
        points = [
            {"point": "all", "values": {}, "ok": report["runs"]["ok"], "endings": report["overall"]}
        ]
    else:
        st.markdown(
            "**Endings per condition** (bars: share of ok runs; whiskers: 95% Wilson interval)"
        )
    table = rs.ending_table(points, report["endings"])
    if table.empty:
        st.info("No ok runs yet.")
        return
    st.plotly_chart(rs.endings_figure(table), key="results_endings")
    with st.expander("The numbers"):
        st.dataframe(table, hide_index=True, key="results_endings_table")


def _effects_and_sobol(report: dict) -> None:
    effects = rs.effects_table(report)
    if not effects.empty:
        st.markdown("**Parameter effects** — Spearman's ρ between each parameter and each outcome")
        st.plotly_chart(rs.effects_figure(effects), key="results_effects")
    sobol = report.get("sobol")
    if sobol:
        st.markdown("**Sobol indices** — share of each outcome's variance due to each parameter")
        outcomes = list(sobol.get("outcomes") or {})
        if not outcomes:
            st.info(sobol.get("note") or "No outcome varies yet: nothing to apportion.")
            return
        outcome = st.selectbox("Outcome", outcomes, key="results_sobol_outcome")
        st.plotly_chart(rs.sobol_figure(rs.sobol_table(report, outcome)), key="results_sobol")


def _compare_conditions(report: dict) -> None:
    points = report["points"]
    labels = [rs.condition_label(p) for p in points]
    left, right = st.columns(2)
    a = left.selectbox(
        "Condition A", range(len(points)), format_func=labels.__getitem__, key="cmp_a"
    )
    b = right.selectbox(
        "Condition B",
        range(len(points)),
        index=min(1, len(points) - 1),
        format_func=labels.__getitem__,
        key="cmp_b",
    )
    table = rs.ending_table([points[a], points[b]], report["endings"])
    if table.empty:  # no ok run yet (a batch just started, or every run failed)
        st.info("No ok runs in these conditions yet.")
        return
    st.plotly_chart(rs.endings_figure(table, height=320), key="cmp_conditions")
    for column, index in ((left, a), (right, b)):
        point = points[index]
        column.markdown(f"**{labels[index]}** — {point['ok']} ok runs")
        flags = pd.Series(point["flags"], name="share of runs")
        column.dataframe(flags, key=f"cmp_flags_{index}_{column is left}")
        events = pd.Series(point["events_mean"], name="mean events per run")
        column.dataframe(events[events > 0], key=f"cmp_events_{index}_{column is left}")


def _compare_runs(out: Path, report: dict, runs: pd.DataFrame) -> None:
    if runs.empty:
        st.info("No runs yet.")
        return
    ids = runs["run_id"].astype(int).tolist()
    describe = {
        int(r.run_id): f"run {r.run_id} · #{r.point} · seed {r.seed} · {r.ending or r.status}"
        for r in runs.itertuples()
    }
    left, right = st.columns(2)
    a = left.selectbox("Run A", ids, format_func=describe.get, key="cmp_run_a")
    b = right.selectbox(
        "Run B", ids, index=min(1, len(ids) - 1), format_func=describe.get, key="cmp_run_b"
    )
    shown = runs.set_index("run_id").loc[[a, b]]
    keep = [
        c
        for c in ("point", "seed", *report["parameters"], *OUTCOME_COLUMNS, "crew_alive", "ticks")
        if c in shown
    ]
    events = [c for c in shown.columns if c.startswith("events.") and shown[c].fillna(0).any()]
    table = shown[keep + events].T.astype(str)
    table.columns = [f"run {a} (A)", f"run {b} (B)"]
    st.dataframe(table, key="cmp_runs_table")
    series = rs.read_series(out, [a, b])
    if series.empty:
        st.caption("No per-tick series were kept for these runs (series_every = 0).")
        return
    metrics = [c for c in series.columns if c not in ("run_id", "tick")]
    metric = st.selectbox("Metric over time", metrics, key="cmp_metric")
    st.plotly_chart(
        rs.series_overlay(series, metric, {a: f"run {a} (A)", b: f"run {b} (B)"}), key="cmp_series"
    )


def render_results() -> None:
    out = choose_directory()
    if not out:
        return
    try:
        directory = rs.results_path(out)
        report, runs = rs.open_results(directory)
    except (UserError, OSError, KeyError, ValueError) as error:
        st.error(f"These results cannot be opened:\n\n```\n{error}\n```")
        return
    _overview(report)
    _endings(report)
    _effects_and_sobol(report)
    st.markdown("**Side by side**")
    mode = st.radio("Compare", ["two conditions", "two runs"], horizontal=True, key="cmp_mode")
    if mode == "two conditions":
        _compare_conditions(report)
    else:
        _compare_runs(directory, report, runs)
