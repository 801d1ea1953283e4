"""The story as data: every event has a tick, a kind, its actors and a one-line narrative.

Also how the story is told: which kinds are routine (folded into a count per day by the CLI,
shown plain by the dashboard) and the day/hour stamp every front door prints.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

# Ids are stable (run records and batch results are keyed by them): the story's main beats
# first, then the extra beats this world also records.
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
    "kabir_warns",
    "kabir_heard",
    "kabir_brushed_off",
    "logs_granted",
    "walton_struck_walt",
    "walton_threatened",
    "help_offered",
    "talked_to_crew",
    "told_of_attack",
    "nanette_leaked",
    "walton_pulled_out",
    "fbi_tipped",
    "player_gave_up",
    "battle_wound",
    "order_refused",  # one crew member refuses the captain's risky order
    "raider_captured",  # a robbed player overpowers a crew raider and holds them
    "raider_left_behind",  # the captain orders the ship away from a held crewmate
    "raider_rescued",  # a crewmate frees a captured raider
    "hospital_called",  # the captain phones the real world's hospital about the real Nanette
)
# Everyday beats, with how to count them ("1 robbery", "3 robberies"); the rest of the story
# is told in full.
ROUTINE: dict[str, tuple[str, str]] = {
    "robbery": ("robbery", "robberies"),
    "kabir_warns": ("warning from real Kabir", "warnings from real Kabir"),
    "kabir_heard": ("hearing Walton gave Kabir", "hearings Walton gave Kabir"),
    "hospital_called": ("call to the hospital", "calls to the hospital"),
    "price_hike": ("price hike", "price hikes"),
    "ship_battle": ("battle", "battles"),
    "raid_wounded": ("raider wounded", "raiders wounded"),
    "complaint": ("complaint filed", "complaints filed"),
    "planet_built": ("planet built by Daly", "planets built by Daly"),
    "crew_defied": ("act of defiance", "acts of defiance"),
    "disk_search": ("hour searching for the disk", "hours searching for the disk"),
    "copy_refused": ("refusal", "refusals"),
    "daly_fight": ("blow exchanged with Daly", "blows exchanged with Daly"),
    "talked_to_crew": ("talk with the crew", "talks with the crew"),
    "player_gave_up": ("robbed player's give-up", "robbed players' give-ups"),
    "battle_wound": ("wound in battle", "wounds in battle"),
}


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


# Causal order of the story: (effect, cause) — the effect's first event never comes before
# the cause's first. Checked by tests/test_world_story.py and over many runs by the census.
CAUSAL_ORDER: tuple[tuple[str, str], ...] = (
    ("heart_entered", "walt_found"),
    ("daly_offer", "heart_entered"),
    ("infinity_collapse", "daly_killed"),
    ("real_visit", "clones_discovered"),
    ("walt_joined", "walt_found"),
    ("copy_attempt", "daly_offer"),
    ("disk_accepted", "daly_offer"),
    ("disk_loaded", "disk_accepted"),
    ("confided", "clones_discovered"),
    ("told_of_attack", "walton_attack"),
    ("walton_pulled_out", "walton_attack"),
    ("logs_granted", "help_offered"),
    ("kabir_heard", "kabir_warns"),
    ("kabir_brushed_off", "kabir_warns"),
    ("walton_struck_walt", "walt_joined"),
    ("raider_rescued", "raider_captured"),
    ("walton_threatened", "clones_discovered"),
    ("nanette_leaked", "clones_discovered"),
    ("invite_party", "robbery"),
)
