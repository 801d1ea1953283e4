"""Turn pydantic validation errors into sentences: the dotted key, what was found, what is allowed.

Users never see pydantic's wording or a traceback: each error becomes a `ConfigIssue` whose key
is the dotted TOML key (`[i]` for list items) and whose message names the allowed values.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel

from agents.spec import CURVE_TYPES
from configuration.field_types import union_members, unwrap
from configuration.shown_values import describe, dotted, number, show
from world.cast import CATALOGS as ROLES

Path = tuple[str | int, ...]
_EXPECTED_TYPES = {
    "int_type": "an integer",
    "int_parsing": "an integer",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "finite_number": "a finite number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "string_type": "a string",
    "model_type": "a table",
    "model_attributes_type": "a table",
    "dict_type": "a table",
    "list_type": "an array",
    "tuple_type": "an array",
}
_BOUNDS = {
    "greater_than_equal": (">=", "ge"),
    "greater_than": (">", "gt"),
    "less_than_equal": ("<=", "le"),
    "less_than": ("<", "lt"),
}


@dataclass(frozen=True)
class ConfigIssue:
    """One problem in a config: where (`path`, dotted in `key`) and what, in one sentence."""

    path: Path
    message: str

    @property
    def key(self) -> str:
        return dotted(self.path)


def translate(
    errors: list[Mapping[str, Any]], root: type[BaseModel], raw: Any
) -> list[ConfigIssue]:
    """Pydantic's `errors()` -> one `ConfigIssue` per error, in pydantic's (schema) order."""
    return [_issue(error, root, raw) for error in errors]


def _issue(error: Mapping[str, Any], root: type[BaseModel], raw: Any) -> ConfigIssue:
    loc = tuple(error["loc"])
    path = _strip_tags(loc, raw)
    kind = error["type"]
    found = error.get("input")
    ctx = error.get("ctx") or {}
    if kind == "extra_forbidden":
        parent = _model_at(root, loc[:-1], raw)
        return ConfigIssue(path, _unknown_key(path, parent))
    if kind == "missing":
        return ConfigIssue(path, "missing; this key is required")
    if kind == "literal_error":
        allowed = re.findall(r"'((?:[^'\\]|\\.)*)'", ctx.get("expected", ""))
        return ConfigIssue(path, f"{_what(path)} {show(found)}; allowed: {', '.join(allowed)}")
    if kind == "union_tag_invalid":
        tag = ctx.get("tag")
        message = f"unknown curve type {show(tag)}; allowed: {', '.join(CURVE_TYPES)}"
        return ConfigIssue((*path, "type"), message)
    if kind == "union_tag_not_found":
        message = f"missing; every curve needs a type, one of: {', '.join(CURVE_TYPES)}"
        return ConfigIssue((*path, "type"), message)
    if kind in _BOUNDS:
        symbol, name = _BOUNDS[kind]
        return ConfigIssue(path, f"must be {symbol} {number(ctx[name])}, got {show(found)}")
    if kind in ("too_short", "too_long"):
        side = "at least" if kind == "too_short" else "at most"
        limit = ctx.get("min_length" if kind == "too_short" else "max_length")
        return ConfigIssue(path, f"must have {side} {limit} items, got {show(found)}")
    if kind in _EXPECTED_TYPES:
        return ConfigIssue(
            path, f"wrong type: expected {_EXPECTED_TYPES[kind]}, got {describe(found)}"
        )
    if kind in ("value_error", "assertion_error"):
        return ConfigIssue(path, str(ctx.get("error", error["msg"])).rstrip("."))
    return ConfigIssue(path, f"{error['msg'].rstrip('.')}, got {show(found)}")


def _what(path: Path) -> str:
    """Name the kind of value a literal error is about, so the message reads naturally."""
    last = path[-1] if path else ""
    if last == "input":
        return "unknown input"
    if last == "weight_trait" or (len(path) >= 2 and path[-2] == "bind"):
        return "unknown trait"
    if path[:1] == ("characters",) and last == "role":
        return "unknown role"
    if last == "kind":
        return "unknown selector"
    return "unknown value"


def _unknown_key(path: Path, parent: type[BaseModel] | None) -> str:
    name = path[-1]
    allowed = list(parent.model_fields) if parent is not None else []
    if len(path) == 2 and path[0] == "agents":
        what, allowed = "unknown role", list(ROLES)
    elif len(path) == 4 and path[0] == "agents" and path[2] == "actions":
        what = "unknown action"
    else:
        what = "unknown key"
    message = f"{what} {show(name)}"
    if what == "unknown action":
        message += f" for role {path[1]}"
    if isinstance(name, str):
        close = difflib.get_close_matches(name, allowed, n=1)
        if close:
            message += f" (did you mean {close[0]!r}?)"
    return f"{message}; allowed: {', '.join(allowed) or 'none'}"


def _strip_tags(loc: Path, raw: Any) -> Path:
    """Drop the union tags pydantic inserts: `curve.logistic.midpoint` -> `curve.midpoint`."""
    path: list[str | int] = []
    node = raw
    for part in loc:
        if isinstance(node, dict) and part not in node and node.get("type") == part:
            continue
        path.append(part)
        node = _child(node, part)
    return tuple(path)


def _child(node: Any, part: str | int) -> Any:
    if isinstance(node, dict):
        return node.get(part)
    if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
        return node[part]
    return None


def _model_at(root: type[BaseModel], loc: Path, raw: Any) -> type[BaseModel] | None:
    """The model class that validates the table at `loc` (tags included), or None."""
    current: Any = root
    for part in loc:
        current = unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(part) if isinstance(part, str) else None
            if field is None:
                return None
            current = field.annotation
        elif union_members(current):
            current = next((m for m in union_members(current) if _tag_of(m) == part), None)
        elif get_origin(current) in (list, tuple):
            args = get_args(current)
            current = args[0] if args else None
        elif get_origin(current) is dict:
            current = get_args(current)[1]
        else:
            return None
    current = unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _tag_of(model: type[BaseModel]) -> Any:
    field = model.model_fields.get("type")
    if field is None or get_origin(field.annotation) is not Literal:
        return None
    return get_args(field.annotation)[0]
