"""Experiments → Discover: which ranges of the swept parameters lead to an outcome.

Pick a results directory, an outcome the batch holds and PRIM or CART; the discovery is
`experiments.discover.discover` (cached per directory version, outcome and method). The page
draws the peeling trajectory (pick a step in the list or click it), the boxes best first with
their limits over the parameter ranges, and launches the verification of a box
(`views.discover_verify`). A store discovery refuses is its one message in the page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from configuration.errors import UserError
from experiments.discover import discover
from experiments.discover_boxes import NO_BOX
from experiments.records import EVENT_PREFIX, STATUS_OK
from experiments.report import load_results
from experiments.statistics import wilson_interval
from experiments.stories_batch import match_batch
from experiments.stories_language import DEFAULT_PATTERNS, load_patterns
from views import results as rs
from views.discover_charts import (
    box_label,
    limits_figure,
    limits_table,
    percent,
    step_label,
    trajectory_figure,
)
from views.discover_verify import verify_panel
from views.explorer import choose_directory
from world.endings import ENDINGS, YES_NO_FLAGS

PREFIX = "discover"  # the keys of this tab's widgets and of its chosen directory
METHODS = {"prim": "PRIM", "cart": "CART"}


def _story_outcomes(out: str) -> dict[str, pd.Series]:
    """`story=ID` -> which ok runs each shipped pattern of events matched; none if unreadable."""
    try:  # a pattern file being edited, no events kept, lost...: the rest is still offered
        patterns = load_patterns(DEFAULT_PATTERNS)
        found = match_batch(patterns, out)
    except UserError:
        return {}
    return {
        f"story={pattern_id}": pd.Series(found.hits[pattern_id])
        for pattern_id in patterns
        if found.applicable[pattern_id]
    }


@st.cache_data(show_spinner="Reading the outcomes and stories…", max_entries=8)
def outcome_choices(out: str, stamp: tuple[float, int]) -> tuple[list[str], list[str]]:
    """(outcomes to discover, outcomes every ok run shows) among what the batch holds: the
    endings reached, the yes/no flags raised, the event kinds that happened, and the shipped
    story patterns found in its runs (if it kept their events).

    An outcome in every run has no region to find, so it is only named. With nothing left to
    offer (say, no ok run yet), every yes/no flag, so that discovery says what is wrong.
    """
    _, runs = load_results(out)
    ok = runs[runs["status"] == STATUS_OK] if not runs.empty else runs
    shown: dict[str, pd.Series] = {}
    if "ending" in ok:
        shown |= {f"ending={e}": ok["ending"] == e for e in ENDINGS if (ok["ending"] == e).any()}
    shown |= {
        f"flag={flag}": ok[flag].fillna(False).astype(bool) for flag in YES_NO_FLAGS if flag in ok
    }
    events = sorted(c for c in ok.columns if c.startswith(EVENT_PREFIX))
    shown |= {f"event={c.removeprefix(EVENT_PREFIX)}": ok[c].fillna(0) > 0 for c in events}
    shown |= _story_outcomes(out)
    varying = [name for name, hits in shown.items() if 0 < hits.sum() < len(ok)]
    always = [name for name, hits in shown.items() if len(ok) and hits.all()]
    return varying or [f"flag={flag}" for flag in YES_NO_FLAGS], always


@st.cache_data(show_spinner="Discovering…", max_entries=16)
def discovery(out: str, outcome: str, method: str, stamp: tuple[float, int]) -> dict[str, Any]:
    """`discover(out, outcome, method)`; `stamp` (the store's version) renews it."""
    return discover(out, outcome, method)


def _pick_directory() -> Path | None:
    chosen = choose_directory(PREFIX)
    if not chosen:
        return None
    directory = rs.results_path(chosen)
    if not directory.is_dir():
        raise UserError(f"{directory}: no such results directory.")
    return directory


def _summary(result: dict[str, Any]) -> None:
    st.markdown(
        f"**{result['outcome']}** in **{result['experiment']}**: {result['hits']} of "
        f"{result['runs']} ok runs ({percent(result['base_rate'])}) over {result['points']} "
        f"design points; {result['failed_runs']} failed runs left out. Swept: "
        + ", ".join(f"`{key}`" for key in result["parameters"])
    )


def _limits(result: dict[str, Any], limits: dict, box: dict | None, key: str) -> None:
    """The limits over the full ranges (a chart of the restricted ones) and as a table."""
    unrestricted = [k for k in result["parameters"] if k not in limits]
    if limits:
        st.plotly_chart(limits_figure(limits, result["ranges"]), key=f"{key}_limits")
    else:
        st.caption("No restriction: this is the whole parameter space.")
    if unrestricted:
        st.caption("Any value of: " + ", ".join(f"`{k}`" for k in unrestricted))
    st.dataframe(limits_table(result, limits, box), hide_index=True, key=f"{key}_table")


def _metrics(part: dict[str, Any], interval: list[float]) -> None:
    cells = st.columns(4)
    cells[0].metric("coverage", percent(part["coverage"]))
    cells[1].metric("density", percent(part["density"]))
    cells[2].metric("95% Wilson interval", f"{interval[0]:.0%}–{interval[1]:.0%}")
    cells[3].metric("mass", percent(part["mass"]), help=f"{part['hits']} of {part['runs']} runs")


def _trajectory(result: dict[str, Any], scope: str) -> None:
    """The trajectory chart and the step picked in the list or by a click on its point."""
    steps = result["trajectory"]
    step_key, chart_key = f"{scope}_step", f"{scope}_trajectory"
    clicked = [p["customdata"][0] for p in _selected_points(chart_key) if "customdata" in p]
    if clicked and clicked[0] != st.session_state.get(f"{chart_key}_applied"):
        st.session_state[f"{chart_key}_applied"] = st.session_state[step_key] = clicked[0]
    st.markdown("**Peeling trajectory** — coverage against density; ★ the chosen step")
    picked = st.selectbox(
        "Step (or click a point)",
        range(len(steps)),
        index=result["chosen_step"],
        format_func=lambda i: step_label(steps[i], result["chosen_step"]),
        key=step_key,
    )
    st.plotly_chart(
        trajectory_figure(result, picked),
        key=chart_key,
        on_select="rerun",
        selection_mode="points",
    )
    step = steps[picked]
    st.markdown(f"**The box of step {picked}**")
    _metrics(step, list(wilson_interval(step["hits"], step["runs"])))
    _limits(result, step["limits"], None, f"{scope}_step_box")


def _selected_points(chart_key: str) -> list[dict]:
    state = st.session_state.get(chart_key) or {}
    return list((state.get("selection") or {}).get("points") or [])


def _boxes(result: dict[str, Any], scope: str) -> int | None:
    """The boxes best first; returns the number (1-based) of the one picked."""
    boxes = result["boxes"]
    st.markdown("**Boxes**, best first")
    if not boxes:
        st.info(f"{NO_BOX} The trajectory above shows how far peeling got.")
        return None
    number = st.selectbox(
        "Box",
        range(1, len(boxes) + 1),
        format_func=lambda n: box_label(n, boxes[n - 1]),
        key=f"{scope}_box",
    )
    box = boxes[number - 1]
    _metrics(box, box["density_ci"])
    stability = "" if result["resamples"] == 0 else f" over {result['resamples']} resamples"
    st.caption(
        "quasi-p: the one-sided binomial test of the box against the box with that one "
        f"restriction lifted; stability: the share of bootstrap resamples{stability} that "
        "restrict that parameter again."
    )
    _limits(result, box["limits"], box, f"{scope}_box{number}")
    return number


def render_discover() -> None:
    try:
        directory = _pick_directory()
        if directory is None:
            return
        outcomes, always = outcome_choices(str(directory), rs.version(directory))
    except (UserError, OSError, KeyError, ValueError) as error:
        st.error(f"These results cannot be opened:\n\n```\n{error}\n```")
        return
    outcome_cell, method_cell = st.columns([3, 1])
    outcome = outcome_cell.selectbox("Outcome", outcomes, key=f"{PREFIX}_outcome")
    method = method_cell.radio(
        "Method", list(METHODS), format_func=METHODS.get, horizontal=True, key=f"{PREFIX}_method"
    )
    if always:
        st.caption("In every ok run, so nothing to discover: " + ", ".join(always))
    try:
        result = discovery(str(directory), outcome, method, rs.version(directory))
    except UserError as error:
        st.error(str(error))
        return
    _summary(result)
    scope = f"{PREFIX}|{directory}|{outcome}|{method}"  # a new discovery starts at its own picks
    _trajectory(result, scope)
    number = _boxes(result, scope)
    if number is not None:
        verify_panel(directory, result, number)
