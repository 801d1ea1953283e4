"""A run as one timeline of happenings: its events and its characters' choices, in order.

Events name their actors by display name ("Captain Cole"); decisions by character id
("nanette"). The timeline speaks display names throughout, so a variable bound by an event
beat can be matched by a decision beat, and gives each actor the role it held at that hour
(a crew member promoted to captain is "captain" from the promotion on).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

PROMOTION = "captain_promoted"  # its one actor holds the captain's role from then on
EVENT, DECISION = "event", "decision"


@dataclass(frozen=True, slots=True)
class Happening:
    """One event or chosen action, at its place in the run's timeline."""

    position: int
    tick: int
    source: str  # EVENT or DECISION
    kind: str  # the event kind, or the chosen action
    actors: tuple[str, ...]  # display names; a decision has one, the character who chose
    roles: tuple[str | None, ...]  # each actor's role at that hour; None: not of the cast
    text: str

    def to_dict(self) -> dict:
        return {
            "tick": self.tick,
            "source": self.source,
            "kind": self.kind,
            "actors": list(self.actors),
            "text": self.text,
        }


def cast_entry(name: str, display_name: str | None, role: str) -> tuple[str, str]:
    """A character's (display name, role) as the timeline names it."""
    return display_name or name.replace("_", " ").title(), role


def build_timeline(
    events: Iterable[tuple[int, str, Sequence[str], str]],
    decisions: Iterable[tuple[int, str, str, str]],
    cast: Mapping[str, tuple[str, str]],
) -> list[Happening]:
    """Merge events `(tick, kind, actors, text)` and decisions `(tick, character, role, action)`.

    `cast` maps character id -> (display name, role). Within one hour the hour's choices
    come before its events (a choice takes effect after everyone has chosen); within each
    source the record's order is kept.
    """
    display = {name: shown for name, (shown, _) in cast.items()}
    role_of = {shown: role for shown, role in cast.values()}
    tagged = [
        (int(tick), 1, n, ("e", kind, tuple(actors), text))
        for n, (tick, kind, actors, text) in enumerate(events)
    ]
    tagged += [
        (int(tick), 0, n, ("d", action, character, role))
        for n, (tick, character, role, action) in enumerate(decisions)
    ]
    tagged.sort(key=lambda item: item[:3])
    timeline = []
    for position, (tick, _, _, body) in enumerate(tagged):
        if body[0] == "d":
            _, action, character, role = body
            shown = display.get(character, character)
            text = f"{shown} chooses to {action.replace('_', ' ')}."
            timeline.append(Happening(position, tick, DECISION, action, (shown,), (role,), text))
            continue
        _, kind, actors, text = body
        if kind == PROMOTION and actors:
            role_of[actors[0]] = "captain"
        roles = tuple(role_of.get(actor) for actor in actors)
        timeline.append(Happening(position, tick, EVENT, kind, actors, roles, text))
    return timeline


def record_timeline(record) -> list[Happening]:
    """The timeline of a run record (`world.record.RunRecord`)."""
    cast = {
        name: cast_entry(name, c.display_name, c.role)
        for name, c in record.config.characters.items()
    }
    events = record.events
    decisions = record.decisions
    return build_timeline(
        zip(events["tick"], events["kind"], events["actors"], events["text"], strict=True),
        zip(
            decisions["tick"],
            decisions["character"],
            decisions["role"],
            decisions["action"],
            strict=True,
        ),
        cast,
    )
