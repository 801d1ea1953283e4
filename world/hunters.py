"""Player combat: robbed players (and Walton's party guests) attacking the ship where it is."""

from __future__ import annotations

from world.cast.casualties import destroy_ship, wound
from world.cast.vengeful_player import drop
from world.combat import exchange_fire, spread_injuries
from world.whereabouts import crew_aboard, ship_in_space


def resolve_battle(model) -> None:
    """One hour of fighting if anyone is attacking the ship where it is.

    The ship fires back with those who chose to man the guns, plus the captain's guns in an
    hour she ordered a fight; nobody else shoots.
    """
    ship, tick = model.ship, model.steps
    if not ship_in_space(model):
        model.party_guests = 0
        return
    here, crowd = ship.planet, model.vengeful
    attackers = [p for p in crowd if p.planet == here and p.intent == "attack"] if crowd else []
    total = len(attackers) + model.party_guests
    if total == 0:
        model.in_battle = False
        return
    crew = crew_aboard(model)
    gunners = [m for m in crew if m.intent == "man_guns"]
    guns = len(gunners) + (model.config.combat.captain_guns if model.captain_fights else 0)
    settings = model.config
    volley = exchange_fire(
        ship, total, guns, settings.combat, settings.economy, model.price_index, model.rng
    )
    _hit_players(model, attackers, volley.kills)
    if not model.in_battle:
        model.events.add(
            tick,
            "ship_battle",
            (model.captain.display_name, *(m.display_name for m in gunners)),
            (f"{total} players attack" if total != 1 else "1 player attacks")
            + f" the USS Callister at {model.galaxy.name(ship.planet)}"
            + (" — Walton's invite party" if model.party_guests else "")
            + f"; {_who_fires(model, gunners)}.",
        )
    model.in_battle = True
    model.population.bandits_strike(ship.planet, settings.population.battle_witnesses, model.rng)
    aboard = crew + (
        [model.captain] if model.captain.alive and not model.heart.captain_inside else []
    )
    hurt = [
        (person, damage)
        for person, damage in spread_injuries(aboard, volley.injuries, model.rng)
        if not wound(model, person, damage, cause="the battle")  # a death is told by `wound`
    ]
    if hurt:
        model.events.add(
            tick,
            "battle_wound",
            tuple(person.display_name for person, _ in hurt),
            f"Hurt in the battle at {model.galaxy.name(ship.planet)}: "
            + ", ".join(f"{person.display_name} (-{damage:.1f} health)" for person, damage in hurt)
            + ".",
        )
    if ship.hull <= 0:
        destroy_ship(model)
    if model.party_guests:
        leaving = int(model.rng.binomial(model.party_guests, settings.combat.party_interest_decay))
        model.party_guests -= leaving


def _hit_players(model, attackers: list, hits: int) -> None:
    """Each hit costs an attacker avatar health (one hit each, in order); at 0 they log out.

    A hit player stops attacking until their next choice, which weighs their wounds.

    Hits beyond the robbed players fall on Walton's party guests, who just log out.
    """
    damage = model.config.population.player_hit_damage
    for player in attackers[:hits]:
        player.health = max(0.0, player.health - damage)
        player.intent = None  # knocked out of the fight until they choose again
        if player.health <= 0:
            drop(model, player)
    model.party_guests = max(0, model.party_guests - max(0, hits - len(attackers)))


def _who_fires(model, gunners: list) -> str:
    """Who answers the attack: the captain's order to fight, the crew at the guns, or nobody."""
    parts = [f"{model.captain.display_name} orders a fight"] if model.captain_fights else []
    if gunners:
        names = [m.display_name for m in gunners]
        listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
        parts.append(f"{listed} man{'s' if len(names) == 1 else ''} the guns")
    return " and ".join(parts) or "nobody mans the guns"
