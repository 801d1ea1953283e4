"""Who and what is where: questions about the world's state that several roles and rules ask."""

from __future__ import annotations

from world.ship import hop_fuel


def crew_aboard(model) -> list:
    """The living crew aboard the ship (the captain is not counted)."""
    return [m for m in model.crew if m.alive and m.aboard and not model.ship.destroyed]


def clones_alive(model) -> bool:
    """Is anyone of the crew still in the story: aboard the ship, or in the Heart?"""
    if model.captain.alive and model.heart.captain_inside:
        return True
    return not model.ship.destroyed and (model.captain.alive or bool(crew_aboard(model)))


def clones_in_story(model) -> int:
    """The captain (if alive) and the crew aboard: who the story is about right now."""
    return int(model.captain.alive) + len(crew_aboard(model))


def heart_access(model) -> bool:
    """Walton-level access: Walt alive, aboard and conscious, or Walt in command himself."""
    walt = model.walt
    if model.walt_in_command:
        return True
    conscious = model.steps >= model.story.walt_out_cold_until  # struck down by Walton?
    return walt is not None and walt.alive and walt.aboard and conscious


def ship_in_space(model) -> bool:
    """The ship is out there to be found (not destroyed, not deleted, story not over)."""
    return not model.ship.destroyed and model.galaxy.alive and not model.story.finished


def ship_is_at(model, planet: int) -> bool:
    return ship_in_space(model) and model.ship.planet == planet


def can_afford(model, source: int, target: int) -> bool:
    """Whether the ship's fuel covers the lane from `source` to `target`."""
    distance = model.galaxy.lane_distance(source, target)
    return hop_fuel(distance, model.config.economy) <= model.ship.fuel


def can_afford_hop(model) -> bool:
    here = model.ship.planet
    return any(can_afford(model, here, n) for n in model.galaxy.neighbours(here))


def threat_near(model, planet: int) -> float:
    """Hostile players on `planet` or one hop away; at the ship, the party and Walton too.

    Walton's avatar is a threat only while he is attacking: a visitor who is not shooting is
    no reason to man the guns.
    """
    hostile = model.threat
    near = 0
    if hostile:  # most hours nobody hunts the ship
        # whole numbers of players: every order of adding them up gives the same total
        neighbours = model.galaxy.neighbours(planet)
        near = hostile.get(planet, 0) + sum(hostile.get(n, 0) for n in neighbours)
    if planet == model.ship.planet:
        walton = model.walton
        attacking = walton.in_game and walton.intent == "attack_crew"
        near += model.party_guests + (model.config.combat.walton_threat if attacking else 0.0)
    return float(near)
