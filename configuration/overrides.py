"""`--set dotted.key=value`: parse overrides and set them in a raw scenario table.

Key segments are bare TOML keys (`[A-Za-z0-9_-]+`), a list item is addressed as
`considerations[0]`. The value is a TOML literal (`1`, `0.5`, `true`, `"text"`, `[1, 2]`,
`{a = 1}`), read by `toml_input` with the checks of every TOML input and never evaluated as
code; a bare word that is not a literal but looks like an identifier (`off`, `top_n`) is taken
as a string, anything else must be quoted. Every problem is a `UserError`.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping, Sequence
from typing import Any

from configuration.errors import UserError
from configuration.shown_values import dotted, show, shown_key
from configuration.toml_input import MAX_DEPTH, TomlProblem, loads, unusable

KeyPath = tuple[str | int, ...]
_SEGMENT = re.compile(r"([A-Za-z0-9_-]+)((?:\[\d{1,9}\])*)")
_BARE_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_SHOWN_OVERRIDE = 80  # characters of a --set text quoted in a message


def _clip(text: str) -> str:
    """A user's text short enough to quote in a message (a value may be megabytes long)."""
    return text if len(text) <= _SHOWN_OVERRIDE else text[: _SHOWN_OVERRIDE - 3] + "..."


def parse_key(text: str) -> list[str | int]:
    """`agents.crew.actions.rest.considerations[0].low` -> `['agents', ..., 0, 'low']`."""
    path: list[str | int] = []
    segments = text.split(".", MAX_DEPTH)  # splitting a megabyte of dots would be wasted
    for segment in segments if len(segments) <= MAX_DEPTH else ():
        match = _SEGMENT.fullmatch(segment)
        if not match:
            raise UserError(
                f"bad key {_clip(text)!r}: use dotted bare keys like simulation.ticks, "
                "with [i] for list items (considerations[0])"
            )
        path.append(match[1])
        path.extend(int(index) for index in re.findall(r"\[(\d+)\]", match[2]))
    if len(segments) > MAX_DEPTH or len(path) > MAX_DEPTH:
        raise UserError(
            f"bad key {_clip(text)!r}: more than {MAX_DEPTH} parts; "
            f"keys nest at most {MAX_DEPTH} levels deep"
        )
    return path


def parse_override(text: str) -> tuple[list[str | int], Any]:
    """`dotted.key=value` -> (key path, value parsed as a TOML literal). See the module doc."""
    key, sep, value_text = text.partition("=")
    key, value_text = key.strip(), value_text.strip()
    where = f"--set {_clip(text)!r}"
    if not sep:
        raise UserError(f"{where}: expected dotted.key=value")
    if not key:
        raise UserError(f"{where}: empty key before '='")
    if not value_text:
        raise UserError(f"{where}: empty value after '=' (write \"\" for an empty string)")
    try:
        path = parse_key(key)
    except UserError as error:
        raise UserError(f"{where}: {error}") from None
    return path, _parse_literal(where, value_text)


def _parse_literal(where: str, value_text: str) -> Any:
    """The value of `--set key=VALUE_TEXT`, read with the checks of every TOML input."""
    try:
        parsed = loads(f"value = {value_text}")
    except TomlProblem as problem:
        if problem.syntax and _BARE_WORD.fullmatch(value_text):
            return value_text
        if problem.syntax:
            reason = problem.reason.removeprefix("TOML syntax error: ")
            raise UserError(
                f"{where}: {_clip(value_text)!r} is not a TOML literal ({reason}); "
                'quote text like key="some text"'
            ) from None
        raise UserError(f"{where}: the value holds {problem.reason}") from None
    if set(parsed) != {"value"}:  # a newline in the value smuggled in more keys
        raise UserError(f"{where}: the value must be a single TOML literal")
    found = unusable(parsed["value"])
    if found:
        raise UserError(f"{where}: the value is {found[1]}")
    return parsed["value"]


def apply_overrides(
    raw: Mapping[str, Any], overrides: Sequence[str] | Mapping[str, Any]
) -> dict[str, Any]:
    """A new raw table with every override set, creating missing tables on the way.

    `overrides` is either `--set` texts or a mapping of dotted key -> already-parsed value
    (what experiment sweeps use). Problems with all of them are raised together.
    """
    result, _ = apply_with_origins(raw, overrides)
    return result


def apply_with_origins(
    raw: Mapping[str, Any], overrides: Sequence[str] | Mapping[str, Any]
) -> tuple[dict[str, Any], dict[KeyPath, str]]:
    """`apply_overrides`, with where each value came from: key path -> the override's text,
    short enough to quote in a message (`--set` plus this text)."""
    found = unusable(raw)  # before deepcopy, which recurses
    if found:
        raise UserError(f"{shown_key(dotted(found[0]))}: {found[1]}")
    result = copy.deepcopy(dict(raw))
    origins: dict[KeyPath, str] = {}
    problems: list[str] = []
    items = overrides.items() if isinstance(overrides, Mapping) else ((t, None) for t in overrides)
    for text_or_key, given in items:
        try:
            if isinstance(overrides, Mapping):
                path, value, text = parse_key(text_or_key), given, _clip(text_or_key)
                text += f"={show(given)}"
                found = unusable(value)
                if found:
                    raise UserError(f"--set {text}: the value is {found[1]}")
            else:
                (path, value), text = parse_override(text_or_key), text_or_key
            _set(result, path, copy.deepcopy(value), text)
        except UserError as error:
            problems.append(str(error))
            continue
        origins[tuple(path)] = _clip(text)
    if problems:
        raise UserError("\n".join(problems))
    return result, origins


def _set(table: dict[str, Any], path: list[str | int], value: Any, text: str) -> None:
    node: Any = table
    for depth, part in enumerate(path):
        here, last = shown_key(dotted(path[: depth + 1])), depth == len(path) - 1
        parent = shown_key(dotted(path[:depth]))
        if isinstance(part, int):
            if not isinstance(node, list) or part >= len(node):
                size = f"has {len(node)} items" if isinstance(node, list) else "is not an array"
                raise UserError(f"--set {_clip(text)}: cannot set {here}: {parent} {size}")
        elif not isinstance(node, dict):
            raise UserError(f"--set {_clip(text)}: cannot set {here}: {parent} is not a table")
        if last:
            node[part] = value
        elif isinstance(part, str) and part not in node:
            node[part] = {}
        node = node[part]
