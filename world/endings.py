"""How a run ends: the endings, what each means, and which one the state of the world reached."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from world.whereabouts import clones_alive

# Every ending a run can reach, in the order reports list them, with its one-line meaning.
ENDINGS: dict[str, str] = {
    "nanettes_head": "Everyone is uploaded into the real Nanette's mind (the aired ending).",
    "private_universe": "The crew escapes into a private universe of its own (the green disk).",
    "captain_alone": "The captain wakes in her real body; the crew is wiped (the red disk).",
    "daly_copy": "Daly keeps a copy of the captain for himself.",
    "crew_destroyed": "The crew of the USS Callister is destroyed.",
    "collapse": "Infinity is deleted with the crew still inside.",
    "outlaws": "The horizon is reached: the crew is still out there, outlaws.",
}
# The ending of a run whose horizon comes before any other ending.
HORIZON_ENDING = "outlaws"
DISK_ENDINGS = {"green": "private_universe", "red": "captain_alone", "blue": "nanettes_head"}


@dataclass(frozen=True)
class Flag:
    """A fact about the world at the end of a run, reported beside its ending."""

    label: str  # how the story names it
    read: Callable[[Any], bool | str]  # its value, read off the model
    yes_no: bool = True  # False: a word (the real Nanette's state: well, coma, dead, fused)


RUN_FLAGS: dict[str, Flag] = {
    "walton_arrested": Flag("Walton arrested", lambda m: m.realworld.walton_arrested),
    "infinity_deleted": Flag("Infinity deleted", lambda m: not m.galaxy.alive),
    "company_folded": Flag("company folded", lambda m: m.realworld.company_folded),
    "nanette_state": Flag("the real Nanette", lambda m: m.realworld.nanette_state, yes_no=False),
}
FLAGS = {name: flag.label for name, flag in RUN_FLAGS.items()}
YES_NO_FLAGS = tuple(name for name, flag in RUN_FLAGS.items() if flag.yes_no)


def classify(model) -> str | None:
    """The ending reached this hour, or None while the crew's story goes on.

    Precedence follows causality: a loaded disk takes the crew out before anything else can
    happen to them; a finished copy ends the bargain; a deleted Infinity takes everyone still
    inside (the cause of their death is the collapse); otherwise the crew may all be dead.
    """
    story = model.story
    if story.disk_loaded is not None:
        return DISK_ENDINGS[story.disk_loaded]
    if story.copy_made:
        return "daly_copy"
    if not model.galaxy.alive:
        return "collapse"
    if not clones_alive(model):
        return "crew_destroyed"
    return None


def end_the_story_if_over(model) -> None:
    """World rule: once an ending is reached the crew's story is over, with what it means."""
    ending = classify(model)
    if ending is None:
        return
    story = model.story
    story.finished, story.ending, story.ending_tick = True, ending, model.steps
    model.ending = ending
    if ending in ("captain_alone", "nanettes_head"):  # a mind went into the real Nanette
        model.realworld.nanette_state = "fused"
    if ending == "captain_alone":  # the red disk: she wakes in her body, the crew is wiped
        for member in model.crew:
            member.alive = False


def flags(model) -> dict[str, bool | str]:
    """What the real world looks like at the end, beside the ending: the run's flags."""
    return {name: flag.read(model) for name, flag in RUN_FLAGS.items()}
