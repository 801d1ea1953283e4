"""How each character feels about each other one: trust and grievance, moved by what happens.

Feelings are per ordered pair (who feels, about whom), start from the configured values and
change only through `feel`, with a cause from `CAUSES`; every change is kept with its tick, so
the record can say why a character trusts or resents another.
"""

from __future__ import annotations

from dataclasses import dataclass

from world.cast.vocabulary import FEELING_CAUSES as CAUSES


@dataclass(frozen=True, slots=True)
class FeelingChanged:
    """One change of one pair's feelings, and why."""

    tick: int
    who: str
    whom: str
    cause: str
    trust: float  # trust after the change
    grievance: float  # grievance after the change


class Relationships:
    """Trust and grievance for every ordered pair of characters (by name), in [0, 1]."""

    def __init__(self, rules) -> None:
        self.rules = rules
        self._trust: dict[tuple[str, str], float] = {}
        self._grievance: dict[tuple[str, str], float] = {}
        self.changes: list[FeelingChanged] = []

    def trust(self, who: str, whom: str) -> float:
        return self._trust.get((who, whom), self.rules.trust_start)

    def grievance(self, who: str, whom: str) -> float:
        return self._grievance.get((who, whom), self.rules.grievance_start)

    def feel(self, who: str, whom: str, cause: str, tick: int, strength: float = 1.0) -> None:
        """`who` feels the configured change for `cause` about `whom`, scaled by `strength`."""
        if cause not in CAUSES:
            raise ValueError(f"unknown cause {cause!r} (known: {', '.join(CAUSES)})")
        change = getattr(self.rules.changes, cause)
        self.adjust(who, whom, cause, tick, change.trust * strength, change.grievance * strength)

    def adjust(
        self, who: str, whom: str, cause: str, tick: int, trust: float, grievance: float
    ) -> None:
        """Move `who`'s feelings about `whom` by the given amounts (clamped to 0..1)."""
        pair = (who, whom)
        old_trust = self._trust.get(pair, self.rules.trust_start)  # read once, not per use
        old_grievance = self._grievance.get(pair, self.rules.grievance_start)
        new_trust = min(1.0, max(0.0, old_trust + trust))
        new_grievance = min(1.0, max(0.0, old_grievance + grievance))
        if new_trust == old_trust and new_grievance == old_grievance:
            return
        self._trust[pair], self._grievance[pair] = new_trust, new_grievance
        self.changes.append(FeelingChanged(tick, who, whom, cause, new_trust, new_grievance))
