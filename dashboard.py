"""Callister dashboard (interim Tune page): inspect one action's considerations and curves.

Pick a scenario from `configs/*.toml`, a role and one of its configured actions: the page
shows every consideration, plots its response curve in the input's real units and, for the
input values marked with the sliders, each score and the action's compensated product.
`CALLISTER_CONFIGS` points the page at another directory of configs (tests use it).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from agents.brain import Brain
from agents.catalog import ROLES, TRAITS
from agents.curves import bind_traits, evaluate
from world.config import ScenarioConfig
from world.errors import UserError
from world.loading import load_config

NEUTRAL = "(neutral traits)"
CURVE_POINTS = 201


def config_dir() -> Path:
    """Where scenarios are listed from: `$CALLISTER_CONFIGS` or the repo's `configs/`."""
    return Path(os.environ.get("CALLISTER_CONFIGS") or Path(__file__).parent / "configs")


@st.cache_resource(show_spinner=False, max_entries=32)
def cached_config(path: str, mtime: float) -> ScenarioConfig:
    """Load once per file version (mtime is only a cache key). Configs are frozen: safe to share."""
    return load_config(path)


def curve_params(curve) -> str:
    """`midpoint=0.4, steepness=-8` -- the curve's parameters without its type."""
    fields = curve.model_dump(exclude={"type", "invert"})
    text = ", ".join(f"{name}={value}" for name, value in fields.items())
    return text + (", inverted" if curve.invert else "")


def consideration_table(action, role: str) -> pd.DataFrame:
    """One row per consideration: input and its meaning, bookends, curve, bound traits."""
    rows = [
        {
            "#": index,
            "input": c.input,
            "meaning": ROLES[role].inputs[c.input],
            "low": c.low,
            "high": c.high,
            "curve": c.curve.type,
            "parameters": curve_params(c.curve),
            "bound traits": ", ".join(f"{p} × {t}" for p, t in sorted(c.bind.items())),
        }
        for index, c in enumerate(action.considerations)
    ]
    columns = ["#", "input", "meaning", "low", "high", "curve", "parameters", "bound traits"]
    return pd.DataFrame(rows, columns=columns)


def curve_figure(consideration, curve, marked: float, score: float) -> go.Figure:
    """The response curve over the bookends in real units, with the marked value's score."""
    low, high = consideration.low, consideration.high
    values = np.linspace(low, high, CURVE_POINTS)
    scores = evaluate(curve, (values - low) / (high - low))
    figure = go.Figure(go.Scatter(x=values, y=scores, mode="lines", name="score"))
    figure.add_trace(
        go.Scatter(x=[marked], y=[score], mode="markers", marker={"size": 11}, name="marked")
    )
    figure.update_layout(
        height=260,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        title=f"{consideration.input}: {curve.type}",
        xaxis_title=f"{consideration.input} (real units)",
        yaxis={"title": "score", "range": [-0.02, 1.02]},
        showlegend=False,
    )
    return figure


def input_slider(name: str, considerations, role: str, key: str) -> float:
    """One slider per input, spanning every bookend of the action that reads it."""
    bounds = [b for c in considerations if c.input == name for b in (c.low, c.high)]
    low, high = float(min(bounds)), float(max(bounds))
    return st.slider(
        f"{name}: {ROLES[role].inputs[name]}",
        min_value=low,
        max_value=high,
        value=(low + high) / 2,
        step=(high - low) / 100,
        key=key,
    )


def choose(config: ScenarioConfig) -> tuple[str, str | None, dict[str, float]]:
    """Sidebar: role, one of its configured actions, and whose traits bind the curves."""
    role = st.sidebar.selectbox("role", list(ROLES), key="role")
    spec = getattr(config.agents, role)
    configured = [a for a in ROLES[role].actions if getattr(spec.actions, a) is not None]
    action = (
        st.sidebar.selectbox("action", configured, key=f"action_{role}") if configured else None
    )
    cast = sorted(name for name, c in config.characters.items() if c.role == role)
    who = st.sidebar.selectbox("traits of", [NEUTRAL, *cast], key=f"traits_{role}")
    traits = {} if who == NEUTRAL else config.characters[who].traits()
    return role, action, traits


def show_action(config: ScenarioConfig, role: str, action_id: str, traits: dict[str, float]):
    """The table, one plot and slider per consideration, and the action's score."""
    spec = getattr(config.agents, role)
    action = getattr(spec.actions, action_id)
    st.subheader(f"{role} · {action_id}")
    st.caption(ROLES[role].actions[action_id])
    trait_note = f" × {action.weight_trait}" if action.weight_trait else ""
    st.write(f"weight **{action.weight}**{trait_note}, priority {action.priority}")
    if not action.considerations:
        st.info("No considerations: the action always scores its weight.")
    st.dataframe(consideration_table(action, role), hide_index=True, key="considerations")

    inputs = dict.fromkeys(ROLES[role].inputs, 0.0)
    for index, c in enumerate(action.considerations):
        if index == _first_use(action.considerations, c.input):
            key = f"mark_{role}_{action_id}_{c.input}"
            inputs[c.input] = input_slider(c.input, action.considerations, role, key)
        curve = bind_traits(c.curve, c.bind, traits)
        score = float(evaluate(curve, (inputs[c.input] - c.low) / (c.high - c.low)))
        st.plotly_chart(
            curve_figure(c, curve, inputs[c.input], score),
            key=f"curve_{role}_{action_id}_{index}",
        )

    try:
        trace = Brain(role, spec, traits).decide(inputs, 0.0, trace=True).trace
    except ValueError as error:  # the brain refuses numbers the schema lets through (inf, ...)
        st.error(f"The brain cannot use this action: {error}")
        return
    candidate = next((c for c in trace.candidates if c.action == action_id), None)
    if candidate is None:  # compiled brains drop weight-0 actions: the weight vetoes
        st.metric("action score", 0.0, help="weight 0 removes the action")
        return
    st.dataframe(marked_table(candidate), hide_index=True, key="marked_scores")
    left, right = st.columns(2)
    left.metric("compensated product", f"{candidate.product:.4f}")
    right.metric(f"score = weight ({candidate.weight:g}) × product", f"{candidate.score:.4f}")


def marked_table(candidate) -> pd.DataFrame:
    """The brain's own numbers for the marked values: x, curve score, compensated score."""
    columns = ["input", "value", "x", "score", "compensated"]
    rows = [[t.input, t.raw, t.x, t.curve, t.compensated] for t in candidate.considerations]
    return pd.DataFrame(rows, columns=columns)


def _first_use(considerations, name: str) -> int:
    """Index of the first consideration reading `name`: its slider serves the later ones too."""
    return next(i for i, c in enumerate(considerations) if c.input == name)


def main() -> None:
    st.set_page_config(page_title="Callister · Tune", layout="wide")
    st.title("Callister · Tune (interim)")
    files = sorted(config_dir().glob("*.toml"))
    if not files:
        st.warning(f"No configs in {config_dir()}.")
        return
    names = [f.name for f in files]
    default = names.index("default.toml") if "default.toml" in names else 0
    chosen = st.sidebar.selectbox("config", names, index=default, key="config")
    path = config_dir() / chosen
    try:
        config = cached_config(str(path), path.stat().st_mtime)
    except (UserError, OSError) as error:
        st.error(f"This config cannot be used:\n\n```\n{error}\n```")
        return
    role, action_id, traits = choose(config)
    if action_id is None:
        st.info(f"No action of role {role} is configured in {chosen}.")
        return
    show_action(config, role, action_id, traits)
    with st.sidebar.expander("traits"):
        st.table(
            pd.DataFrame({"trait": list(TRAITS), "value": [traits.get(t, 1.0) for t in TRAITS]})
        )


main()
