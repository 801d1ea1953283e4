"""What a character believes: each fact's value, when it was learned, how and from whom.

Characters act on their beliefs, not on the world's state: a sensor for a fact hidden from a
character reads that character's belief. A belief is learned where the event that teaches it
happens (who was present, who was told), so every belief has a traceable source.
"""

from __future__ import annotations

from dataclasses import dataclass

# The facts characters may learn, and what each means.
FACTS: dict[str, str] = {
    "clones_are_real": "the bandits of Infinity are Daly's clones, alive in the game",
    "walton_attacked_crew": "Walton's avatar has shot at the clones aboard the USS Callister",
    "nanette_offered_help": "the real Nanette has offered Walton help with the bandit complaints",
    "kabir_warned": "real Kabir has come to Walton about the complaints and awaits an answer",
    "walt_aboard": "Walt, the copy of Walton with his access to the Heart, is aboard the ship",
    "crew_going_for_heart": "the ship, with Walt aboard, is heading for (or is at) the Heart",
    "walton_threatened": "Walton has threatened her: she was at Daly's apartment the night he died",
    "real_nanette_coma": "the real Nanette lies in a coma: her mind is vacant (red, blue disks)",
}
# The events that must have happened before a character can hold each fact as true: the
# causal order the tests and the census check (a fact held before all of them is a leak of
# the world's state into a mind).
TAUGHT_AFTER: dict[str, tuple[str, ...]] = {
    "clones_are_real": ("clones_discovered",),  # the logs, her telling, or the press after
    "walton_attacked_crew": ("walton_attack",),
    "nanette_offered_help": ("help_offered",),
    "kabir_warned": ("kabir_warns",),
    "walt_aboard": ("walt_joined",),
    "crew_going_for_heart": ("walt_joined",),
    "walton_threatened": ("walton_threatened",),
    "real_nanette_coma": ("nanette_coma",),
}
# How a belief can be learned.
WAYS: dict[str, str] = {
    "witnessed": "saw it happen",
    "told": "someone said so (the source names who)",
    "logs": "found it in the complaint logs and players' videos",
    "press": "read it in the press",
    "phone_call": "heard it on the phone",
}


@dataclass(frozen=True, slots=True)
class Belief:
    """One fact as a character holds it, with its provenance."""

    fact: str
    value: bool | float | str
    tick: int  # the hour it was learned
    how: str  # one of WAYS
    source: str | None = None  # who told them, or what they read


class Beliefs:
    """A character's beliefs: the latest of each fact, and every belief in the order learned."""

    def __init__(self) -> None:
        self._latest: dict[str, Belief] = {}
        self.learned: list[Belief] = []

    def learn(
        self, fact: str, value: bool | float | str, tick: int, how: str, source: str | None = None
    ) -> Belief:
        if fact not in FACTS:
            raise ValueError(f"unknown fact {fact!r} (known: {', '.join(FACTS)})")
        if type(value) not in (bool, int, float, str):  # the record keeps plain values only
            raise TypeError(f"belief {fact!r}: value {value!r} is not a bool, int, float or str")
        if how not in WAYS:
            raise ValueError(f"unknown way of learning {how!r} (known: {', '.join(WAYS)})")
        belief = Belief(fact, value, tick, how, source)
        self._latest[fact] = belief
        self.learned.append(belief)
        return belief

    def about(self, fact: str) -> Belief | None:
        """The latest belief about `fact`, or None if the character has never learned it."""
        return self._latest.get(fact)

    def holds(self, fact: str) -> bool:
        """Whether the character believes `fact` is true."""
        belief = self._latest.get(fact)
        return belief is not None and bool(belief.value)
