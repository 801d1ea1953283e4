"""Moving the ship along warp lanes: a hop costs fuel by distance, and ends any battle."""

from __future__ import annotations

from world.ship import hop_fuel


def warp_to(model, target: int) -> bool:
    """Warp one lane to a neighbouring `target` if the fuel allows; True if the ship moved."""
    ship = model.ship
    if target == ship.planet:
        return False
    fuel = hop_fuel(model.galaxy.lane_distance(ship.planet, target), model.config.economy)
    if fuel > ship.fuel:
        return False
    ship.fuel -= fuel
    ship.planet = target
    model.in_battle = False
    return True


def head_for(model, destination: int) -> bool:
    """One hop along the shortest route towards `destination`; True if the ship moved."""
    return warp_to(model, model.galaxy.step_toward(model.ship.planet, destination))
