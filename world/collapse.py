"""The kill switch: once Daly is dead, Infinity is deleted with everything still inside it."""

from __future__ import annotations


def collapse_if_due(model) -> None:
    """World rule: when the kill switch's delay has run out, the game and the crew in it go."""
    if model.collapse_at is None or model.steps < model.collapse_at or not model.galaxy.alive:
        return
    model.galaxy.alive = False
    if model.story.disk_loaded is None:  # nobody got out: the crew is deleted with the game
        for person in [model.captain, *model.crew]:
            person.alive = False
    model.walton.in_game = model.nanette.in_game = False
    model.events.add(
        model.steps,
        "infinity_collapse",
        ("Infinity",),
        "The kill switch completes: Infinity implodes and is deleted, with everything "
        "still inside it.",
    )
