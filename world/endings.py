"""How a run ends: exactly one ending, read off the state of the world."""

from __future__ import annotations

from world.whereabouts import clones_alive

DISK_ENDINGS = {"green": "private_universe", "red": "captain_alone", "blue": "nanettes_head"}


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


def flags(model) -> dict[str, bool | str]:
    real = model.realworld
    return {
        "walton_arrested": real.walton_arrested,
        "infinity_deleted": not model.galaxy.alive,
        "company_folded": real.company_folded,
        "nanette_state": real.nanette_state,
    }
