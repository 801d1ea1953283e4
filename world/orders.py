"""The captain's order and the crew's wishes, resolved into what the ship does this hour."""

from __future__ import annotations

import math

from world.ship import buy, buy_fuel, hop_fuel

RAID_ACTIONS = ("rob_player", "fight")
SIGHTING_WITNESSES = 0.2  # complaints from a sighting, relative to a robbery's


def resolve_ship(model) -> None:
    """Apply the captain's order, shaped by who in the crew goes along with it."""
    captain, ship = model.captain, model.ship
    crew = model.crew_aboard()
    heal, rules = model.config.combat.heal_per_rest, model.config.world
    for member in crew:
        member.live_an_hour(
            captain.intent in RAID_ACTIONS, heal, rules.grievance_per_order, rules.grievance_decay
        )
    captain.heal(heal if captain.intent == "hide" else heal * 0.2)
    _repairs(model, crew)
    _upkeep(model, crew)
    _walt_joins(model)
    if model.heart.captain_inside or not captain.alive or ship.destroyed:
        return
    order = captain.intent
    defiant = [m for m in crew if m.intent == "defy"]
    if order in RAID_ACTIONS and crew and len(defiant) * 2 > len(crew):
        model.log(
            model.steps,
            "crew_defied",
            tuple(m.display_name for m in defiant),
            f"{_names(defiant)} refuse{'s' if len(defiant) == 1 else ''} "
            f"{captain.display_name}'s order to {order.replace('_', ' ')}.",
        )
        order = "hide"
    handler = _ORDERS.get(order)
    if handler is not None:
        handler(model, crew)
    seen_by_players = order not in (None, "hide") and model.galaxy.kind(ship.planet) in (
        "ordinary",
        "market",
    )
    if seen_by_players and model.rng.random() < model.galaxy.graph.nodes[ship.planet]["moderation"]:
        model.sighting = (ship.planet, model.steps)
        # a sighting of bandits with no player tags: a few players report it
        model.population.bandits_strike(ship.planet, SIGHTING_WITNESSES, model.rng)


def _names(people) -> str:
    names = [p.display_name for p in people]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _repairs(model, crew) -> None:
    repairers = sum(m.intent == "repair" for m in crew)
    if repairers:
        model.ship.hull = min(
            100.0, model.ship.hull + repairers * model.config.combat.repair_per_hour
        )


def _complaints_text(complaints: int) -> str:
    if not complaints:
        return "."
    who = "1 player complains" if complaints == 1 else f"{complaints} players complain"
    return f"; {who} about bleeding bandits."


def _upkeep(model, crew) -> None:
    """The cost of existing: credits drain every hour; with none left, the clones suffer."""
    ship, economy = model.ship, model.config.economy
    if ship.destroyed:
        return
    ship.credits -= economy.upkeep_per_hour * model.price_index
    if ship.credits < 0:
        ship.credits = 0.0
        for person in [*crew, model.captain]:
            if person.alive:
                model.wound_character(person, economy.starvation_damage, cause="want")


def _rob_player(model, crew) -> None:
    ship, captain, tick = model.ship, model.captain, model.steps
    settings, combat = model.config.economy, model.config.combat
    raiders = [captain] + [m for m in crew if m.intent == "join_raid"]
    planet = model.galaxy.name(ship.planet)
    ship.last_raid_tick = tick
    model.sighting = (ship.planet, tick)
    danger = combat.raid_danger / math.sqrt(len(raiders))
    if model.rng.random() < danger:
        hurt = raiders[int(model.rng.integers(len(raiders)))]
        model.log(
            tick,
            "raid_wounded",
            (hurt.display_name,),
            f"A raid on {planet} goes wrong: {hurt.display_name} is hurt by a landmine.",
        )
        model.wound_character(hurt, combat.raid_injury, cause=f"a landmine on {planet}")
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
    victim = model.add_victim(ship.planet)
    complaints = model.population.bandits_strike(ship.planet, 1.0, model.rng)
    model.population.log_out(ship.planet, 1)
    model.log(
        tick,
        "robbery",
        (*tuple(r.display_name for r in raiders), victim.tag),
        f"{_names(raiders)} rob{'s' if len(raiders) == 1 else ''} {victim.tag} on {planet}: "
        f"{loot:.0f} credits" + _complaints_text(complaints),
    )


def _resupply(model, crew) -> None:
    """Buy at a market, head for the nearest one, or, stranded, buy fuel on the black market."""
    ship, galaxy, economy = model.ship, model.galaxy, model.config.economy
    multiplier = galaxy.graph.nodes[ship.planet]["price_multiplier"]
    if galaxy.kind(ship.planet) == "market":
        buy(ship, economy, model.price_index, multiplier)
        return
    market, _ = galaxy.nearest_of_kind(ship.planet, "market")
    if market is not None and _warp_to(model, galaxy.step_toward(ship.planet, market)):
        return
    buy_fuel(ship, economy, model.price_index * multiplier * economy.black_market_markup)


def _warp_to(model, target: int) -> bool:
    ship = model.ship
    if target == ship.planet:
        return False
    fuel = hop_fuel(model.galaxy.lane_distance(ship.planet, target), model.config.economy)
    if fuel > ship.fuel:
        return False
    ship.fuel -= fuel
    ship.planet = target
    model.ship_moved()
    return True


def _warp(model, crew) -> None:
    """Move to the affordable neighbour with the best prey for the least danger."""
    ship, galaxy = model.ship, model.galaxy
    online = model.population.online

    def appeal(node: int) -> tuple[float, int]:
        prey = math.sqrt(online[node]) if galaxy.kind(node) in ("ordinary", "market") else 0.0
        return (-prey / (1.0 + model.threat_near(node)), node)

    options = [n for n in galaxy.neighbours(ship.planet) if model.can_afford(ship.planet, n)]
    if options:
        _warp_to(model, min(options, key=appeal))


def _flee(model, crew) -> None:
    ship, galaxy = model.ship, model.galaxy
    options = [
        n
        for n in galaxy.neighbours(ship.planet)
        if model.can_afford(ship.planet, n) and galaxy.kind(n) != "heart"
    ]
    if options:
        _warp_to(model, min(options, key=lambda n: (model.threat_near(n), n)))


def _seek_walt(model, crew) -> None:
    ship, galaxy, story, tick = model.ship, model.galaxy, model.story, model.steps
    if ship.planet != galaxy.xj500:
        _warp_to(model, galaxy.step_toward(ship.planet, galaxy.xj500))
        if ship.planet != galaxy.xj500:
            return
    if not story.walt_found:
        story.walt_found = True
        walt = model.walt
        model.log(
            tick,
            "walt_found",
            (model.captain.display_name, walt.display_name),
            "On XJ-500 the crew finds a feral clone Walton, delighted to see them"
            + (
                " — and Rocky, his only friend."
                if story.rocky_found
                else "; he will not leave without Rocky, who is lost."
            ),
        )
    elif not story.rocky_found and model.rng.random() < model.config.world.rocky_search_chance:
        story.rocky_found = True
        model.log(
            tick,
            "rocky_found",
            (model.walt.display_name,),
            "The crew finds Rocky, a rock with a painted face, and Walt beams.",
        )


def _enter_heart(model, crew) -> None:
    ship, galaxy, tick = model.ship, model.galaxy, model.steps
    if ship.planet != galaxy.heart:
        _warp_to(model, galaxy.step_toward(ship.planet, galaxy.heart))
        return
    model.heart.captain_inside = True
    model.log(
        tick,
        "heart_entered",
        (model.captain.display_name, model.walt.display_name),
        f"With Walt's access {model.captain.display_name} enters the Heart of Infinity "
        "and finds clone Daly in his garage, building planets.",
    )


def _fight(model, crew) -> None:
    model.captain_fights = True


_ORDERS = {
    "rob_player": _rob_player,
    "resupply": _resupply,
    "warp": _warp,
    "flee": _flee,
    "seek_walt": _seek_walt,
    "enter_heart": _enter_heart,
    "fight": _fight,
}


def _walt_joins(model) -> None:
    walt, story = model.walt, model.story
    if walt is None or walt.aboard or not walt.alive or walt.intent != "join_ship":
        return
    if not model.ship_is_at(walt.planet) or not story.walt_found:
        return
    if not story.rocky_found:
        return  # he will not leave without Rocky
    walt.aboard = story.walt_aboard = True
    model.log(
        model.steps,
        "walt_joined",
        (walt.display_name,),
        "Walt comes aboard the USS Callister with Rocky under his arm; his quarters "
        "were waiting for him.",
    )


def discover_quarters(model) -> None:
    """World rule: resting crew may notice Walton's quarters still exist aboard."""
    story = model.story
    if story.knows_quarters:
        return
    chance = model.config.world.quarters_discovery_chance
    for member in model.crew_aboard():
        if member.intent == "rest" and model.rng.random() < chance * member.traits["curiosity"]:
            story.knows_quarters = True
            model.log(
                model.steps,
                "quarters_found",
                (member.display_name,),
                f"{member.display_name} mentions that Walton's quarters are still aboard: "
                "a scorched atom of Walton may have respawned on XJ-500.",
            )
            return
