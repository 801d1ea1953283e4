"""What the live page reads off a running model, as the plain data the panels draw.

Reading only: metrics come from the model's own collector (or its reporters before the
first tick), events from its log, the cast from its agents.
"""

from __future__ import annotations

import pandas as pd

from world.clock import HOURS_PER_DAY
from world.endings import flags as ending_flags
from world.metrics import METRICS


def metrics_table(model) -> pd.DataFrame:
    """Every collected tick, indexed by tick (1, 2, ...), as in `collect_result`."""
    table = model.datacollector.get_model_vars_dataframe()
    table.index = pd.RangeIndex(1, len(table) + 1, name="tick")
    return table


def latest_and_day_before(model, table: pd.DataFrame) -> tuple[dict, dict | None]:
    """The metrics now and a day earlier (None during the first day)."""
    if table.empty:  # tick 0: nothing collected yet, read the reporters themselves
        return {name: float(report(model)) for name, report in METRICS.items()}, None
    latest = table.iloc[-1].to_dict()
    before = table.iloc[-1 - HOURS_PER_DAY].to_dict() if len(table) > HOURS_PER_DAY else None
    return latest, before


def event_tuples(model) -> list[tuple[int, str, str]]:
    return [(e.tick, e.kind, e.text) for e in model.events.events]


def ending_of(model) -> tuple[str | None, int | None, dict]:
    """(ending, its tick, flags); the ending is None while the crew's story goes on."""
    story = model.story
    ending = story.ending if story.finished else (model.ending if not model.running else None)
    return ending, story.ending_tick, ending_flags(model)


def cast_rows(model) -> list[dict]:
    return [
        {
            "character": person.display_name,
            "role": person.role,
            "alive": bool(person.alive),
            "health": float(person.health) if person.alive else None,  # no bar for the dead
            "doing": (person.intent or "—") if person.alive else "—",
        }
        for person in model.cast
    ]


def cast_names(model) -> dict[str, str]:
    """Character key -> display name, for the characters that decide (the named cast)."""
    return {person.name: f"{person.display_name} ({person.role})" for person in model.cast}
