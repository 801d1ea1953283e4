"""Read, override, validate and write scenario configs: the one loader every front door uses.

`load_config(path, overrides)` is the whole pipeline. Bad input of any kind (missing file, TOML
syntax, malformed `--set`, schema violations) raises `ConfigError`, a `UserError` whose message
has one line per problem: `file: dotted.key: what was found; what is allowed.` Files are read
by `configuration.toml_input.read_toml` and `--set` applied by `configuration.overrides`, so
every door refuses FIFOs, huge files, deep nesting and endless digits the same way.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import ValidationError

from configuration.errors import UserError
from configuration.overrides import KeyPath, apply_with_origins
from configuration.problems import ConfigIssue, translate
from configuration.scenario import ScenarioConfig
from configuration.shown_values import shown_key
from configuration.toml_input import read_toml, unusable
from world.cast import CATALOGS as ROLES


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
        f"--set {text}"
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
    result, origins = apply_with_origins(raw, overrides)
    return validate_raw(result, str(path), origins=origins)


def dump_resolved(config: ScenarioConfig) -> dict[str, Any]:
    """Every key with its value, defaults included, as JSON-able data `validate_raw` accepts."""
    return config.model_dump(mode="json", exclude_none=True)


def config_to_toml(config: ScenarioConfig) -> str:
    """The resolved config as TOML; loading the text gives back an equal config."""
    return tomli_w.dumps(dump_resolved(config))
