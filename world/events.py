"""The story as data: every event has a tick, a kind, its actors and a one-line narrative."""

from __future__ import annotations

from dataclasses import asdict, dataclass

# Ids other tools rely on (DESIGN §2) first, then the extra beats this world also records.
EVENT_KINDS: tuple[str, ...] = (
    "robbery",
    "price_hike",
    "crew_death",
    "complaint",
    "journalist_interview",
    "clones_discovered",
    "walt_found",
    "real_visit",
    "walton_attack",
    "nanette_coma",
    "heart_entered",
    "daly_offer",
    "copy_attempt",
    "invite_party",
    "daly_killed",
    "disk_loaded",
    "infinity_collapse",
    "walton_arrested",
    # extra beats
    "raid_wounded",
    "ship_battle",
    "planet_built",
    "quarters_found",
    "walt_joined",
    "kabir_quit",
    "story_published",
    "confided",
    "nanette_quit",
    "disk_accepted",
    "copy_refused",
    "daly_fight",
    "walton_logged_out",
    "captain_promoted",
    "company_folded",
    "nanette_died",
    "crew_defied",
    "rocky_found",
    "disk_search",
)

ENDINGS: tuple[str, ...] = (
    "nanettes_head",
    "private_universe",
    "captain_alone",
    "daly_copy",
    "crew_destroyed",
    "collapse",
    "outlaws",
)


@dataclass(frozen=True, slots=True)
class Event:
    tick: int
    kind: str
    actors: tuple[str, ...]
    text: str

    def to_dict(self) -> dict:
        record = asdict(self)
        record["actors"] = list(self.actors)
        return record


class EventLog:
    """Append-only story of a run, with a count per kind."""

    def __init__(self) -> None:
        self.events: list[Event] = []
        self.counts: dict[str, int] = dict.fromkeys(EVENT_KINDS, 0)

    def add(self, tick: int, kind: str, actors: tuple[str, ...] | list[str], text: str) -> Event:
        if kind not in self.counts:
            raise ValueError(f"unknown event kind {kind!r}")
        event = Event(tick, kind, tuple(actors), text)
        self.events.append(event)
        self.counts[kind] += 1
        return event

    def happened(self, kind: str) -> bool:
        return self.counts[kind] > 0

    def first_tick(self, kind: str) -> int | None:
        return next((event.tick for event in self.events if event.kind == kind), None)
