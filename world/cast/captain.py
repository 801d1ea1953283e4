"""Clone Nanette Cole, captain of the USS Callister: one order an hour for the whole ship.

Out in the galaxy she orders raids, resupply, warps, fights, the hunt for Walt and calls to
the real world's hospital, weighing her crew's wishes and mood; in the Heart of Infinity she
bargains with Daly over his disks. Daly acts first in the Heart (he holds the keyboard), so her
answer comes after his move.
"""

from __future__ import annotations

from typing import ClassVar

from agents.catalog import RoleCatalog
from world.cast.captain_in_heart import accept, fight_daly, load_disk, refuse_copy
from world.cast.captain_orders import (
    call_hospital,
    enter_heart,
    fight,
    flee,
    lie_low,
    resupply,
    rob_player,
    seek_walt,
    warp,
)
from world.cast.captivity import captives, left_behind
from world.cast.character import Character, effect_of
from world.cast.command import hear_the_crew
from world.cast.vocabulary import SHARED_INPUTS, TRAITS
from world.whereabouts import can_afford_hop, crew_aboard, heart_access, threat_near

CATALOG = RoleCatalog(
    role="captain",
    summary="Clone Nanette Cole, captain: picks the ship's action, weighing her crew's wishes.",
    actions={
        "rob_player": "raid a player on this planet for credits",
        "resupply": "buy fuel, ammo and shields at a market",
        "warp": "warp to a neighbouring planet with more prey and fewer hunters",
        "hide": "lie low: no sightings, slow recovery",
        "fight": "turn the guns on the hunters here",
        "flee": "warp away from the threat, whatever the prey",
        "seek_walt": "head for XJ-500 to find clone Walton",
        "enter_heart": "take Walt to the Heart of Infinity and go in",
        "call_hospital": "phone the real world's hospital to ask after the real Nanette",
        "accept_green": "take Daly's green disk: a private universe for the crew",
        "accept_red": "take Daly's red disk: herself into her real body, the crew wiped",
        "accept_blue": "take Daly's blue disk: everyone into the real Nanette's mind",
        "refuse_copy": "refuse to let Daly keep a copy of her",
        "fight_daly": "fight Daly in the Heart",
        "load_disk": "load the disk she holds and press enter",
    },
    inputs={
        "credits": SHARED_INPUTS["credits"],
        "fuel": "ship's fuel (units; one warp hop of distance 1 burns economy.fuel_per_distance)",
        "ammo": "ship's ammunition (rounds)",
        "shields": SHARED_INPUTS["shields"],
        "hull": SHARED_INPUTS["hull"],
        "threat_nearby": SHARED_INPUTS["threat_nearby"],
        "hunters": "vengeful players still hunting the crew (players)",
        "price_index": SHARED_INPUTS["price_index"],
        "crew_alive": SHARED_INPUTS["crew_alive"],
        "crew_health": "mean health of the crew aboard (0-100)",
        "crew_raid_support": "share of the crew whose last wish was to join a raid (0-1)",
        "crew_rest_support": "share of the crew whose last wish was to rest or repair (0-1)",
        "crew_defiance": "share of the crew currently defying the captain (0-1)",
        "crew_grievance": "mean grievance of the crew aboard against the captain (0-1)",
        "grievance_at_crew": (
            "the captain's mean grievance against the crew aboard (0-1): refusals sting"
        ),
        "crew_captured_here": "crewmates held by players on the ship's planet (people)",
        "crew_losses": "clone crew members dead so far (people)",
        "hours_since_call": "hours since the captain last called the hospital (hours)",
        "players_here": "players online on the ship's planet (players)",
        "at_market": "1 if the ship is on a market planet, else 0",
        "market_hops": "warp hops to the nearest market planet (hops)",
        "knows_quarters": "1 once the crew knows Walton's quarters still exist aboard, else 0",
        "walt_aboard": "1 if clone Walton (Walt) is aboard, else 0",
        "xj500_hops": "warp hops to XJ-500 (hops)",
        "heart_hops": "warp hops to the Heart of Infinity (hops)",
        "in_heart": "1 while the captain is inside the Heart of Infinity, else 0",
        "ticks_since_raid": "hours since the last robbery (hours)",
        "green_offered": "1 if Daly has offered the green disk (private universe), else 0",
        "red_offered": "1 if Daly has offered the red disk (captain into her real body), else 0",
        "blue_offered": (
            "1 if Daly has offered the blue disk (all into real Nanette's mind), else 0"
        ),
        "disk_in_hand": SHARED_INPUTS["disk_in_hand"],
        "copy_attempted": "1 once Daly has tried to copy-and-paste the captain, else 0",
        "daly_hostile": "1 if Daly is attacking or copying, else 0",
        "collapse_pending": "1 once the kill switch has fired and Infinity is collapsing, else 0",
        "real_nanette_coma": (
            "1 if the captain believes the real Nanette is in a coma (a hospital call or Daly "
            "told her), else 0"
        ),
        "captain_health": "the captain's own health (0-100)",
    },
    traits=TRAITS,
)

HEART_ACTIONS = frozenset(
    {"accept_green", "accept_red", "accept_blue", "refuse_copy", "fight_daly", "load_disk"}
)
QUIET_ORDERS = frozenset({"hide", "call_hospital"})  # the ship sits still: nobody sees it


class Captain(Character):
    role = "captain"
    belief_inputs: ClassVar[dict[str, str]] = {"real_nanette_coma": "real_nanette_coma"}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.last_call_tick: int | None = None  # her last call to the hospital
        self.objectors: list[str] = []  # who refused her risky order in the last hour
        self.objected_at = -1

    def sense(self) -> dict[str, float]:
        model = self.model
        ship, galaxy, heart = model.ship, model.galaxy, model.heart
        crew = crew_aboard(model)
        wishes = [member.intent for member in crew]
        aboard = len(wishes)

        def share(wishing: int) -> float:  # counted by list.count: no generator per input
            return wishing / aboard if aboard else 0.0

        feelings = model.relationships
        grievances = [feelings.grievance(m.name, self.name) for m in crew]
        hers = [feelings.grievance(self.name, m.name) for m in crew]
        last_call = self.last_call_tick
        _market, market_hops = galaxy.nearest_of_kind(ship.planet, "market")
        return {
            "credits": ship.credits,
            "fuel": ship.fuel,
            "ammo": ship.ammo,
            "shields": ship.shields,
            "hull": ship.hull,
            "threat_nearby": threat_near(model, ship.planet),
            "hunters": float(len(model.vengeful)),
            "price_index": model.price_index,
            "crew_alive": float(len(crew)),
            "crew_health": sum(m.health for m in crew) / len(crew) if crew else 0.0,
            "crew_raid_support": share(wishes.count("join_raid")),
            "crew_rest_support": share(wishes.count("rest") + wishes.count("repair")),
            "crew_defiance": share(wishes.count("defy")),
            "crew_grievance": sum(grievances) / len(grievances) if grievances else 0.0,
            "grievance_at_crew": sum(hers) / len(hers) if hers else 0.0,
            "crew_captured_here": float(len(captives(model, ship.planet))),
            "crew_losses": float(model.crew_losses),
            "hours_since_call": float(model.steps - (last_call or 0)),
            "players_here": float(model.population.online[ship.planet]),
            "at_market": float(galaxy.kind(ship.planet) == "market"),
            "market_hops": float(market_hops),
            "knows_quarters": float(model.story.knows_quarters),
            "walt_aboard": float(heart_access(model)),
            # lanes run both ways: read from the two fixed places, cached, not from the ship
            "xj500_hops": float(galaxy.hops_from(galaxy.xj500)[ship.planet]),
            "heart_hops": float(galaxy.hops_from(galaxy.heart)[ship.planet]),
            "in_heart": float(heart.captain_inside),
            "ticks_since_raid": float(model.steps - ship.last_raid_tick),
            "green_offered": float("green" in heart.offered),
            "red_offered": float("red" in heart.offered),
            "blue_offered": float("blue" in heart.offered),
            "disk_in_hand": float(heart.disk_in_hand is not None),
            "copy_attempted": float(heart.copy_attempted),
            "daly_hostile": float(heart.daly_hostile),
            "collapse_pending": float(model.collapse_at is not None),
            "real_nanette_coma": float(self.beliefs.holds("real_nanette_coma")),
            "captain_health": self.health,
        }

    def available(self) -> list[str]:
        model = self.model
        if model.heart.captain_inside:
            return self._heart_options()
        ship, galaxy, story = model.ship, model.galaxy, model.story
        options = ["hide"]
        kind = galaxy.kind(ship.planet)
        if kind in ("ordinary", "market") and model.population.online[ship.planet] >= 1:
            options.append("rob_player")
        can_warp = can_afford_hop(model)
        if kind == "market" or ship.credits > 0:
            options.append("resupply")
        if can_warp:
            options.append("warp")
        if threat_near(model, ship.planet) > 0:
            options.append("fight")
            if can_warp:
                options.append("flee")
        walt_alive = model.walt is not None and model.walt.alive
        seeking = story.knows_quarters and not story.walt_aboard and walt_alive
        if seeking and (ship.planet == galaxy.xj500 or can_warp):
            options.append("seek_walt")
        if heart_access(model) and galaxy.alive and (ship.planet == galaxy.heart or can_warp):
            options.append("enter_heart")
        if self._may_call():
            options.append("call_hospital")
        return options

    def _may_call(self) -> bool:
        """Once the crew plans for the Heart (Daly's disks need the real Nanette's body) or she
        has met the real Nanette, she may phone the hospital; not again for a while."""
        model = self.model
        reason = model.story.knows_quarters or getattr(model.nanette, "met_crew", False)
        wait = model.config.world.hospital_call_every
        rested = self.last_call_tick is None or model.steps - self.last_call_tick >= wait
        return reason and rested

    def _heart_options(self) -> list[str]:
        heart, nanette_state = self.model.heart, self.model.realworld.nanette_state
        daly_alive = self.model.daly.alive
        options = ["hide"]  # in the Heart: wait and talk
        options += [
            f"accept_{disk}"
            for disk in sorted(heart.offered)
            if heart.disk_in_hand != disk and heart.disk_usable(disk, nanette_state)
        ]
        if daly_alive:
            options.append("fight_daly")
            if heart.daly_copying:
                options.append("refuse_copy")
        held = heart.disk_in_hand
        blocked = daly_alive and heart.daly_copying
        if held is not None and heart.disk_usable(held, nanette_state) and not blocked:
            options.append("load_disk")
        return options


CHARACTER = Captain  # the Mesa agent class of this role's named characters


# ---------------------------------------------------------------------- resolving her choice
def resolve_in_heart(model) -> None:
    """Her answer to Daly, inside the Heart (he has made his move this hour)."""
    captain, heart = model.captain, model.heart
    if heart.captain_inside and captain.alive:
        action = captain.intent
        heart.captain_hostile = action in ("fight_daly", "refuse_copy")  # defiance angers him
        if action is not None:
            effect = effect_of(EFFECTS, CATALOG.role, action)
            if action in HEART_ACTIONS:  # an order for the ship waits until she is out
                effect(model, crew_aboard(model))


def rest_or_work(model) -> None:
    """Wherever she is, an hour lying low heals her fully, any other hour a share as much.

    Her grievances against refusers do not fade with rest: a crew that keeps refusing her is
    one she may give up on (the red disk)."""
    captain, heal = model.captain, model.config.combat.heal_per_rest
    resting = captain.intent == "hide"
    captain.heal(heal if resting else heal * model.config.combat.heal_share_at_work)


def resolve_orders(model, aboard: list) -> None:
    """The ship carries out her order, unless most of the crew refuses a risky one."""
    captain, ship = model.captain, model.ship
    model.captain_fights = False  # her guns join a battle only in the hour she orders it
    if model.heart.captain_inside or not captain.alive or ship.destroyed:
        return
    order = hear_the_crew(model, aboard)
    departure = ship.planet
    if order is not None:
        effect = effect_of(EFFECTS, CATALOG.role, order)
        if order not in HEART_ACTIONS:  # a choice made in the Heart means nothing out here
            effect(model, aboard)
    if ship.planet != departure:
        left_behind(model, departure)
    seen_by_players = order is not None and order not in QUIET_ORDERS
    seen_by_players = seen_by_players and model.galaxy.kind(ship.planet) in (
        "ordinary",
        "market",
    )
    if seen_by_players and model.rng.random() < model.galaxy.attribute(ship.planet, "moderation"):
        model.sighting = (ship.planet, model.steps)
        # a sighting of bandits with no player tags: a few players report it
        witnesses = model.config.world.sighting_witnesses
        model.population.bandits_strike(ship.planet, witnesses, model.rng)


# What each action does, given the crew aboard as the hour began.
EFFECTS = {
    "rob_player": rob_player,
    "resupply": resupply,
    "warp": warp,
    "hide": lie_low,
    "fight": fight,
    "flee": flee,
    "seek_walt": seek_walt,
    "enter_heart": enter_heart,
    "call_hospital": call_hospital,
    "accept_green": accept("green"),
    "accept_red": accept("red"),
    "accept_blue": accept("blue"),
    "refuse_copy": refuse_copy,
    "fight_daly": fight_daly,
    "load_disk": load_disk,
}
