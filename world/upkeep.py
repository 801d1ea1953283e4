"""The cost of existing: credits drain every hour; with none left, the clones starve."""

from __future__ import annotations

from world.cast.casualties import wound


def pay_upkeep(model, aboard: list) -> None:
    """Charge the hour's upkeep at today's prices; if credits run out, everyone aboard suffers."""
    ship, economy = model.ship, model.config.economy
    if ship.destroyed:
        return
    ship.credits -= economy.upkeep_per_hour * model.price_index
    if ship.credits < 0:
        ship.credits = 0.0
        for person in [*aboard, model.captain]:
            if person.alive:
                wound(model, person, economy.starvation_damage, cause="want")
