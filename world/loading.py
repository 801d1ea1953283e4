"""Read, override, validate and write scenario configs: the one loader every front door uses.

`load_config(path, overrides)` is the whole pipeline. Bad input of any kind (missing file, TOML
syntax, malformed `--set`, schema violations) raises `ConfigError`, a `UserError` whose message
has one line per problem: `file: dotted.key: what was found; what is allowed.` Files, texts and
`--set` literals are read by `world.toml_input` (`read_toml`, `parse_toml`), so every door
refuses FIFOs, huge files, deep nesting and endless digits the same way.

`--set` grammar: `dotted.key=value`. Key segments are bare TOML keys (`[A-Za-z0-9_-]+`), a
list item is addressed as `considerations[0]`. The value is a TOML literal (`1`, `0.5`, `true`,
`"text"`, `[1, 2]`, `{a = 1}`), never evaluated as code; a bare word that is not a literal but
looks like an identifier (`off`, `top_n`) is taken as a string, anything else must be quoted.
"""

from __future__ import annotations

import copy
import json
import math
import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import ValidationError

from world.cast import CATALOGS as ROLES
from world.config import ScenarioConfig
from world.config_errors import ConfigIssue, translate
from world.errors import UserError
from world.shown_values import dotted, show, shown_key
from world.toml_input import MAX_DEPTH, TomlProblem, loads, unusable
from world.toml_input import parse_toml as parse_toml  # every TOML text door, re-exported
from world.toml_input import read_toml as read_toml

KeyPath = tuple[str | int, ...]
_SEGMENT = re.compile(r"([A-Za-z0-9_-]+)((?:\[\d{1,9}\])*)")
_BARE_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_SHOWN_OVERRIDE = 80  # characters of a --set text quoted in a message


class ConfigError(UserError):
    """A config that cannot be used; `issues` lists every problem, the message shows them all."""

    def __init__(
        self,
        source: str,
        issues: Sequence[ConfigIssue],
        origins: Mapping[KeyPath, str] | None = None,
    ) -> None:
        self.source = source
        self.issues = tuple(issues)
        lines = [_line(source, issue, origins or {}) for issue in self.issues]
        super().__init__("\n".join(lines))


def _line(source: str, issue: ConfigIssue, origins: Mapping[KeyPath, str]) -> str:
    """`file: key (from --set k=v): message.` -- the origin only when an override put it there."""
    where = shown_key(issue.key)
    causes = [
        f"--set {_clip(text)}"
        for path, text in origins.items()
        if min(len(path), len(issue.path)) and _overlap(path, issue.path)
    ]
    if causes:
        where += f" (from {', '.join(causes)})"
    prefix = f"{source}: {where}: " if where else f"{source}: "
    return prefix + issue.message.rstrip(".") + "."


def _overlap(a: KeyPath, b: KeyPath) -> bool:
    """True when one key path contains the other (an override set it or something under it)."""
    shorter = min(len(a), len(b))
    return a[:shorter] == b[:shorter]


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
    result, _ = _apply(raw, overrides)
    return result


def _apply(
    raw: Mapping[str, Any], overrides: Sequence[str] | Mapping[str, Any]
) -> tuple[dict[str, Any], dict[KeyPath, str]]:
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
        origins[tuple(path)] = text
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


def validate_raw(
    raw: Mapping[str, Any], source: str, *, origins: Mapping[KeyPath, str] | None = None
) -> ScenarioConfig:
    """Validate a raw table into a `ScenarioConfig`, or raise `ConfigError` listing every issue.

    Validation is strict (no "5" for 5, no true for 1); values go through JSON so TOML arrays
    are accepted where the schema has tuples. Data nested too deep is refused first, by key,
    so nothing below (which recurses) can exhaust the stack.
    """
    found = unusable(raw)
    if found:
        raise ConfigError(source, [ConfigIssue(*found)], origins)
    early, clean = _reject_unrepresentable(raw)
    try:
        config = ScenarioConfig.model_validate_json(json.dumps(clean), strict=True)
    except ValidationError as error:
        issues = translate(error.errors(include_url=False), ScenarioConfig, clean)
        issues = [i for i in issues if not any(i.path[: len(e.path)] == e.path for e in early)]
        issues = [_move_prefix(i) for i in early + issues + _cast_issues(clean, issues)]
        raise ConfigError(source, issues, origins) from None
    if early:
        raise ConfigError(source, early, origins)
    return config


def _reject_unrepresentable(raw: Any, path: KeyPath = ()) -> tuple[list[ConfigIssue], Any]:
    """Dates, NaN/inf and non-TOML objects mean nothing in a scenario: report and blank them.

    Numpy scalars (sweep values from a design) become plain numbers; tuples become arrays.
    """
    if type(raw).__module__ == "numpy" and hasattr(raw, "item"):
        raw = raw.item()
    if isinstance(raw, Mapping):
        pairs = [(key, _reject_unrepresentable(value, (*path, key))) for key, value in raw.items()]
        return [i for _, (found, _) in pairs for i in found], {k: v for k, (_, v) in pairs}
    if isinstance(raw, list | tuple):
        pairs = [_reject_unrepresentable(value, (*path, n)) for n, value in enumerate(raw)]
        return [i for found, _ in pairs for i in found], [v for _, v in pairs]
    if isinstance(raw, datetime | date | time):
        message = f"wrong type: got the date/time {raw.isoformat()}, no key takes a date"
        return [ConfigIssue(path, message)], None
    if isinstance(raw, float) and not math.isfinite(raw):
        return [ConfigIssue(path, f"must be a finite number, got {raw!r}")], None
    if raw is not None and not isinstance(raw, str | int | float):
        return [
            ConfigIssue(path, f"wrong type: got a {type(raw).__name__}, not a TOML value")
        ], None
    return [], raw


def _cast_issues(clean: Any, issues: list[ConfigIssue]) -> list[ConfigIssue]:
    """Whole-config checks (the cast) only run once every field is valid; probe them alone."""
    characters = clean.get("characters") if isinstance(clean, dict) else None
    checked = any(not i.path or i.path[:1] == ("characters",) for i in issues)
    if not isinstance(characters, dict) or checked:
        return []
    probe = {"agents": {role: {} for role in ROLES}, "characters": characters}
    try:
        ScenarioConfig.model_validate_json(json.dumps(probe), strict=True)
    except ValidationError as error:
        found = translate(error.errors(include_url=False), ScenarioConfig, probe)
        return [issue for issue in found if not issue.path]
    return []


def _move_prefix(issue: ConfigIssue) -> ConfigIssue:
    """A model-level message that starts with `section: ` is about that section's key."""
    head, sep, rest = issue.message.partition(": ")
    if not issue.path and sep and head in ScenarioConfig.model_fields:
        return ConfigIssue((head,), rest)
    return issue


def load_config(path: str | Path, overrides: Sequence[str] = ()) -> ScenarioConfig:
    """Read a TOML scenario, apply `--set` overrides, validate; `ConfigError` lists every issue."""
    raw = read_toml(path)
    result, origins = _apply(raw, overrides)
    return validate_raw(result, str(path), origins=origins)


def dump_resolved(config: ScenarioConfig) -> dict[str, Any]:
    """Every key with its value, defaults included, as JSON-able data `validate_raw` accepts."""
    return config.model_dump(mode="json", exclude_none=True)


def config_to_toml(config: ScenarioConfig) -> str:
    """The resolved config as TOML; loading the text gives back an equal config."""
    return tomli_w.dumps(dump_resolved(config))
