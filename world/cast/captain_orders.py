"""The captain's orders out in space: what the ship does for each of them this hour.

Every order takes the crew aboard as the hour began: raiders share a robbery's loot and its
danger. Resolution (who refuses, who sees the ship) is in `world.cast.captain`.
"""

from __future__ import annotations

import math

from world.cast.captivity import maybe_capture
from world.cast.casualties import wound
from world.cast.vengeful_player import add_victim
from world.ship import buy, buy_fuel
from world.voyage import head_for, warp_to
from world.whereabouts import can_afford, threat_near


def names(people) -> str:
    """`A`, `A and B`, `A, B and C`: people as the story names them."""
    listed = [p.display_name for p in people]
    return listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + " and " + listed[-1]


def lie_low(model, aboard) -> None:
    """Hide: no sightings (`captain.resolve_orders`) and a full hour's rest (`rest_or_work`)."""


def _complaints_text(complaints: int) -> str:
    if not complaints:
        return "."
    who = "1 player complains" if complaints == 1 else f"{complaints} players complain"
    return f"; {who} about bleeding bandits."


def rob_player(model, aboard) -> None:
    ship, captain, tick = model.ship, model.captain, model.steps
    settings, combat = model.config.economy, model.config.combat
    raiders = [captain] + [m for m in aboard if m.intent == "join_raid"]
    planet = model.galaxy.name(ship.planet)
    ship.last_raid_tick = tick
    model.sighting = (ship.planet, tick)
    danger = combat.raid_danger / math.sqrt(len(raiders))
    if model.rng.random() < danger:
        hurt = raiders[int(model.rng.integers(len(raiders)))]
        model.events.add(
            tick,
            "raid_wounded",
            (hurt.display_name,),
            f"A raid on {planet} goes wrong: {hurt.display_name} is hurt by a landmine.",
        )
        wound(model, hurt, combat.raid_injury, cause=f"a landmine on {planet}")
        loot = 0.0
    elif settings.loot_mean > 0:
        loot = float(
            model.rng.lognormal(
                math.log(settings.loot_mean) - settings.loot_sigma**2 / 2, settings.loot_sigma
            )
        )
        loot *= 1.0 + settings.loot_per_extra_raider * (len(raiders) - 1)
    else:  # nothing to take: a log-normal with mean 0 does not exist (log 0)
        loot = 0.0
    ship.credits += loot
    victim = add_victim(model, ship.planet)
    _after_the_raid(model, raiders[1:], loot)
    maybe_capture(model, raiders[1:], victim, planet)
    complaints = model.population.bandits_strike(ship.planet, 1.0, model.rng)
    model.population.log_out(ship.planet, 1)
    model.events.add(
        tick,
        "robbery",
        (*tuple(r.display_name for r in raiders), victim.tag),
        f"{names(raiders)} rob{'s' if len(raiders) == 1 else ''} {victim.tag} on {planet}: "
        f"{loot:.0f} credits" + _complaints_text(complaints),
    )


def _after_the_raid(model, crew_raiders: list, loot: float) -> None:
    """Those who went along: the captain was obeyed, and a raid that paid off eases grievance."""
    feelings, captain, tick = model.relationships, model.captain.name, model.steps
    for member in crew_raiders:
        feelings.feel(captain, member.name, "obeyed_me", tick)
        if loot > 0:
            feelings.feel(member.name, captain, "raid_paid_off", tick)


def resupply(model, aboard) -> None:
    """Buy at a market, head for the nearest one, or, stranded, buy fuel on the black market."""
    ship, galaxy, economy = model.ship, model.galaxy, model.config.economy
    multiplier = galaxy.attribute(ship.planet, "price_multiplier")
    if galaxy.kind(ship.planet) == "market":
        buy(ship, economy, model.price_index, multiplier)
        return
    market, _ = galaxy.nearest_of_kind(ship.planet, "market")
    if market is not None and head_for(model, market):
        return
    buy_fuel(ship, economy, model.price_index * multiplier * economy.black_market_markup)


def warp(model, aboard) -> None:
    """Move to the affordable neighbour with the best prey for the least danger."""
    ship, galaxy = model.ship, model.galaxy
    online = model.population.online

    def appeal(node: int) -> tuple[float, int]:
        prey = math.sqrt(online[node]) if galaxy.kind(node) in ("ordinary", "market") else 0.0
        return (-prey / (1.0 + threat_near(model, node)), node)

    options = [n for n in galaxy.neighbours(ship.planet) if can_afford(model, ship.planet, n)]
    if options:
        warp_to(model, min(options, key=appeal))


def flee(model, aboard) -> None:
    ship, galaxy = model.ship, model.galaxy
    options = [
        n
        for n in galaxy.neighbours(ship.planet)
        if can_afford(model, ship.planet, n) and galaxy.kind(n) != "heart"
    ]
    if options:
        warp_to(model, min(options, key=lambda n: (threat_near(model, n), n)))


def fight(model, aboard) -> None:
    """Her guns join the crew's in this hour's battle at the ship."""
    model.captain_fights = True


def seek_walt(model, aboard) -> None:
    ship, galaxy, story, tick = model.ship, model.galaxy, model.story, model.steps
    if ship.planet != galaxy.xj500:
        head_for(model, galaxy.xj500)
        if ship.planet != galaxy.xj500:
            return
    if not story.walt_found:
        story.walt_found = True
        model.events.add(
            tick,
            "walt_found",
            (model.captain.display_name, model.walt.display_name),
            "On XJ-500 the crew finds a feral clone Walton, delighted to see them"
            + (
                " — and Rocky, his only friend."
                if story.rocky_found
                else "; he will not leave without Rocky, who is lost."
            ),
        )
    elif not story.rocky_found and model.rng.random() < model.config.world.rocky_search_chance:
        story.rocky_found = True
        model.events.add(
            tick,
            "rocky_found",
            (model.walt.display_name,),
            "The crew finds Rocky, a rock with a painted face, and Walt beams.",
        )


def enter_heart(model, aboard) -> None:
    if model.ship.planet != model.galaxy.heart:
        head_for(model, model.galaxy.heart)
        return
    model.heart.captain_inside = True
    captain = model.captain.display_name
    if model.walt is None:  # Walt himself in command: his access is his own
        actors, how = (captain,), f"{captain} uses his own access and enters"
    else:
        actors, how = (captain, model.walt.display_name), f"With Walt's access {captain} enters"
    model.events.add(
        model.steps,
        "heart_entered",
        actors,
        f"{how} the Heart of Infinity and finds clone Daly in his garage, building planets.",
    )


def call_hospital(model, aboard) -> None:
    """The crew phones the real world from the game: the hospital says how the real Nanette is.

    The captain learns the truth of this hour (a coma, or not); those aboard hear it from her.
    """
    captain, tick = model.captain, model.steps
    captain.last_call_tick = tick
    state = model.realworld.nanette_state
    coma = state == "coma"
    captain.beliefs.learn("real_nanette_coma", coma, tick, "phone_call", source="the hospital")
    for member in aboard:
        member.beliefs.learn("real_nanette_coma", coma, tick, "told", source=captain.display_name)
    news = {
        "coma": "the real Nanette lies in a coma after a car accident — her mind is vacant",
        "dead": "the real Nanette has died",
    }.get(state, "no Nanette Cole has been admitted; the real Nanette is well")
    model.events.add(
        tick,
        "hospital_called",
        (captain.display_name, "the hospital"),
        f"{captain.display_name} calls the real world's hospital from inside the game: {news}.",
    )
