"""Edits to a scenario, kept as dotted-key overrides and validated as the user types.

Edits live in `st.session_state["tune_edits"][scenario label]` as `{dotted key: value}`,
applied with the loader's own `apply_overrides` (the same path as `--set`), and the result
is validated with `validate_raw`, so the page shows exactly the messages `callister validate`
would. Nothing is written to disk here. Widgets are plain Streamlit inputs without bounds:
the schema, not the widget, decides what is allowed, and says why.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, get_args

import streamlit as st
from pydantic import TypeAdapter, ValidationError

from agents.spec import Curve
from configuration.errors import UserError
from configuration.loading import ConfigError, validate_raw
from configuration.overrides import apply_overrides, parse_key
from configuration.scenario import ScenarioConfig
from configuration.toml_input import TomlProblem, loads

EDITS_KEY = "tune_edits"
MISSING = object()
CURVE_CLASSES = {cls.model_fields["type"].default: cls for cls in get_args(get_args(Curve)[0])}
# A piecewise curve has no default points; a new one starts as the identity line.
NEW_CURVE_EXTRAS = {"piecewise": {"points": [[0.0, 0.0], [1.0, 1.0]]}}
_CURVE = TypeAdapter(Curve)


def edits(label: str) -> dict[str, Any]:
    """This session's edits of one scenario (created empty on first use)."""
    return st.session_state.setdefault(EDITS_KEY, {}).setdefault(label, {})


def lookup(raw: Any, dotted: str) -> Any:
    """The value at a dotted key of a raw table, or MISSING."""
    node = raw
    for part in parse_key(dotted):
        if isinstance(part, int):
            if not isinstance(node, list) or part >= len(node):
                return MISSING
        elif not isinstance(node, dict) or part not in node:
            return MISSING
        node = node[part]
    return node


def set_edit(label: str, base: dict, dotted: str, value: Any) -> None:
    """Record an edit (re-inserted last, so it applies after the edits it refines).

    An edit back to the file's own value is dropped, so the change list shows real changes.
    """
    changes = edits(label)
    changes.pop(dotted, None)
    if lookup(base, dotted) != value:
        changes[dotted] = value


def drop_under(label: str, prefix: str) -> None:
    """Forget every edit at or below `prefix` (a curve whose type changed, say)."""
    changes = edits(label)
    for key in [k for k in changes if k == prefix or k.startswith((prefix + ".", prefix + "["))]:
        del changes[key]


def edited_raw(base: dict, changes: dict[str, Any]) -> dict:
    """The raw table with every edit applied (`UserError` if an edit cannot be placed)."""
    return apply_overrides(base, changes) if changes else base


def check(raw: dict, source: str) -> tuple[ScenarioConfig | None, list[tuple[str, str]]]:
    """(config, []) if valid, else (None, [(dotted key, message), ...])."""
    try:
        return validate_raw(raw, source), []
    except ConfigError as error:
        return None, [(issue.key, issue.message) for issue in error.issues]
    except UserError as error:
        return None, [("", str(error))]


def issues_by_key(issues: list[tuple[str, str]]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = defaultdict(list)
    for key, message in issues:
        grouped[key].append(message)
    return grouped


def curve_of(table: Any):
    """A curve table as the validated curve model, or None if it is not valid (yet)."""
    try:
        return _CURVE.validate_python(table)
    except ValidationError:
        return None


def forget_widgets(label: str, prefix: str = "", keep: str | None = None) -> None:
    """Drop widget values under `prefix` so the widgets show the edited table again."""
    start = widget_key(label, prefix)
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(start)]:
        if key != keep:
            del st.session_state[key]


def _store(label: str, base: dict, dotted: str, source: str) -> None:
    set_edit(label, base, dotted, st.session_state[source])


def usable_bind(bind: Any, curve) -> dict[str, str]:
    """The trait bindings that name a parameter of `curve` (others cannot apply to it)."""
    if not isinstance(bind, dict):
        return {}
    return {param: trait for param, trait in bind.items() if param in type(curve).model_fields}


def _retype(label: str, base: dict, dotted: str, source: str) -> None:
    """A new curve type: the old type's parameters mean nothing to it, start from defaults.

    Trait bindings of parameters the new type lacks are dropped too (the schema would refuse
    them), and the page says so.
    """
    drop_under(label, dotted)
    forget_widgets(label, f"{dotted}.", keep=source)
    kind = st.session_state[source]
    set_edit(label, base, dotted, {"type": kind, **NEW_CURVE_EXTRAS.get(kind, {})})
    owner = dotted.removesuffix(".curve")
    bind = lookup(edited_raw(base, edits(label)), f"{owner}.bind")
    if isinstance(bind, dict) and bind:
        kept = {p: t for p, t in bind.items() if p in CURVE_CLASSES[kind].model_fields}
        if kept != bind:
            set_edit(label, base, f"{owner}.bind", kept)
            dropped = ", ".join(f"{p} × {t}" for p, t in bind.items() if p not in kept)
            st.session_state["tune_note"] = (
                f"`{owner}`: a {kind} curve has no {', '.join(sorted(set(bind) - set(kept)))}; "
                f"dropped the trait binding {dropped}."
            )


def _points(label: str, base: dict, dotted: str, source: str) -> None:
    """Piecewise points typed as a TOML array; unparsable text is kept as text to be reported."""
    text = st.session_state[source]
    try:
        value = loads(f"points = {text}")["points"]
    except TomlProblem:
        value = text  # the schema reports "wrong type" at the exact key
    set_edit(label, base, dotted, value)


def widget_key(label: str, dotted: str) -> str:
    return f"tune:{label}:{dotted}"


def number_field(
    container, text: str, label: str, base: dict, raw: dict, dotted: str, default: float, **kw
) -> None:
    """A number input bound to `dotted`; its value is the edited one, else the file's."""
    current = lookup(raw, dotted)
    value = default if current is MISSING or not isinstance(current, int | float) else current
    key = widget_key(label, dotted)
    container.number_input(
        text,
        value=float(value),
        step=None,
        format="%.6g",
        key=key,
        on_change=_store,
        args=(label, base, dotted, key),
        **kw,
    )


def curve_fields(
    container, label: str, base: dict, raw: dict, dotted: str, errors: dict[str, list[str]]
) -> None:
    """Type, parameters and invert of the curve at `dotted`."""
    table = lookup(raw, dotted)
    table = table if isinstance(table, dict) else {}
    kind = table.get("type", "linear")
    key = widget_key(label, f"{dotted}.type")
    container.selectbox(
        "curve type",
        list(CURVE_CLASSES),
        index=list(CURVE_CLASSES).index(kind) if kind in CURVE_CLASSES else 0,
        key=key,
        on_change=_retype,
        args=(label, base, dotted, key),
    )
    model = CURVE_CLASSES.get(kind, CURVE_CLASSES["linear"])
    for name, field in model.model_fields.items():
        path = f"{dotted}.{name}"
        if name in ("type", "invert"):
            continue
        if name == "points":
            key = widget_key(label, path)
            shown = table.get("points", NEW_CURVE_EXTRAS["piecewise"]["points"])
            container.text_input(
                "points [[x, y], ...]",
                value=shown if isinstance(shown, str) else str(shown),
                key=key,
                on_change=_points,
                args=(label, base, path, key),
                help=field.description,
            )
        else:
            number_field(
                container, name, label, base, raw, path, field.default, help=field.description
            )
        for message in errors.get(path, []):
            container.error(f"`{path}`: {message}")
    key = widget_key(label, f"{dotted}.invert")
    container.checkbox(
        "invert (y → 1 − y)",
        value=bool(table.get("invert", False)),
        key=key,
        on_change=_store,
        args=(label, base, f"{dotted}.invert", key),
    )
