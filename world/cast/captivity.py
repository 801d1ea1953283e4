"""Raiders taken by the players they rob, held where they were taken, and freed by crewmates.

A captive is off the ship (`aboard` False, `captured_at` the planet) and is hurt while held.
Only a crewmate who chooses `rescue` where the ship and the captive are can free them; a
captain who warps away leaves them behind, and they remember it when they are back aboard.
"""

from __future__ import annotations

from world.cast.casualties import wound


def captives(model, planet: int | None = None) -> list:
    """Living crew members held by players (on `planet`, if given)."""
    return [
        m
        for m in model.crew
        if m.alive and m.captured_at is not None and (planet is None or m.captured_at == planet)
    ]


def maybe_capture(model, crew_raiders: list, victim, planet_name: str) -> None:
    """World rule: the robbed player may overpower a crew raider (raised by their grudge)."""
    chance = model.config.world.capture_chance * victim.grudge
    for member in crew_raiders:
        if not member.alive or not member.aboard or member not in model.crew:
            continue  # killed in the raid, or promoted to captain by a death in it
        if model.rng.random() < chance / max(member.traits["boldness"], 1e-6):
            member.aboard = False
            member.captured_at = model.ship.planet
            member.left_behind_by = None
            model.events.add(
                model.steps,
                "raider_captured",
                (member.display_name, victim.tag),
                f"{victim.tag} overpowers {member.display_name} during the raid on "
                f"{planet_name} and holds them prisoner there.",
            )


def hold_captives(model) -> None:
    """World rule: every hour held hurts a captive."""
    harm = model.config.world.captive_harm
    for member in captives(model):
        planet = model.galaxy.name(member.captured_at)
        wound(model, member, harm, cause=f"captivity on {planet}")


def left_behind(model, planet: int) -> None:
    """The ship has left `planet`: anyone held there was left behind by the captain's order."""
    captain = model.captain
    for member in captives(model, planet):
        if member.left_behind_by is None:
            member.left_behind_by = captain.name
            model.events.add(
                model.steps,
                "raider_left_behind",
                (captain.display_name, member.display_name),
                f"{captain.display_name} orders the ship away from "
                f"{model.galaxy.name(planet)} with {member.display_name} still held there.",
            )


def rescue(model, rescuers: list) -> None:
    """Crewmates who chose to rescue free whoever is held where the ship is."""
    rescuers = [m for m in rescuers if m.alive and m.aboard]
    if not rescuers or model.ship.destroyed:
        return
    feelings, tick = model.relationships, model.steps
    for captive in captives(model, model.ship.planet):
        rescuer = rescuers[int(model.rng.integers(len(rescuers)))]
        captive.aboard, captive.captured_at = True, None
        feelings.feel(captive.name, rescuer.name, "rescued_me", tick)
        abandoned_by = captive.left_behind_by
        if abandoned_by is not None:  # back aboard, they know who ordered the ship away
            feelings.feel(captive.name, abandoned_by, "betrayed_me", tick)
            captive.left_behind_by = None
        model.events.add(
            tick,
            "raider_rescued",
            (rescuer.display_name, captive.display_name),
            f"{rescuer.display_name} breaks {captive.display_name} free of the players "
            f"on {model.galaxy.name(model.ship.planet)}"
            + (", and the captain who left them there is not forgiven." if abandoned_by else "."),
        )
