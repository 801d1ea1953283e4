"""The story-pattern language: TOML pattern files, their schema and their validation.

A file holds `[patterns.ID]` tables; each pattern has a `name`, a one-line `description` and
`beats`, an array of tables matched in order. A beat names an `event` kind or a chosen `action`
(never both), may constrain its `actor` (the first actor of an event, the chooser of an
action) and `target` (an event's second actor) by role or by a `$variable` bound by an earlier
beat's `as` / `target_as`, may require to come `within` N hours of the previous beat, and may
forbid, `not_between` the previous beat and itself, guards shaped like beats. A pattern may
also name the `endings` its runs must reach. Every problem is
a `ConfigError`: the file, the dotted key, what is allowed (docs/stories.md).
"""

from __future__ import annotations

import difflib
import json
import re
from pathlib import Path
from typing import Any

from pydantic import ConfigDict, Field, ValidationError

from agents.spec import MAX_HOURS, Strict
from configuration.loading import ConfigError
from configuration.problems import ConfigIssue, translate
from configuration.toml_input import read_toml, unusable
from experiments.stories_timeline import DECISION, EVENT
from world.cast import CATALOGS, CHARACTER_CLASSES
from world.endings import ENDINGS
from world.events import EVENT_KINDS

# Roles an actor condition may name: the named cast's (robbed players are a crowd, unnamed).
ACTOR_ROLES: tuple[str, ...] = tuple(CHARACTER_CLASSES)
ACTIONS: dict[str, tuple[str, ...]] = {}  # action -> the roles that have it, in catalog order
for _role, _catalog in CATALOGS.items():
    for _action in _catalog.actions:
        ACTIONS.setdefault(_action, ())
        ACTIONS[_action] += (_role,)
# The shipped patterns: what `callister stories` reads without --patterns, and `story=ID` names
DEFAULT_PATTERNS = Path(__file__).resolve().parent.parent / "configs" / "stories" / "episode.toml"
IDENTIFIER = re.compile(r"[a-z][a-z0-9_]{0,63}")
VARIABLE_PREFIX = "$"


class Guard(Strict):
    """What must not happen between two beats: an event kind or a chosen action, with actors."""

    event: str | None = Field(None, description="an event kind (world/events.py)")
    action: str | None = Field(None, description="a chosen action (a role's catalog)")
    actor: str | None = Field(None, description="a role or $variable the actor must be")
    target: str | None = Field(None, description="a role or $variable the target must be")


class Beat(Guard):
    """One step of a pattern: what happens, who does it, how soon after the previous beat."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    within: int | None = Field(None, ge=0, le=MAX_HOURS, description="hours after the last beat")
    not_between: tuple[Guard, ...] = Field((), description="must not happen since the last beat")
    bind_actor: str | None = Field(None, alias="as", description="name the actor for later beats")
    target_as: str | None = Field(None, description="name the target for later beats")


class Pattern(Strict):
    """A named story shape: its beats in order."""

    name: str = Field(min_length=1, max_length=80, description="what a fan would call it")
    description: str = Field(min_length=1, max_length=200, description="one line")
    beats: tuple[Beat, ...] = Field(min_length=1, max_length=12, description="beats, in order")
    endings: tuple[str, ...] = Field(
        (), max_length=len(ENDINGS), description="the run ends in one of these (empty: any)"
    )


class PatternFile(Strict):
    """A pattern file: `[patterns.ID]` tables, in the order they are listed."""

    patterns: dict[str, Pattern] = Field(min_length=1, max_length=200)


def kinds_named(pattern: Pattern) -> frozenset[tuple[str, str]]:
    """The (source, kind) of every happening a beat or guard of `pattern` can match."""
    return frozenset(
        (EVENT, spec.event) if spec.event is not None else (DECISION, spec.action)
        for beat in pattern.beats
        for spec in (beat, *beat.not_between)
    )


def needs_decisions(pattern: Pattern) -> bool:
    """Whether a beat or guard names a chosen action (only a traced run record has those)."""
    return any(source == DECISION for source, _ in kinds_named(pattern))


def load_patterns(path: str | Path) -> dict[str, Pattern]:
    """Read and validate a pattern file; any problem is a `ConfigError` naming file and key."""
    raw = read_toml(path, "pattern file")
    return validate_patterns(raw, str(path))


def validate_patterns(raw: dict[str, Any], source: str) -> dict[str, Pattern]:
    """Validate a parsed pattern file: the schema first, then the vocabulary and bindings."""
    found = unusable(raw)
    if found:
        raise ConfigError(source, [ConfigIssue(*found)])
    try:
        # through JSON: TOML dates are refused as strings are expected, never coerced
        parsed = PatternFile.model_validate_json(json.dumps(raw, default=str), strict=True)
    except ValidationError as error:
        issues = translate(error.errors(include_url=False), PatternFile, raw)
        # `as` is a Python keyword: the field is `bind_actor`, users only ever see `as`
        issues = [ConfigIssue(i.path, i.message.replace("bind_actor", "as")) for i in issues]
        raise ConfigError(source, issues) from None
    issues = [
        issue
        for pattern_id, pattern in parsed.patterns.items()
        for issue in _pattern_issues(pattern_id, pattern)
    ]
    if issues:
        raise ConfigError(source, issues)
    return parsed.patterns


def _pattern_issues(pattern_id: str, pattern: Pattern) -> list[ConfigIssue]:
    base = ("patterns", pattern_id)
    if not IDENTIFIER.fullmatch(pattern_id):
        message = "a pattern id is lower-case letters, digits and _, starting with a letter"
        return [ConfigIssue(base, message)]
    issues: list[ConfigIssue] = [
        ConfigIssue((*base, "endings", number), _unknown("ending", ending, ENDINGS))
        for number, ending in enumerate(pattern.endings)
        if ending not in ENDINGS
    ]
    bound: set[str] = set()
    for number, beat in enumerate(pattern.beats):
        path = (*base, "beats", number)
        if number == 0:
            for key in ("within", "not_between"):
                if getattr(beat, key):
                    issues.append(ConfigIssue((*path, key), "the first beat has no previous beat"))
        issues += _matcher_issues(beat, path, bound)
        for guard_number, guard in enumerate(beat.not_between):
            issues += _matcher_issues(guard, (*path, "not_between", guard_number), bound)
        for key, name in (("as", beat.bind_actor), ("target_as", beat.target_as)):
            if name is None:
                continue
            if not IDENTIFIER.fullmatch(name):
                message = f"a variable name is lower-case letters, digits and _, got {name!r}"
                issues.append(ConfigIssue((*path, key), message))
            elif name in bound:
                issues.append(ConfigIssue((*path, key), f"variable {name!r} is already bound"))
            bound.add(name)
        if beat.target_as is not None and beat.action is not None:
            issues.append(ConfigIssue((*path, "target_as"), "a chosen action has no target"))
    return issues


def _matcher_issues(matcher: Guard, path: tuple, bound: set[str]) -> list[ConfigIssue]:
    """The vocabulary of one beat or guard: its event or action, its actor conditions."""
    if (matcher.event is None) == (matcher.action is None):
        return [ConfigIssue(path, "give exactly one of `event` (a kind) or `action`")]
    issues = []
    if matcher.event is not None and matcher.event not in EVENT_KINDS:
        issues.append(
            ConfigIssue((*path, "event"), _unknown("event kind", matcher.event, EVENT_KINDS))
        )
    if matcher.action is not None:
        roles = ACTIONS.get(matcher.action)
        if roles is None:
            issues.append(
                ConfigIssue((*path, "action"), _unknown("action", matcher.action, ACTIONS))
            )
        elif matcher.actor in CATALOGS and matcher.actor not in roles:
            owners = ", ".join(roles)
            message = (
                f"role {matcher.actor!r} has no action {matcher.action!r} (roles with it: {owners})"
            )
            issues.append(ConfigIssue((*path, "action"), message))
        if matcher.target is not None:
            issues.append(ConfigIssue((*path, "target"), "a chosen action has no target"))
    for key in ("actor", "target"):
        value = getattr(matcher, key)
        if value is None:
            continue
        if value.startswith(VARIABLE_PREFIX):
            if value[1:] not in bound:
                known = ", ".join(sorted(f"${name}" for name in bound)) or "none yet"
                message = f"variable {value!r} is not bound by an earlier beat (bound: {known})"
                issues.append(ConfigIssue((*path, key), message))
        elif value not in ACTOR_ROLES:
            allowed = [*ACTOR_ROLES, "$variable"]
            issues.append(ConfigIssue((*path, key), _unknown("role", value, allowed)))
    return issues


def _unknown(what: str, value: str, allowed) -> str:
    message = f"unknown {what} {value!r}"
    close = difflib.get_close_matches(value, list(allowed), n=1)
    if close:
        message += f" (did you mean {close[0]!r}?)"
    return f"{message}; allowed: {', '.join(allowed)}"
