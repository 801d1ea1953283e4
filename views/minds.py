"""What a character believed and felt at a given hour, read the same way from Live and Replay.

`Minds` holds the two tables a run record keeps (`world.record_minds`): every belief in each
character's learning order, and every change of trust and grievance. From a live model it
builds them with the very functions the record is written with, so both pages show the same
thing. A table the record does not hold is None, and the pages say "not recorded".
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from world.cast import CHARACTER_CLASSES
from world.cast.vocabulary import FEELING_CAUSES
from world.clock import stamp
from world.knowledge import FACTS, WAYS
from world.record_minds import (
    belief_rows,
    beliefs_frame,
    feeling_rows,
    feelings_frame,
    shown_value,
)
from world.relationships import Relationships

NOT_LEARNED = "not learned yet"
NOT_RECORDED = "not recorded (this record was written before beliefs and feelings were kept)"


@dataclass
class Minds:
    """Beliefs and feelings of one run, and the rules the feelings started from."""

    beliefs: pd.DataFrame | None  # character, order, fact, value, tick, how, source
    feelings: pd.DataFrame | None  # tick, who, whom, cause, trust, grievance
    rules: object  # the scenario's [relationships]: where feelings start

    @classmethod
    def from_model(cls, model) -> Minds:
        return cls(
            beliefs_frame(belief_rows(model)),
            feelings_frame(feeling_rows(model)),
            model.config.relationships,
        )

    @classmethod
    def from_record(cls, record) -> Minds:
        return cls(record.beliefs, record.feelings, record.config.relationships)

    # ---- beliefs ---------------------------------------------------------------------------
    def _beliefs_of(self, character: str) -> pd.DataFrame:
        frame = self.beliefs
        return frame[frame["character"] == character]

    def belief_behind(
        self, character: str, fact: str, tick: int, held: float | None = None
    ) -> dict | None:
        """The belief about `fact` the character acted on when it decided at `tick`, or None.

        `held` is how many beliefs it had learned when it decided (the decision records it);
        without it (older records), beliefs learned before that hour count.
        """
        rows = self._beliefs_of(character)
        if held is not None and not (isinstance(held, float) and math.isnan(held)):
            rows = rows[rows["order"] < int(held)]
        else:
            rows = rows[rows["tick"] < tick]
        rows = rows[rows["fact"] == fact]
        return None if rows.empty else rows.iloc[-1].to_dict()

    def beliefs_table(self, character: str, tick: int | None = None) -> pd.DataFrame:
        """The character's belief about each fact by the end of hour `tick` (None: the latest)."""
        rows = self._beliefs_of(character)
        if tick is not None:
            rows = rows[rows["tick"] <= tick]
        times = rows.groupby("fact", sort=False).size()
        latest = rows.drop_duplicates("fact", keep="last")
        shown = [
            {
                "fact": row["fact"],
                "meaning": FACTS.get(row["fact"], ""),
                **belief_cells(row),
                "times learned": int(times[row["fact"]]),
            }
            for row in latest.to_dict("records")
        ]
        return pd.DataFrame(shown, columns=BELIEF_TABLE_COLUMNS)

    # ---- feelings --------------------------------------------------------------------------
    def feelings_table(
        self, character: str, others: list[str], labels: dict[str, str], tick: int | None = None
    ) -> pd.DataFrame:
        """How `character` feels about each of `others` by the end of hour `tick` (None: now)."""
        start = Relationships(self.rules)  # no changes: where every pair starts
        changes = self.feelings[self.feelings["who"] == character]
        if tick is not None:
            changes = changes[changes["tick"] <= tick]
        last = {row["whom"]: row for row in changes.to_dict("records")}
        counts = changes.groupby("whom", sort=False).size()
        rows = []
        for whom in others:
            change = last.get(whom)
            rows.append(
                {
                    "about": labels.get(whom, whom),
                    "trust": change["trust"] if change else start.trust(character, whom),
                    "grievance": (
                        change["grievance"] if change else start.grievance(character, whom)
                    ),
                    "last change": cause_text(change["cause"]) if change else "— (as it started)",
                    "when": f"{stamp(change['tick'])} (tick {change['tick']})" if change else "",
                    "changes": int(counts.get(whom, 0)),
                }
            )
        return pd.DataFrame(rows, columns=FEELING_TABLE_COLUMNS)


BELIEF_TABLE_COLUMNS = ["fact", "meaning", "value", "learned", "how", "source", "times learned"]
FEELING_TABLE_COLUMNS = ["about", "trust", "grievance", "last change", "when", "changes"]


def belief_cells(row: dict) -> dict:
    """A belief's value, when it was learned, how (WAYS meaning) and from whom or what."""
    source = row.get("source")
    return {
        "value": shown_value(row["value"]),
        "learned": f"{stamp(int(row['tick']))} (tick {int(row['tick'])})",
        "how": f"{row['how']}: {WAYS[row['how']]}" if row["how"] in WAYS else str(row["how"]),
        "source": "—" if source is None or pd.isna(source) else str(source),
    }


def cause_text(cause: str) -> str:
    """A feeling's cause with its meaning, e.g. `rescued_me (whom saved who ...)`."""
    meaning = FEELING_CAUSES.get(cause)
    return f"{cause} ({meaning[0]})" if meaning else cause


def belief_inputs_of(role: str) -> dict[str, str]:
    """Input -> fact for the inputs a role's character reads from its beliefs ({} for crowds)."""
    character_class = CHARACTER_CLASSES.get(role)
    return dict(character_class.belief_inputs) if character_class is not None else {}


def beliefs_behind_decision(minds: Minds | None, decision: dict) -> pd.DataFrame | None:
    """One row per belief input of the decision's role: the belief it read then, or none yet.

    None when the role reads no beliefs; a table of "not recorded" when the run kept none.
    """
    inputs = belief_inputs_of(str(decision["role"]))
    if not inputs:
        return None
    rows = []
    for name, fact in inputs.items():
        row = {"input": name, "fact": fact, "meaning": FACTS.get(fact, "")}
        if minds is None or minds.beliefs is None:
            row |= {"value": NOT_RECORDED, "learned": "", "how": "", "source": ""}
        else:
            who, tick = str(decision["character"]), int(decision["tick"])
            belief = minds.belief_behind(who, fact, tick, decision.get("beliefs_held"))
            empty = {"value": NOT_LEARNED, "learned": "", "how": "", "source": ""}
            row |= belief_cells(belief) if belief else empty
        rows.append(row)
    return pd.DataFrame(rows)
