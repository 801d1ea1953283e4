"""The columns of `runs.parquet`: one row per run, typed, in a fixed order.

run_id, point, replicate, seed          identity (stable across backends and resumes)
<dotted parameter keys>                 the design point's values
status                                  "ok" or "failed"
ending, <flags>, crew_alive             outcome (null for a failed run)
events.<kind>                           how many events of each kind the run recorded
ticks, wall_s, digest, error, attempt   bookkeeping (error: text of a failed run)
code                                    fingerprint of the world code the worker ran

`events.parquet` (when the experiment keeps events) has one row per event of an ok run:
run_id, tick, kind and actors (display names, who did it first); the text is left out, as a
run can be played again from its seed to tell it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pyarrow as pa

from experiments.designs import Design
from world.endings import FLAGS, YES_NO_FLAGS

STATUS_OK = "ok"
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
STATUS_FAILED = "failed"
IDENTITY_FIELDS = (
    pa.field("run_id", pa.int64(), nullable=False),
    pa.field("point", pa.int64(), nullable=False),
    pa.field("replicate", pa.int64(), nullable=False),
    pa.field("seed", pa.int64(), nullable=False),
)
# The run-level flags (`world.endings.flags`) and their types.
FLAG_FIELDS = tuple(
    pa.field(name, pa.bool_() if name in YES_NO_FLAGS else pa.string()) for name in FLAGS
)
EVENT_PREFIX = "events."
BOOKKEEPING_FIELDS = (
    pa.field("ticks", pa.int64()),
    pa.field("wall_s", pa.float64()),
    pa.field("digest", pa.string()),
    pa.field("error", pa.string()),
    pa.field("attempt", pa.int64(), nullable=False),
    pa.field("code", pa.string()),
)


EVENTS_SCHEMA = pa.schema(
    [
        pa.field("run_id", pa.int64(), nullable=False),
        pa.field("tick", pa.int64(), nullable=False),
        pa.field("kind", pa.string(), nullable=False),
        pa.field("actors", pa.list_(pa.string()), nullable=False),
    ]
)


def events_table(run_id: int, events: Sequence[Any]) -> pa.Table:
    """A run's events (`world.events.Event`s) as rows of events.parquet."""
    return pa.table(
        [
            pa.array([run_id] * len(events), pa.int64()),
            pa.array([event.tick for event in events], pa.int64()),
            pa.array([event.kind for event in events], pa.string()),
            pa.array([list(event.actors) for event in events], pa.list_(pa.string())),
        ],
        schema=EVENTS_SCHEMA,
    )


def event_column(kind: str) -> str:
    return f"{EVENT_PREFIX}{kind}"


def parameter_type(values: Iterable[Any]) -> pa.DataType:
    """One Arrow type that stores every value a parameter takes in the design exactly.

    Whole numbers beyond 64 bits (TOML and integer ranges allow them) go into a float column
    when a float holds each exactly, else into a string column, as do mixed types: any value
    the experiment file accepts can be stored, so no run's result is ever refused.
    """
    values = list(values)
    if all(isinstance(v, bool) for v in values):
        return pa.bool_()
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        if all(isinstance(v, int) and INT64_MIN <= v <= INT64_MAX for v in values):
            return pa.int64()
        if all(_exact_as_float(v) for v in values):
            return pa.float64()
    return pa.string()


def _exact_as_float(value: int | float) -> bool:
    if isinstance(value, float):
        return True
    try:
        return float(value) == value  # Python compares int and float exactly
    except OverflowError:  # beyond the largest float
        return False


def run_schema(design: Design, event_kinds: Sequence[str]) -> pa.Schema:
    """The schema of `runs.parquet` for this design and this world's event kinds."""
    parameters = [
        pa.field(key, parameter_type(point[i] for point in design.points))
        for i, key in enumerate(design.keys)
    ]
    outcome = [
        pa.field("status", pa.string(), nullable=False),
        pa.field("ending", pa.string()),
        *FLAG_FIELDS,
        pa.field("crew_alive", pa.int64()),
    ]
    events = [pa.field(event_column(kind), pa.int64()) for kind in event_kinds]
    return pa.schema([*IDENTITY_FIELDS, *parameters, *outcome, *events, *BOOKKEEPING_FIELDS])


def parameter_cell(value: Any, arrow_type: pa.DataType) -> Any:
    """A design value as stored in its column (see `parameter_type`: always exact)."""
    if arrow_type == pa.string() and not isinstance(value, str):
        return repr(value)
    if arrow_type == pa.float64():
        return float(value)
    return value


def row_table(row: dict[str, Any], schema: pa.Schema) -> pa.Table:
    """A one-row table of `row` in `schema` (columns the row lacks are null)."""
    return pa.Table.from_pylist([row], schema=schema)
