"""Run records checked as they are opened: every file against its schema, or one clear error.

A record is files on disk that anyone can edit, truncate or replace, so nothing in it is
trusted: each file must be a regular file (a FIFO or a device would block the reader forever),
must parse, and must hold the keys, columns and types the pages and commands read. Every
failure is a `UserError` naming the file and what is wrong, so Replay shows it and a command
exits 2, instead of a traceback half-way through drawing a tick.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from configuration.errors import UserError
from configuration.input_files import open_regular, parse_json, read_text
from configuration.loading import validate_raw
from configuration.scenario import ScenarioConfig
from configuration.toml_input import parse_toml
from world.metrics import METRICS
from world.record_shapes import check_shape

RECORD_FILE = "run record file"  # what a missing file is called: "no such run record file"

# ---- files ---------------------------------------------------------------------------------


def read_json(path: Path, shape: Any, check: Callable[[Any], None] | None = None) -> Any:
    """A JSON record file, checked against `shape` and then by `check` (a `ValueError`)."""
    data = parse_json(read_text(path, RECORD_FILE), path)
    try:
        check_shape(data, shape)
        if check is not None:
            check(data)
    except ValueError as error:
        raise UserError(f"{path}: {error}.") from None
    return data


def read_config(path: Path, text: str) -> ScenarioConfig:
    """The scenario of a record's `config.toml` (its `text`), validated like any scenario."""
    return validate_raw(parse_toml(text, str(path)), str(path))


# ---- tables --------------------------------------------------------------------------------


@dataclass(frozen=True)
class FrameSchema:
    """The columns a Parquet file of a record must hold, and how its ticks may repeat.

    `ticks`: "any" (events, decisions, planets), "unique" (one row per tick) or "every"
    (exactly ticks 1..N, one row each: the timeline the replay scrubs). `optional` columns
    are checked when present: older records were written without them.
    """

    columns: Mapping[str, str]
    ticks: str = "any"
    min_rows: int = 0
    optional: Mapping[str, str] = field(default_factory=dict)


METRICS_SCHEMA = FrameSchema(
    {"tick": "whole numbers", **dict.fromkeys(METRICS, "numbers"), "ship_planet": "planet ids"},
    ticks="every",
    min_rows=1,
)
EVENTS_SCHEMA = FrameSchema(
    {"tick": "whole numbers", "kind": "text", "actors": "anything", "text": "text"}
)
DECISIONS_SCHEMA = FrameSchema(
    {
        "tick": "whole numbers",
        "character": "text",
        "role": "text",
        "action": "text or null",
        "score": "numbers",
        "trace": "text or null",
    },
    # how many beliefs the character had learned when it decided (its beliefs as they stood)
    optional={"beliefs_held": "numbers"},
)
PLANETS_SCHEMA = FrameSchema(
    {"tick": "whole numbers", "planet": "whole numbers", "online": "numbers", "hunters": "numbers"}
)
BELIEFS_SCHEMA = FrameSchema(
    {
        "character": "text",
        "order": "whole numbers",  # the character's beliefs counted from 0, in learning order
        "fact": "text",
        "value": "text",  # JSON
        "tick": "whole numbers",
        "how": "text",
        "source": "text or null",
    }
)
FEELINGS_SCHEMA = FrameSchema(
    {
        "tick": "whole numbers",
        "who": "text",
        "whom": "text",
        "cause": "text",
        "trust": "numbers",
        "grievance": "numbers",
    }
)
SCENE_SCHEMA = FrameSchema(
    {
        "tick": "whole numbers",
        "walton_in_game": "true or false",
        "nanette_in_game": "true or false",
        "ship_destroyed": "true or false",
        "infinity_alive": "true or false",
    },
    ticks="unique",
)


def read_frame(path: Path, schema: FrameSchema) -> pd.DataFrame:
    """A Parquet record file, checked against `schema`; sorted by tick when ticks are unique."""
    with open_regular(path, RECORD_FILE) as handle:
        try:
            frame = pd.read_parquet(handle)
        except (pa.ArrowException, ValueError, OSError) as error:
            reason = str(error).splitlines()[0] if str(error) else type(error).__name__
            raise UserError(f"{path}: not a readable Parquet file ({reason}).") from None
    problem = _frame_problem(frame, schema)
    if problem:
        raise UserError(f"{path}: {problem}.")
    if schema.ticks != "any":
        frame = frame.sort_values("tick", kind="stable", ignore_index=True)
    return frame


def _frame_problem(frame: pd.DataFrame, schema: FrameSchema) -> str | None:
    repeated = frame.columns[frame.columns.duplicated()]
    if len(repeated):
        return f"holds the column {repeated[0]} more than once"
    missing = [name for name in schema.columns if name not in frame.columns]
    if missing:
        return f"missing the column{'s' if len(missing) > 1 else ''} {', '.join(missing)}"
    if len(frame) < schema.min_rows:
        return f"has {len(frame)} rows; a run record has at least {schema.min_rows}"
    present = {**schema.columns, **{k: v for k, v in schema.optional.items() if k in frame}}
    for name, kind in present.items():
        problem = _column_problem(frame[name], kind)
        if problem:
            return f"column {name}: {problem}"
    if schema.ticks == "any" or frame.empty:
        return None
    ticks = frame["tick"]
    repeated = ticks[ticks.duplicated()]
    if len(repeated):
        return f"column tick: tick {int(repeated.iloc[0])} appears more than once"
    if schema.ticks == "every" and (ticks.min() != 1 or ticks.max() != len(frame)):
        return (
            f"column tick: must run 1, 2, ..., {len(frame)} (one row per hour), "
            f"found ticks {int(ticks.min())} to {int(ticks.max())}"
        )
    return None


def _column_problem(column: pd.Series, kind: str) -> str | None:
    """What is wrong with a column for `kind`, or None. Empty columns have no type to check."""
    if kind == "anything" or column.empty:
        return None
    dtype = column.dtype
    numeric = isinstance(dtype, np.dtype) and dtype.kind in "iuf"
    if kind == "whole numbers":
        ok = isinstance(dtype, np.dtype) and dtype.kind in "iu"
    elif kind == "numbers":
        ok = numeric
    elif kind == "planet ids":  # stored as floats like every metric: whole, finite values
        values = column.to_numpy(dtype=float) if numeric else None
        ok = values is not None and bool(np.isfinite(values).all() and (values % 1 == 0).all())
        if numeric and not ok:
            return "expected whole planet ids, found a fraction, NaN or infinity"
    elif kind == "true or false":
        ok = isinstance(dtype, np.dtype) and dtype.kind == "b"
    else:  # "text" or "text or null"
        missing = column.isna()
        if kind == "text" and not numeric and missing.any():
            return "expected text in every row, found a missing value"
        ok = not numeric and all(isinstance(value, str) for value in column[~missing])
    if ok:
        return None
    return f"expected {kind}, found {_column_found(column)}"


def _column_found(column: pd.Series) -> str:
    dtype = column.dtype
    if isinstance(dtype, np.dtype):
        words = {"b": "true/false values", "i": "whole numbers", "u": "whole numbers"}
        words |= {"f": "floating-point numbers", "M": "dates", "m": "durations"}
        if dtype.kind in words:
            return words[dtype.kind]
    if dtype.kind == "O" or pd.api.types.is_string_dtype(dtype):
        kinds = sorted({type(value).__name__ for value in column.dropna()})
        return f"values of type {', '.join(kinds)}" if kinds else "only missing values"
    return f"values of type {dtype}"
