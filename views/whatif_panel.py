"""The What if… page's change panel: weights, traits, world knobs and forced choices.

Each change is checked when it is added, in the words `callister fork` uses (a bad value,
an unknown key, a key that cannot change mid-run, an action the character cannot take at T),
and kept in a list in `st.session_state` until the fork runs or the list is cleared.
"""

from __future__ import annotations

import streamlit as st

from configuration.errors import UserError
from experiments.fork import MAX_REPLICATES
from experiments.runners import default_workers
from views.whatif_forks import ForkOrigin, check_set, choices_at, set_text
from world.cast.vocabulary import TRAITS

CHANGES_KEY = "whatif_changes"  # list of ("set", "key=value") or ("force", "who.action")
DEFAULT_REPLICATES = 10


def pending() -> list[tuple[str, str]]:
    return st.session_state.setdefault(CHANGES_KEY, [])


def _add_set(origin: ForkOrigin, text: str) -> None:
    """Add one `--set` change to the list, or show why it cannot be added."""
    try:
        keys = check_set(origin, text)
    except UserError as error:
        st.error(str(error))
        return
    if not keys:
        st.warning(f"`{text}` changes nothing: it is the run's own value.")
        return
    # a key set again replaces its earlier value: the list shows what the fork will do
    key = _set_key(text)
    changes = [c for c in pending() if not (c[0] == "set" and _set_key(c[1]) == key)]
    st.session_state[CHANGES_KEY] = [*changes, ("set", text)]


def _set_key(text: str) -> str:
    return text.partition("=")[0].strip()


def _configured_actions(config, role: str) -> list[str]:
    return [name for name, action in getattr(config.agents, role).actions if action is not None]


def _weights(origin: ForkOrigin) -> None:
    config = origin.config
    role_col, action_col, value_col, add_col = st.columns([2, 3, 2, 1], vertical_alignment="bottom")
    role = role_col.selectbox("Role", list(type(config.agents).model_fields), key="whatif_role")
    actions = _configured_actions(config, role)
    if not actions:
        st.caption(f"{role} has no configured actions.")
        return
    action = action_col.selectbox("Action", actions, key="whatif_action")
    current = float(getattr(getattr(config.agents, role).actions, action).weight)
    value = value_col.number_input(
        "Weight", value=current, step=0.1, key=f"whatif_weight_{role}_{action}"
    )
    if add_col.button("Add", key="whatif_add_weight"):
        _add_set(origin, set_text(f"agents.{role}.actions.{action}.weight", value))


def _traits(origin: ForkOrigin) -> None:
    config = origin.config
    who_col, trait_col, value_col, add_col = st.columns([3, 2, 2, 1], vertical_alignment="bottom")
    who = who_col.selectbox("Character", list(config.characters), key="whatif_trait_of")
    trait = trait_col.selectbox("Trait", list(TRAITS), key="whatif_trait")
    current = float(config.characters[who].traits()[trait])
    value = value_col.number_input(
        "Value (1 is neutral)", value=current, step=0.1, key=f"whatif_trait_{who}_{trait}"
    )
    if add_col.button("Add", key="whatif_add_trait"):
        _add_set(origin, set_text(f"characters.{who}.{trait}", value))


def _knob(origin: ForkOrigin) -> None:
    text_col, add_col = st.columns([7, 1], vertical_alignment="bottom")
    text = text_col.text_input(
        "Any key = value (as `callister fork --set`)",
        key="whatif_knob",
        placeholder="economy.raid_cut=0.3",
        help="a dotted key of the scenario (docs/config-reference.md) and a TOML value",
    )
    if add_col.button("Add", key="whatif_add_knob") and text.strip():
        _add_set(origin, text.strip())


def _force(origin: ForkOrigin) -> None:
    who_col, action_col, add_col = st.columns([3, 4, 1], vertical_alignment="bottom")
    who = who_col.selectbox("Character", list(origin.config.characters), key="whatif_force_who")
    with st.spinner(f"Playing the run to tick {origin.at}…"):
        try:
            possible = choices_at(origin, who)
        except UserError as error:
            st.error(str(error))
            return
    if not possible:
        action_col.caption(f"{who} can choose nothing in hour {origin.at + 1}.")
        return
    action = action_col.selectbox(
        f"Takes, in hour {origin.at + 1}", possible, key="whatif_force_action"
    )
    if add_col.button("Add", key="whatif_add_force"):
        change = ("force", f"{who}.{action}")
        forced = [c for c in pending() if not (c[0] == "force" and c[1].startswith(f"{who}."))]
        st.session_state[CHANGES_KEY] = [*forced, change]


def change_panel(origin: ForkOrigin) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Draw the panel; returns the pending (sets, forces)."""
    weights, traits, knobs, force = st.tabs(["Weights", "Traits", "World knobs", "Force a choice"])
    with weights:
        _weights(origin)
    with traits:
        _traits(origin)
    with knobs:
        _knob(origin)
    with force:
        _force(origin)
    changes = pending()
    if changes:
        st.markdown(
            "**Changes in the branch** (from hour "
            f"{origin.at + 1}):  \n"
            + "  \n".join(
                f"- `{text}`" if kind == "set" else f"- force `{text}`" for kind, text in changes
            )
        )
        if st.button("Clear the changes", key="whatif_clear"):
            st.session_state[CHANGES_KEY] = []
            st.rerun()
    else:
        st.caption("No change yet: without one, both branches of every replicate are the same.")
    sets = tuple(text for kind, text in changes if kind == "set")
    forces = tuple(text for kind, text in changes if kind == "force")
    return sets, forces


def run_settings() -> tuple[int, int]:
    """How many replicates and local worker processes."""
    replicates_col, workers_col = st.columns(2)
    replicates = replicates_col.number_input(
        "Replicates",
        min_value=1,
        max_value=MAX_REPLICATES,
        value=DEFAULT_REPLICATES,
        key="whatif_replicates",
        help="pairs of futures; replicate 0 continues the run's own random streams",
    )
    workers = workers_col.number_input(
        "Workers",
        min_value=1,
        max_value=default_workers(),
        value=1,
        key="whatif_workers",
        help="local processes on the machine that serves the dashboard",
    )
    return int(replicates), int(workers)
