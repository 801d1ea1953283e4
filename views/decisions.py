"""Decisions as the inspector reads them, from a live model or from a run record.

`DecisionLog` indexes the decision records (`{tick, character, role, action, score, trace}`)
by character and tick; `trace` is the brain's own `DecisionTrace.to_dict()`, so every number
shown is the number the brain used. `curves_for` gives the curves the brain scored with: the
role's considerations with the character's traits bound (`agents.compiled.compile_role`).
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from typing import Any

import pandas as pd

from agents.compiled import CompiledAction, compile_role
from configuration.errors import UserError
from configuration.input_files import parse_json
from configuration.scenario import ScenarioConfig
from world.cast import CATALOGS as ROLES
from world.record_shapes import TRACE_SHAPE, check_shape


class DecisionLog:
    """Decision records, looked up by character and tick."""

    def __init__(self, records, trace_of, beliefs_held: list[int] | None = None) -> None:
        self._records = records
        # per record (live runs): how many beliefs its character held as it decided
        self._held = beliefs_held
        self._is_frame = isinstance(records, pd.DataFrame)
        self._trace_of = trace_of  # row -> trace dict or None (records parse JSON lazily)
        by_character: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for row, (tick, character) in enumerate(self._keys()):
            by_character[character].append((int(tick), row))
        # in tick order (a record's rows are, but nothing forces it): lookups bisect by tick
        self._index = {name: sorted(rows) for name, rows in by_character.items()}

    def _keys(self):
        if self._is_frame:
            return zip(self._records["tick"], self._records["character"], strict=True)
        return ((d["tick"], d["character"]) for d in self._records)

    @classmethod
    def from_model(cls, model) -> DecisionLog:
        return cls(model.decisions, lambda d: d.get("trace"), model.beliefs_held)

    @classmethod
    def from_record(cls, decisions: pd.DataFrame, source: str = "decisions.parquet") -> DecisionLog:
        """Decisions of a run record; each trace is parsed and checked when first asked for.

        Parsing every trace on open would cost seconds for a long full-trace run, so a bad
        one is found when read: a `UserError` naming `source`, the row and what is wrong.
        """

        def trace_of(row: pd.Series) -> dict | None:
            text = row.get("trace")
            if not isinstance(text, str) or not text:
                return None
            where = f"{source}: row {row.name} ({row['character']} at tick {row['tick']}): trace"
            trace = parse_json(text, where)
            try:
                check_shape(trace, TRACE_SHAPE)
            except ValueError as error:
                raise UserError(f"{where}: {error}.") from None
            return trace

        return cls(decisions.reset_index(drop=True), trace_of)

    def characters(self) -> list[str]:
        """Characters that decided at least once, in order of their first decision."""
        return list(self._index)

    def ticks(self, character: str) -> list[int]:
        return [tick for tick, _ in self._index.get(character, [])]

    def at_or_before(self, character: str, tick: int | None) -> int | None:
        """The tick of the character's last decision at or before `tick` (None: the latest)."""
        ticks = self.ticks(character)
        if not ticks:
            return None
        if tick is None:
            return ticks[-1]
        position = bisect_right(ticks, tick)
        return ticks[position - 1] if position else ticks[0]

    def decision(self, character: str, tick: int) -> dict[str, Any] | None:
        """The record (with its parsed trace) of `character` deciding at `tick`."""
        for decided, row in self._index.get(character, []):
            if decided == tick:
                if self._is_frame:
                    record = self._records.iloc[row]
                    found = {k: record[k] for k in ("tick", "character", "role", "action", "score")}
                    found["beliefs_held"] = record.get("beliefs_held")  # None in older records
                    found["trace"] = self._trace_of(record)
                    return found
                found = {**self._records[row], "trace": self._trace_of(self._records[row])}
                held = self._held  # misaligned (someone recorded decisions without it): unknown
                aligned = held is not None and len(held) == len(self._records)
                found["beliefs_held"] = held[row] if aligned else None
                return found
        return None

    def latest_per_character(self, tick: int) -> list[dict[str, Any]]:
        """Each character's last decision at or before `tick` (what they are doing then).

        Only the decisions' columns: no trace is parsed, so scrubbing stays cheap.
        """
        rows = []
        for character in self.characters():
            decided = self.at_or_before(character, tick)
            if decided is None or decided > tick:
                continue
            row = next(row for at, row in self._index[character] if at == decided)
            record = self._records.iloc[row] if self._is_frame else self._records[row]
            rows.append({k: record[k] for k in ("character", "role", "action", "score", "tick")})
        return rows


def traits_for(config: ScenarioConfig, role: str, character: str) -> dict[str, float]:
    """The traits the character's brain was compiled with.

    A promoted captain keeps the original captain's brain under the heir's name, so when the
    named character does not hold `role`, the traits are those of who held it in the config.
    """
    spec = config.characters.get(character)
    if spec is None or spec.role != role:
        spec = next((c for c in config.characters.values() if c.role == role), None)
    return spec.traits() if spec is not None else {}


def curves_for(config: ScenarioConfig, role: str, character: str) -> dict[str, CompiledAction]:
    """Action id -> the compiled action (bound curves, bookends) the brain scored with."""
    if role not in ROLES:
        return {}
    spec = getattr(config.agents, role)
    compiled = compile_role(ROLES[role], spec, traits_for(config, role, character))
    return {action.id: action for action in compiled.actions}


def candidate_rows(trace: dict[str, Any]) -> pd.DataFrame:
    """One row per candidate: the numbers of `score = weight x product x momentum`."""
    rows = [
        {
            "": "★" if c["action"] == trace["winner"] else "",
            "action": c["action"],
            "available": c["available"],
            "considerations": len(c["considerations"]),
            "product": c["product"],
            "weight": c["weight"],
            "momentum": c["momentum"],
            "score": c["score"],
            "probability": c["probability"],
        }
        for c in trace["candidates"]
    ]
    table = pd.DataFrame(rows)
    return table.sort_values(["score", "available"], ascending=False, kind="stable")


def consideration_rows(trace: dict[str, Any], action: str | None = None) -> pd.DataFrame:
    """Every consideration (of one action, or of all): raw -> x -> curve -> compensated."""
    rows = []
    for candidate in trace["candidates"]:
        if action is not None and candidate["action"] != action:
            continue
        role_inputs = ROLES.get(trace["role"])
        for c in candidate["considerations"]:
            rows.append(
                {
                    "action": candidate["action"],
                    "input": c["input"],
                    "meaning": role_inputs.inputs.get(c["input"], "") if role_inputs else "",
                    "raw": c["raw"],
                    "x (normalised)": c["x"],
                    "curve": c["curve"],
                    "compensated": c["compensated"],
                }
            )
    columns = ["action", "input", "meaning", "raw", "x (normalised)", "curve", "compensated"]
    return pd.DataFrame(rows, columns=columns)
