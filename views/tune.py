"""Tune: edit a role's utilities and the characters' traits, preview, compare, save as TOML.

Edit action weights, curve types, curve parameters and bookends, and character traits. Every
edit is validated at once with the schema's own messages; each curve is previewed live
against the original (dashed), with a marked input and the brain's resulting score. A quick
comparison runs the edited scenario against the original over a few seeds. Save writes a new
TOML file into configs/ (sanitised name, never elsewhere, no overwrite without a tick) or
downloads it. Edits stay in this session until saved or discarded; the file is never touched.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st
import tomli_w

from agents.brain import Brain
from agents.curves import bind_traits
from agents.spec import MAX_HOURS
from configuration.errors import UserError
from views import tune_edits as te
from views.configs import config_dir, save_config
from views.curves import curve_figure, curve_parameters
from views.navigation import refuse_remote_serving
from views.sidebar import current_choice
from views.tune_compare import MAX_SEEDS, compare, ending_counts, same_runs
from world.cast import CATALOGS as ROLES
from world.cast.vocabulary import TRAITS

NEUTRAL = "(neutral traits)"


def _configured_actions(raw: dict, role: str) -> list[str]:
    table = te.lookup(raw, f"agents.{role}.actions")
    table = table if isinstance(table, dict) else {}
    return [a for a in ROLES[role].actions if isinstance(table.get(a), dict)]


def _input_values(considerations: list, role: str, action: str) -> dict[str, float]:
    """One slider per input (at its first use), spanning every bookend that reads it."""
    values = dict.fromkeys(ROLES[role].inputs, 0.0)
    for name in dict.fromkeys(c["input"] for c in considerations):
        bounds = [
            float(c[end])
            for c in considerations
            if c["input"] == name
            for end in ("low", "high")
            if isinstance(c.get(end), int | float)
        ] or [0.0, 1.0]
        low, high = min(bounds), max(bounds)
        if low == high:
            high = low + 1.0
        values[name] = st.slider(
            f"mark {name}: {ROLES[role].inputs.get(name, '')}",
            min_value=low,
            max_value=high,
            value=(low + high) / 2,
            step=(high - low) / 100,
            key=f"mark:{role}:{action}:{name}",
        )
    return values


def _actions_tab(scenario, base: dict, raw: dict, config, errors: dict) -> None:
    label = scenario.label
    pick_role, pick_action, pick_traits = st.columns(3)
    role = pick_role.selectbox("Role", list(ROLES), key="tune_role")
    actions = _configured_actions(raw, role)
    if not actions:
        st.info(f"No action of role {role} is configured in {label}.")
        return
    action = pick_action.selectbox("Action", actions, key=f"tune_action_{role}")
    cast = sorted(n for n, c in scenario.config.characters.items() if c.role == role)
    who = pick_traits.selectbox(
        "Curves bound to the traits of", [NEUTRAL, *cast], key=f"tune_who_{role}"
    )
    traits = {} if who == NEUTRAL or config is None else config.characters[who].traits()
    path = f"agents.{role}.actions.{action}"
    st.caption(ROLES[role].actions[action])
    te.number_field(st, "weight (0 removes the action)", label, base, raw, f"{path}.weight", 1.0)
    for message in errors.get(f"{path}.weight", []):
        st.error(f"`{path}.weight`: {message}")

    considerations = te.lookup(raw, f"{path}.considerations")
    considerations = considerations if isinstance(considerations, list) else []
    originals = te.lookup(base, f"{path}.considerations")
    originals = originals if isinstance(originals, list) else []
    if not considerations:
        st.info("No considerations: the action always scores its weight.")
    marked = _input_values(considerations, role, action)
    for n, table in enumerate(considerations):
        where = f"{path}.considerations[{n}]"
        st.markdown(
            f"**{n}. {table.get('input')}** — {ROLES[role].inputs.get(table.get('input'), '')}"
        )
        fields, preview = st.columns([1, 2])
        te.number_field(fields, "low (x = 0)", label, base, raw, f"{where}.low", 0.0)
        te.number_field(fields, "high (x = 1)", label, base, raw, f"{where}.high", 1.0)
        te.curve_fields(fields, label, base, raw, f"{where}.curve", errors)
        for key in (where, f"{where}.low", f"{where}.high", f"{where}.curve"):
            for message in errors.get(key, []):
                fields.error(f"`{key}`: {message}")
        _preview(
            preview,
            table,
            originals[n] if n < len(originals) else None,
            traits,
            marked,
            key=f"{where}",
        )
    if config is not None:
        _action_score(config, role, action, traits, marked)


def _preview(container, table: dict, original: dict | None, traits, marked, key: str) -> None:
    curve = te.curve_of(table.get("curve", {}))
    low, high = table.get("low", 0.0), table.get("high", 1.0)
    if curve is None or not all(isinstance(v, int | float) for v in (low, high)) or low == high:
        container.info("No preview until this consideration is valid.")
        return
    bind = te.usable_bind(table.get("bind"), curve)
    curve = bind_traits(curve, bind, traits)
    before = te.curve_of(original.get("curve", {})) if isinstance(original, dict) else None
    if before is not None:
        before = bind_traits(before, te.usable_bind(original.get("bind"), before), traits)
        same = before == curve and (original.get("low"), original.get("high")) == (low, high)
        before = None if same else before
    bound = ", ".join(f"{p} × {t}" for p, t in sorted(bind.items()))
    title = f"{curve.type} ({curve_parameters(curve)})" + (f"; bound: {bound}" if bound else "")
    figure = curve_figure(
        curve,
        float(low),
        float(high),
        title=title,
        marked=marked.get(table.get("input")),
        original=before,
    )
    container.plotly_chart(figure, key=f"tune_curve:{key}")


def _action_score(config, role: str, action: str, traits, marked: dict[str, float]) -> None:
    """The brain's own numbers for this action at the marked inputs."""
    try:
        trace = (
            Brain(ROLES[role], getattr(config.agents, role), traits)
            .decide(marked, 0.0, trace=True)
            .trace
        )
    except ValueError as error:  # the brain refuses numbers the schema lets through (inf, ...)
        st.error(f"The brain cannot use this action: {error}")
        return
    candidate = next((c for c in trace.candidates if c.action == action), None)
    if candidate is None:  # compiled brains drop weight-0 actions
        st.metric("action score", 0.0, help="weight 0 removes the action")
        return
    rows = [[t.input, t.raw, t.x, t.curve, t.compensated] for t in candidate.considerations]
    st.dataframe(
        pd.DataFrame(rows, columns=["input", "value", "x", "score", "compensated"]),
        hide_index=True,
        key="marked_scores",
    )
    left, right = st.columns(2)
    left.metric("compensated product", f"{candidate.product:.4f}")
    right.metric(f"score = weight ({candidate.weight:g}) × product", f"{candidate.score:.4f}")


def _traits_tab(scenario, base: dict, raw: dict, errors: dict) -> None:
    names = list(scenario.config.characters)
    who = st.selectbox("Character", names, key="tune_character")
    st.caption("1 is neutral; a trait scales the curve parameters and weights bound to it.")
    cells = st.columns(4)
    for n, (trait, meaning) in enumerate(TRAITS.items()):
        dotted = f"characters.{who}.{trait}"
        te.number_field(cells[n % 4], trait, scenario.label, base, raw, dotted, 1.0, help=meaning)
        for message in errors.get(dotted, []):
            cells[n % 4].error(f"`{dotted}`: {message}")


def _changes_table(base: dict, changes: dict) -> None:
    if not changes:
        st.caption("No edits yet.")
        return
    rows = [
        {
            "key": k,
            "file": str(te.lookup(base, k)) if te.lookup(base, k) is not te.MISSING else "—",
            "edited": str(v),
        }
        for k, v in changes.items()
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, key="tune_changes")


def _discard(label: str) -> None:
    te.edits(label).clear()
    te.forget_widgets(label)
    st.session_state.pop("tune_comparison", None)


def _compare_and_save(scenario, base: dict, raw: dict, config, changes: dict) -> None:
    st.markdown("**Your edits**")
    _changes_table(base, changes)
    if changes:
        st.button(
            "Discard all edits", key="tune_discard", on_click=_discard, args=(scenario.label,)
        )
    if config is None:
        st.warning("Fix the errors above to compare or save.")
        return
    st.markdown("**Quick comparison** — the original and the edited scenario on the same seeds")
    seeds_col, ticks_col, go_col = st.columns([1, 1, 1], vertical_alignment="bottom")
    count = seeds_col.number_input("Seeds", 1, MAX_SEEDS, 3, key="tune_seeds")
    ticks = ticks_col.number_input(
        "Horizon (ticks)", 1, MAX_HOURS, scenario.config.simulation.ticks, key="tune_ticks"
    )
    if go_col.button("Compare", key="tune_compare"):
        first = scenario.config.simulation.seed
        bar = st.progress(0.0, text="running…")
        try:
            runs = compare(
                scenario.config,
                config,
                list(range(first, first + int(count))),
                int(ticks),
                on_run=lambda done, total: bar.progress(done / total, text=f"{done}/{total} runs"),
            )
        except UserError as error:  # a scenario the schema accepts may still fail at run time
            st.error(f"The comparison of {scenario.label} stopped: {error}")
        else:
            st.session_state["tune_comparison"] = (scenario.label, dict(changes), runs)
    compared = st.session_state.get("tune_comparison")
    if compared is not None and compared[0] == scenario.label:
        _, edits_then, runs = compared
        if edits_then != changes:
            st.caption("These runs are of an earlier set of edits: press Compare to refresh.")
        if same_runs(runs):
            st.info("Identical trajectories on every seed: these edits change nothing here.")
        left, right = st.columns([1, 2])
        left.dataframe(ending_counts(runs), key="tune_endings")
        right.dataframe(runs.drop(columns="digest"), hide_index=True, key="tune_runs")

    st.markdown(f"**Save** — as a new file in `{config_dir()}`")
    stem = scenario.label.removeprefix("uploaded: ").removesuffix(".toml")
    name_col, overwrite_col, save_col = st.columns([2, 1, 1], vertical_alignment="bottom")
    name = name_col.text_input("File name", value=f"{stem}_tuned", key="tune_save_name")
    overwrite = overwrite_col.checkbox("overwrite if it exists", key="tune_overwrite")
    if save_col.button("Save to configs/", key="tune_save"):
        note = f"Edited from {scenario.label}: " + ", ".join(
            f"{k} = {v}" for k, v in changes.items()
        )
        try:
            path = save_config(name, raw, overwrite=overwrite, note=note)
        except (UserError, OSError) as error:
            st.error(str(error))
        else:
            st.success(f"Saved `{path}`; pick it in the sidebar to run it.")
    st.download_button(
        "Download the edited TOML",
        tomli_w.dumps(raw),
        file_name=f"{stem}_tuned.toml",
        mime="application/toml",
        key="tune_download",
    )


def render() -> None:
    refuse_remote_serving()
    st.title("Tune — utilities, curves and traits")
    choice = current_choice()
    if choice is None or choice.scenario is None:
        st.error(choice.error if choice and choice.error else "Choose a scenario in the sidebar.")
        return
    scenario = choice.scenario
    base, changes = scenario.raw, te.edits(scenario.label)
    try:
        raw = te.edited_raw(base, changes)
    except UserError as error:
        st.error(f"An edit cannot be applied: {error}")
        raw = base
    config, issues = te.check(raw, f"{scenario.label} (edited)")
    if issues:
        lines = "\n".join(f"- `{key or '(config)'}`: {message}" for key, message in issues)
        st.error(f"The edited scenario is not valid; nothing was saved.\n\n{lines}")
    elif changes:
        st.success(f"{len(changes)} edit(s), all valid.")
    if "tune_note" in st.session_state:
        st.info(st.session_state.pop("tune_note"))
    errors = te.issues_by_key(issues)
    actions, traits, finish = st.tabs(["Actions & curves", "Traits", "Compare & save"])
    with actions:
        _actions_tab(scenario, base, raw, config, errors)
    with traits:
        _traits_tab(scenario, base, raw, errors)
    with finish:
        _compare_and_save(scenario, base, raw, config, changes)


if __name__ == "__main__":
    render()
