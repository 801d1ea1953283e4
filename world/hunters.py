"""Player combat: robbed players (and Walton's party guests) attacking the ship where it is."""

from __future__ import annotations

from world.cast.casualties import destroy_ship, wound
from world.cast.vengeful_player import drop
from world.combat import exchange_fire, spread_injuries
from world.whereabouts import crew_aboard, ship_in_space


def resolve_battle(model) -> None:
    """One hour of fighting if anyone is attacking the ship where it is."""
    ship, tick = model.ship, model.steps
    if not ship_in_space(model):
        model.party_guests = 0
        return
    attackers = [p for p in model.vengeful if p.planet == ship.planet and p.intent == "attack"]
    total = len(attackers) + model.party_guests
    if total == 0:
        model.in_battle = False
        return
    crew = crew_aboard(model)
    guns = model.config.combat.captain_guns if model.captain_fights else 0
    gunners = sum(m.intent == "man_guns" for m in crew) + guns
    settings = model.config
    volley = exchange_fire(
        ship, total, gunners, settings.combat, settings.economy, model.price_index, model.rng
    )
    kills = volley.kills
    for player in attackers[:kills]:
        drop(model, player)  # a player who is hit just logs out
    model.party_guests = max(0, model.party_guests - max(0, kills - len(attackers)))
    if not model.in_battle:
        model.events.add(
            tick,
            "ship_battle",
            (model.captain.display_name,),
            (f"{total} players attack" if total != 1 else "1 player attacks")
            + f" the USS Callister at {model.galaxy.name(ship.planet)}"
            + (" — Walton's invite party." if model.party_guests else "."),
        )
    model.in_battle = True
    model.population.bandits_strike(ship.planet, 0.5, model.rng)
    aboard = crew + (
        [model.captain] if model.captain.alive and not model.heart.captain_inside else []
    )
    for person, damage in spread_injuries(aboard, volley.injuries, model.rng):
        wound(model, person, damage, cause="the battle")
    if ship.hull <= 0:
        destroy_ship(model)
    if model.party_guests:
        leaving = int(model.rng.binomial(model.party_guests, settings.combat.party_interest_decay))
        model.party_guests -= leaving
