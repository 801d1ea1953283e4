"""The shapes of a run record's JSON: the summary, the galaxy and each decision's trace.

A shape is data, not code: an object is a dict of key -> shape, `ListOf` an array, `TableOf`
an object with any keys, and a leaf is the sentence saying what is allowed ("a whole number"),
so the check and its error message cannot disagree. `check_shape` walks the shape, not the
data, so a hostile file cannot make it recurse deeper than the shape does.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from world.endings import FLAGS, YES_NO_FLAGS


@dataclass(frozen=True)
class ListOf:
    """A JSON array whose every item has the shape `item`."""

    item: Any


@dataclass(frozen=True)
class TableOf:
    """A JSON object with any keys, whose every value has the shape `value`."""

    value: Any


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


# A leaf of a shape is the sentence that says what is allowed; the test that checks it.
_LEAVES: dict[str, Callable[[Any], bool]] = {
    "a whole number": _whole,
    "a whole number >= 0": lambda value: _whole(value) and value >= 0,
    "a whole number or null": lambda value: value is None or _whole(value),
    "a number": _number,
    "a finite number": lambda value: _number(value) and math.isfinite(value),
    "a number or null": lambda value: value is None or _number(value),
    "a string": lambda value: isinstance(value, str),
    "a string or null": lambda value: value is None or isinstance(value, str),
    "true or false": lambda value: isinstance(value, bool),
}

# `RunResult.summary()`: the object `callister run --json` prints.
SUMMARY_SHAPE = {
    "seed": "a whole number >= 0",
    "ticks": "a whole number >= 0",
    "ending": "a string",
    "ending_tick": "a whole number or null",
    "flags": {name: "true or false" if name in YES_NO_FLAGS else "a string" for name in FLAGS},
    "crew": ListOf({"name": "a string", "role": "a string", "alive": "true or false"}),
    "events": ListOf(
        {
            "tick": "a whole number",
            "kind": "a string",
            "actors": ListOf("a string"),
            "text": "a string",
        }
    ),
    "event_counts": TableOf("a whole number"),
    "digest": "a string",
    "wall_s": "a number",
}

# `world.record.galaxy_snapshot`: planets, warp lanes and the two landmarks.
GALAXY_SHAPE = {
    "nodes": ListOf(
        {
            "id": "a whole number >= 0",
            "name": "a string",
            "kind": "a string",
            "x": "a finite number",
            "y": "a finite number",
            "created_tick": "a whole number",
            "attractiveness": "a number",
        }
    ),
    "edges": ListOf(
        {"source": "a whole number", "target": "a whole number", "distance": "a number"}
    ),
    "heart": "a whole number",
    "xj500": "a whole number",
}

_CONSIDERATION_SHAPE = {
    "input": "a string",
    "raw": "a number or null",
    "x": "a number or null",
    "curve": "a number",
    "compensated": "a number",
}

# `agents.trace.DecisionTrace.to_dict()`: what the decision inspector draws.
TRACE_SHAPE = {
    "role": "a string",
    "selector": "a string",
    "uniform": "a number",
    "winner": "a string or null",
    "runner_up": "a string or null",
    "margin": "a number",
    "candidates": ListOf(
        {
            "action": "a string",
            "available": "true or false",
            "considerations": ListOf(_CONSIDERATION_SHAPE),
            "product": "a number",
            "weight": "a number",
            "momentum": "a number",
            "score": "a number",
            "probability": "a number",
        }
    ),
}


def check_shape(value: Any, shape: Any, where: str = "") -> None:
    """Raise `ValueError("<where>: expected ..., found ...")` where `value` leaves `shape`.

    Objects may hold more keys than the shape names (they are ignored), never fewer.
    """
    if isinstance(shape, str):
        if not _LEAVES[shape](value):
            raise _mismatch(where, shape, value)
    elif isinstance(shape, ListOf):
        if not isinstance(value, list):
            raise _mismatch(where, "an array", value)
        for position, item in enumerate(value):
            check_shape(item, shape.item, f"{where}[{position}]")
    elif not isinstance(value, dict):
        raise _mismatch(where, "an object", value)
    elif isinstance(shape, TableOf):
        for key, item in value.items():
            check_shape(item, shape.value, _join(where, key))
    else:
        missing = [key for key in shape if key not in value]
        if missing:
            raise ValueError(f"{where + ': ' if where else ''}missing {', '.join(missing)}")
        for key, part in shape.items():
            check_shape(value[key], part, _join(where, key))


def _mismatch(where: str, expected: str, value: Any) -> ValueError:
    return ValueError(f"{where + ': ' if where else ''}expected {expected}, found {_found(value)}")


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _found(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the string {json.dumps(shown)}"
    if isinstance(value, list):
        return f"an array of {len(value)} items"
    if isinstance(value, dict):
        return "an object"
    return repr(value)


def check_galaxy(galaxy: dict) -> None:
    """Beyond the shape: planets exist, ids are unique, lanes and landmarks name planets."""
    known: set[int] = set()
    repeated = None
    for node in galaxy["nodes"]:
        if node["id"] in known and repeated is None:
            repeated = node["id"]
        known.add(node["id"])
    problem = None
    if not known:
        problem = "nodes: the galaxy has no planets"
    elif max(known) >= len(galaxy["nodes"]):  # ids number the planets 0, 1, 2... in order
        problem = f"nodes: the planet id {max(known)} is not below the number of planets"
    elif repeated is not None:
        problem = f"nodes: the planet id {repeated} appears more than once"
    elif galaxy["heart"] not in known or galaxy["xj500"] not in known:
        problem = f"heart {galaxy['heart']} and xj500 {galaxy['xj500']} must be planet ids"
    else:
        for position, edge in enumerate(galaxy["edges"]):
            if edge["source"] not in known or edge["target"] not in known:
                problem = f"edges[{position}]: joins {edge['source']} and {edge['target']}, "
                problem += "which are not both planet ids"
                break
    if problem:
        raise ValueError(problem)
