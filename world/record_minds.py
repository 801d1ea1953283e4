"""What the characters knew and felt, as a run record keeps it: beliefs and feelings with causes.

`beliefs.parquet` holds every belief every character learned, in learning order (`order`
counts a character's beliefs from 0, so "the first n beliefs" is what it held after learning
n), with the value as JSON text, the tick, how it was learned and from whom or what.
`feelings.parquet` holds every change of a pair's trust and grievance, with its cause. Records
written before these files existed have neither: `read_minds` gives None for a missing file,
and the pages say "not recorded". Read-only towards the model.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd

from world.record_check import BELIEFS_SCHEMA, FEELINGS_SCHEMA, read_frame

BELIEFS_FILE = "beliefs.parquet"
FEELINGS_FILE = "feelings.parquet"
BELIEF_COLUMNS = tuple(BELIEFS_SCHEMA.columns)
FEELING_COLUMNS = tuple(FEELINGS_SCHEMA.columns)


def value_text(value: bool | float | str) -> str:
    """A belief's value as JSON text: `true`, `0.4`, `"Walton"` (its type survives the record)."""
    return json.dumps(value)


def shown_value(text: str) -> str:
    """A recorded value as a person reads it: true/false, a number, or the text itself."""
    try:
        value = json.loads(text)
    except (TypeError, ValueError):  # a record edited by hand: show what is there
        return str(text)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def minded(model) -> list:
    """Every character whose mind the record keeps: the cast, then captains who fell."""
    people, seen = [], set()
    for person in [*model.cast, *model.fallen]:
        if id(person) not in seen:
            seen.add(id(person))
            people.append(person)
    return people


def belief_rows(model) -> list[dict]:
    """Every belief of every character, each character's in the order it learned them."""
    return [
        {
            "character": person.name,
            "order": order,
            "fact": belief.fact,
            "value": value_text(belief.value),
            "tick": int(belief.tick),
            "how": belief.how,
            "source": belief.source,
        }
        for person in minded(model)
        for order, belief in enumerate(person.beliefs.learned)
    ]


def feeling_rows(model) -> list[dict]:
    """Every change of how one character feels about another, in the order they happened."""
    return [
        {
            "tick": int(change.tick),
            "who": change.who,
            "whom": change.whom,
            "cause": change.cause,
            "trust": float(change.trust),
            "grievance": float(change.grievance),
        }
        for change in model.relationships.changes
    ]


def beliefs_frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(BELIEF_COLUMNS))
    return frame.astype({"order": "int64", "tick": "int64"})


def feelings_frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(FEELING_COLUMNS))
    return frame.astype({"tick": "int64", "trust": "float64", "grievance": "float64"})


def write_minds(directory: str | Path, beliefs: list[dict], feelings: list[dict]) -> None:
    """Write `beliefs.parquet` and `feelings.parquet` into a record directory being filled."""
    beliefs_frame(beliefs).to_parquet(Path(directory) / BELIEFS_FILE, index=False)
    feelings_frame(feelings).to_parquet(Path(directory) / FEELINGS_FILE, index=False)


def read_minds(directory: str | Path) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    """(beliefs, feelings) of a record, each checked; None for a file the record does not hold.

    Beliefs come sorted by character and learning order, feelings by tick (stably).
    """
    path = Path(directory)
    beliefs = feelings = None
    if os.path.lexists(path / BELIEFS_FILE):
        beliefs = read_frame(path / BELIEFS_FILE, BELIEFS_SCHEMA)
        beliefs = beliefs.sort_values(["character", "order"], kind="stable", ignore_index=True)
    if os.path.lexists(path / FEELINGS_FILE):
        feelings = read_frame(path / FEELINGS_FILE, FEELINGS_SCHEMA)
        feelings = feelings.sort_values("tick", kind="stable", ignore_index=True)
    return beliefs, feelings
